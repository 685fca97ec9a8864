// The editor commands: Run, Debug, Profile, Compile WAT, Show Wasm as Text. Each runs one
// documented CLI command; none computes anything itself.
import { statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { profileArgs, profileOutput, runArgs, wat2wasmArgs, type ProfileMode, type RunOptions } from './cli-args.js';
import type { Cli } from './cli.js';
import { activeModuleUri, debugFile } from './debug.js';
import { runProcessTask } from './process-task.js';
import { renderProfileSummary, splitProfileOutput } from './profile-summary.js';
import { showWasmText, type WasmTextProvider } from './wasm-text.js';

/** The file a command applies to: the one it was invoked on (title button, explorer) or the active one. */
function targetFile(arg: unknown, extensions: readonly string[]): vscode.Uri | undefined {
  const uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.parse(arg) : activeModuleUri();
  if (uri && uri.scheme === 'file' && extensions.includes(path.extname(uri.fsPath).toLowerCase())) return uri;
  void vscode.window.showErrorMessage(`wasmscope: this command needs a ${extensions.join(' or ')} file${uri ? `, not ${path.basename(uri.fsPath)}` : ''}.`);
  return undefined;
}

async function saveIfDirty(uri: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
}

function runOptions(uri: vscode.Uri): RunOptions & { cwd: string; folder: vscode.WorkspaceFolder | undefined } {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const cwd = folder?.uri.fsPath ?? path.dirname(uri.fsPath);
  const dirs = vscode.workspace.getConfiguration('wasmscope', uri).get<string[]>('run.dirs') ?? ['.'];
  return { cwd, folder, dirs: dirs.map((d) => path.resolve(cwd, d)) };
}

export function registerCommands(context: vscode.ExtensionContext, cli: Cli, wasmText: WasmTextProvider, output: vscode.OutputChannel): void {
  const modules = ['.wasm', '.wat'];
  let profilePanel: vscode.WebviewPanel | undefined;

  const register = (id: string, handler: (arg: unknown) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, handler));

  register('wasmscope.runFile', async (arg) => {
    const uri = targetFile(arg, modules);
    if (!uri) return undefined;
    await saveIfDirty(uri);
    const options = runOptions(uri);
    return runProcessTask(`run ${path.basename(uri.fsPath)}`, cli.node, runArgs(cli.script, uri.fsPath, options), options.cwd, options.folder);
  });

  register('wasmscope.debugFile', async (arg) => {
    const uri = targetFile(arg, modules);
    if (!uri) return false;
    await saveIfDirty(uri);
    return debugFile(uri);
  });

  register('wasmscope.profileFile', async (arg) => {
    const uri = targetFile(arg, modules);
    if (!uri) return undefined;
    await saveIfDirty(uri);
    const options = runOptions(uri);
    const mode = vscode.workspace.getConfiguration('wasmscope', uri).get<ProfileMode>('profile.mode') ?? 'interp';
    const out = profileOutput(uri.fsPath);
    // A stale profile from an earlier run must not be shown as this run's.
    const before = mtime(out);
    const outcome = await runProcessTask(`profile ${path.basename(uri.fsPath)}`, cli.node, profileArgs(cli.script, uri.fsPath, mode, options), options.cwd, options.folder);
    const cpuprofile = mtime(out) > before ? out : undefined;
    const { programOutput, report: summary } = splitProfileOutput(outcome.output);
    await showProfile({ program: uri.fsPath, exitCode: outcome.exitCode, summary, output: programOutput, cpuprofile });
    return { ...outcome, cpuprofile, summary };
  });

  const showProfile = async (result: Parameters<typeof renderProfileSummary>[0]): Promise<void> => {
    profilePanel ??= createProfilePanel(() => (profilePanel = undefined));
    profilePanel.webview.html = renderProfileSummary(result);
    profilePanel.reveal(vscode.ViewColumn.Beside, true);
    if (result.cpuprofile) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(result.cpuprofile), vscode.ViewColumn.Active);
  };

  // A debug session launched with "profile": true (or stopped with wasmscope.stopProfile) reports
  // its profile as a custom event: show it the same way as the Profile command's.
  context.subscriptions.push(vscode.debug.onDidReceiveDebugSessionCustomEvent(async (e) => {
    if (e.session.type !== 'wasmscope' || e.event !== 'wasmscope.profile') return;
    const body = e.body as { file: string; report: { exitCode?: number } };
    const program = String(e.session.configuration['program'] ?? '');
    await showProfile({ program, exitCode: body.report.exitCode, summary: body.report, output: '', cpuprofile: body.file });
  }));

  register('wasmscope.compileWat', async (arg) => {
    const uri = targetFile(arg, ['.wat']);
    if (!uri) return undefined;
    await saveIfDirty(uri);
    const { args, output: wasm } = wat2wasmArgs(cli.script, uri.fsPath);
    try {
      await cli.capture(args, path.dirname(uri.fsPath));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      output.appendLine(message);
      void vscode.window.showErrorMessage(`Compiling ${path.basename(uri.fsPath)} failed: ${message.split('\n')[0]}`);
      return undefined;
    }
    wasmText.refresh(vscode.Uri.file(wasm));
    void vscode.window.showInformationMessage(`Wrote ${path.basename(wasm)}`);
    return wasm;
  });

  register('wasmscope.showWasmText', async (arg) => {
    const uri = targetFile(arg, ['.wasm']);
    if (uri) await showWasmText(uri);
  });
}

/** Modification time, 0 when the file does not exist. */
function mtime(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;
}

function createProfilePanel(onDispose: () => void): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('wasmscope.profileSummary', 'wasmscope: Profile', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: false });
  panel.onDidDispose(onDispose);
  return panel;
}
