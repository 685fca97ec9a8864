// Entry point of `wasmscope lsp --stdio`: a JSON-RPC connection on stdin/stdout (the transport
// vscode-languageclient starts us with) handed to the server.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

export function runLanguageServer(): void {
  // createConnection picks the transport from argv (--stdio, --node-ipc, --socket=N); default to stdio.
  if (!process.argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
    process.argv.push('--stdio');
  }
  const connection = createConnection(ProposedFeatures.all);
  // Last line of defence: handlers are guarded, but a stray async error must not end the session.
  process.on('uncaughtException', (e) => {
    connection.console.error(`wasmscope lsp: uncaught error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  });
  process.on('unhandledRejection', (e) => {
    connection.console.error(`wasmscope lsp: unhandled rejection: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  });
  startServer(connection);
}
