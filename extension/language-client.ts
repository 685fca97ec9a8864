// The WAT language server runs as its own process (`node dist/wasmscope.js lsp --stdio`); this is
// only the client that starts it and connects it to .wat/.wast documents.
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type ErrorHandler, type Message } from 'vscode-languageclient/node';
import { lspArgs } from './cli-args.js';
import type { Cli } from './cli.js';
import { WAT_SCHEME } from './wasm-text.js';

/** Restarts a crashed server a few times, then stops and says so once instead of looping. */
class BoundedRestarts implements ErrorHandler {
  private crashes: number[] = [];
  constructor(private readonly output: vscode.LogOutputChannel) {}

  error(_error: Error, _message: Message | undefined, count: number | undefined) {
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
  }

  closed() {
    const now = Date.now();
    this.crashes = this.crashes.filter((t) => now - t < 3 * 60_000);
    this.crashes.push(now);
    if (this.crashes.length <= 3) return { action: CloseAction.Restart };
    const message = 'The wasmscope language server stopped 4 times in 3 minutes and will not be restarted. See the "wasmscope language server" output for why.';
    this.output.appendLine(message);
    return { action: CloseAction.DoNotRestart, message };
  }
}

export function createLanguageClient(cli: Cli, output: vscode.LogOutputChannel): LanguageClient {
  const server = { command: cli.node, args: lspArgs(cli.script), transport: TransportKind.stdio };
  return new LanguageClient(
    'wasmscope',
    'wasmscope language server',
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: 'file', language: 'wat' },
        { scheme: 'file', language: 'wast' },
        { scheme: 'untitled', language: 'wat' },
        { scheme: 'untitled', language: 'wast' },
        { scheme: WAT_SCHEME, language: 'wat' },
      ],
      outputChannel: output,
      errorHandler: new BoundedRestarts(output),
    },
  );
}
