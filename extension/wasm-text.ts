// Shows a binary module as WebAssembly text, read-only, in two ways: a virtual document (scheme
// `wasmscope-wat`, opened by "Show Wasm as Text", highlighted by the WAT grammar) and the default
// custom editor for *.wasm, so double-clicking a .wasm shows its text instead of "binary file".
// Both get the text from `wasmscope wasm2wat`: the extension has no decoder or printer of its own.
import * as vscode from 'vscode';
import { wasm2watArgs } from './cli-args.js';
import type { Cli } from './cli.js';
import { escapeHtml } from './profile-summary.js';

export const WAT_SCHEME = 'wasmscope-wat';
export const WASM_EDITOR_VIEW_TYPE = 'wasmscope.wasmText';

/** `wasmscope-wat:/path/to/mod.wasm.wat` — the `.wat` suffix makes VS Code pick the WAT language. */
export function watUriFor(wasm: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: WAT_SCHEME, path: wasm.fsPath + '.wat' });
}

function wasmPathOf(watUri: vscode.Uri): string {
  return watUri.path.replace(/\.wat$/, '');
}

export class WasmTextProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly cli: Cli) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const wasm = wasmPathOf(uri);
    try {
      return await this.cli.capture(wasm2watArgs(this.cli.script, wasm));
    } catch (error) {
      // The document stays readable and says why, instead of an empty editor.
      return `;; wasmscope could not print ${wasm} as text:\n` + String(error instanceof Error ? error.message : error).replace(/^/gm, ';; ') + '\n';
    }
  }

  /** Re-reads open text views when their .wasm changes on disk (e.g. after Compile WAT). */
  refresh(wasm: vscode.Uri): void {
    this.changed.fire(watUriFor(wasm));
  }
}

export async function showWasmText(wasm: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(watUriFor(wasm));
  if (doc.languageId !== 'wat') await vscode.languages.setTextDocumentLanguage(doc, 'wat');
  await vscode.window.showTextDocument(doc, { preview: false });
}

/** Read-only editor for .wasm files: the module's text in a webview, refreshed when the file changes. */
export class WasmTextEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly cli: Cli) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => {} };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: false, enableCommandUris: true };
    const render = async (): Promise<void> => {
      let body: string;
      try {
        const text = await this.cli.capture(wasm2watArgs(this.cli.script, document.uri.fsPath));
        body = `<pre id="wasm-text">${escapeHtml(text)}</pre>`;
      } catch (error) {
        body = `<p id="wasm-text-error">wasmscope could not print this module as text:</p><pre>${escapeHtml(error instanceof Error ? error.message : String(error))}</pre>`;
      }
      const open = `command:wasmscope.showWasmText?${encodeURIComponent(JSON.stringify([document.uri.toString()]))}`;
      panel.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>body { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-editor-foreground); }
pre { white-space: pre; } a { color: var(--vscode-textLink-foreground); }</style></head>
<body><p><a href="${open}">Open as a WAT text document</a> (read-only, with highlighting and language features)</p>${body}</body></html>`;
    };
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(document.uri, '..'), document.uri.path.split('/').pop() ?? '*'));
    watcher.onDidChange(() => void render());
    panel.onDidDispose(() => watcher.dispose());
    await render();
  }
}
