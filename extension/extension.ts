// The VS Code extension: a thin client. Everything that understands WebAssembly runs in the
// wasmscope CLI's processes (language server, debug adapter, run/profile/wat2wasm/wasm2wat); this
// file only wires those into the editor, so nothing here imports runtime/.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Cli } from './cli.js';
import { registerCommands } from './commands.js';
import { WasmscopeAdapterFactory, WasmscopeConfigurationProvider } from './debug.js';
import { createLanguageClient } from './language-client.js';
import { WASM_EDITOR_VIEW_TYPE, WAT_SCHEME, WasmTextEditorProvider, WasmTextProvider } from './wasm-text.js';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const cli = new Cli(context.extensionPath);
  const output = vscode.window.createOutputChannel('wasmscope');
  const serverOutput = vscode.window.createOutputChannel('wasmscope language server', { log: true });
  context.subscriptions.push(output, serverOutput);

  const wasmText = new WasmTextProvider(cli);
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(WAT_SCHEME, wasmText),
    vscode.window.registerCustomEditorProvider(WASM_EDITOR_VIEW_TYPE, new WasmTextEditorProvider(cli), { supportsMultipleEditorsPerDocument: true }),
    vscode.debug.registerDebugAdapterDescriptorFactory('wasmscope', new WasmscopeAdapterFactory(cli)),
    vscode.debug.registerDebugConfigurationProvider('wasmscope', new WasmscopeConfigurationProvider()),
  );
  registerCommands(context, cli, wasmText, output);

  client = createLanguageClient(cli, serverOutput);
  // A server that fails to start must not fail activation: commands and debugging still work.
  client.start().catch((error: unknown) => {
    serverOutput.appendLine(`wasmscope: the language server did not start (${cli.node} ${cli.script} lsp --stdio): ${String(error)}`);
  });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
