// Runs inside a desktop VS Code's extension host, started by test/extension/electron.test.ts through
// @vscode/test-electron (bundled to CommonJS there; VS Code calls `run`). It checks what only the
// real API can: the extension activates, registers its commands and language, and F5's
// configuration provider turns "no launch.json" into a launch of the active module.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

async function check(name: string, body: () => Promise<void>, failures: string[]): Promise<void> {
  try {
    await body();
    console.log(`ok - ${name}`);
  } catch (error) {
    failures.push(name);
    console.log(`not ok - ${name}\n${error instanceof Error ? error.stack : String(error)}`);
  }
}

export async function run(): Promise<void> {
  const failures: string[] = [];
  const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!workspace) throw new Error('the electron suite needs test/fixtures/e2e open as the workspace');

  await check('the extension activates', async () => {
    const extension = vscode.extensions.getExtension('wasmscope.wasmscope');
    assert.ok(extension, 'wasmscope.wasmscope is not installed');
    await extension.activate();
    assert.equal(extension.isActive, true);
  }, failures);

  await check('its commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['wasmscope.runFile', 'wasmscope.debugFile', 'wasmscope.profileFile', 'wasmscope.compileWat', 'wasmscope.showWasmText']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  }, failures);

  await check('a .wat file opens as WAT', async () => {
    const doc = await vscode.workspace.openTextDocument(path.join(workspace, 'hello.wat'));
    assert.equal(doc.languageId, 'wat');
    await vscode.window.showTextDocument(doc);
  }, failures);

  await check('F5 without launch.json debugs the active .wat', async () => {
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const listener = vscode.debug.onDidStartDebugSession((session) => {
        listener.dispose();
        resolve(session);
      });
    });
    // The command F5 runs; with no launch.json VS Code asks our configuration provider.
    await vscode.commands.executeCommand('workbench.action.debug.start');
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no debug session started within 30 s')), 30_000));
    const session = await Promise.race([started, timeout]);
    assert.equal(session.type, 'wasmscope');
    assert.equal(session.configuration.program, path.join(workspace, 'hello.wat'));
    await vscode.debug.stopDebugging(session);
  }, failures);

  if (failures.length > 0) throw new Error(`${failures.length} check(s) failed: ${failures.join('; ')}`);
}
