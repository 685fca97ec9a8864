// The debugger side of the extension: how VS Code starts the adapter, and what F5 debugs.
import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { dapArgs } from './cli-args.js';
import type { Cli } from './cli.js';
import { configForFile, resolveLaunchConfig, type WasmscopeLaunchConfig } from './launch-config.js';

/**
 * Starts the adapter as its own process (`node dist/wasmscope.js dap`) rather than inline in the
 * extension host: a crash or runaway guest in the adapter then cannot take down the extension host
 * (and every other extension with it), and nothing is lost by the process boundary because the
 * engine runs the guest in a worker thread anyway, so the adapter is already message-driven.
 */
export class WasmscopeAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly cli: Cli) {}

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const cwd = typeof session.configuration.cwd === 'string' ? session.configuration.cwd : session.workspaceFolder?.uri.fsPath;
    return new vscode.DebugAdapterExecutable(this.cli.node, dapArgs(this.cli.script), cwd ? { cwd } : {});
  }
}

function activeFile(): string | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri ?? activeCustomEditorUri();
  return uri?.scheme === 'file' ? uri.fsPath : undefined;
}

/** A .wasm shown in our custom editor has no text editor; find it through the active tab. */
function activeCustomEditorUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input.uri : undefined;
}

export function activeModuleUri(): vscode.Uri | undefined {
  return vscode.window.activeTextEditor?.document.uri ?? activeCustomEditorUri();
}

export class WasmscopeConfigurationProvider implements vscode.DebugConfigurationProvider {
  provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): vscode.DebugConfiguration[] {
    return [{ type: 'wasmscope', request: 'launch', name: 'Debug WebAssembly file', program: '${file}', cwd: folder ? '${workspaceFolder}' : undefined, stopOnEntry: false }];
  }

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.ProviderResult<vscode.DebugConfiguration> {
    const workspace = folder?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const result = resolveLaunchConfig(config as Partial<WasmscopeLaunchConfig>, activeFile(), workspace, existsSync);
    if ('error' in result) {
      void vscode.window.showErrorMessage(result.error);
      return undefined; // abort the launch; VS Code opens launch.json only when we return null
    }
    return result.config;
  }
}

export async function debugFile(uri: vscode.Uri): Promise<boolean> {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  return vscode.debug.startDebugging(folder, configForFile(uri.fsPath, folder?.uri.fsPath));
}
