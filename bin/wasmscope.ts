#!/usr/bin/env node
// The `wasmscope` executable: a thin router. `dap` and `lsp` start the debug adapter and the
// language server (which depend on runtime/, never the other way round); everything else is the
// runtime's command line.
import { main } from '../runtime/cli/main.js';

// Output piped into `head` and closed early is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const [command] = process.argv.slice(2);
if (command === 'dap') {
  void import('../debug-adapter/main.js').then((m) => m.runDebugAdapter());
} else if (command === 'lsp') {
  void import('../language-server/main.js').then((m) => m.runLanguageServer());
} else {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`wasmscope: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
