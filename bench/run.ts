// `npm run bench`: every benchmark, each printing ratios against its peers measured in the same run.
// Select some with arguments: `npm run bench -- engine profiler`.
import { spawnSync } from 'node:child_process';
import { delimiter, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Each suite's code is imported only by the process that runs it (in the bundle, only that process
// initialises its module and compiles its functions): code loaded for nothing would still be
// walked by V8's sampler when the profiler suite starts it.
const SUITES: Record<string, () => Promise<void>> = {
  engine: async () => (await import('./engine.js')).benchEngine(),
  frontend: async () => (await import('./frontend.js')).benchFrontend(),
  profiler: async () => (await import('./profiler.js')).benchProfiler(),
  lsp: async () => (await import('./lsp.js')).benchLsp(),
  dap: async () => (await import('./dap.js')).benchDap(),
};

// npm puts node_modules/.bin first on PATH, where the wabt npm package's JS wrapper of wasm-interp
// shadows the native peer these benchmarks compare against (Debian wabt).
process.env.PATH = (process.env.PATH ?? '').split(delimiter).filter((p) => !p.endsWith(`node_modules${sep}.bin`)).join(delimiter);

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!SUITES[name]) {
    console.error(`unknown benchmark "${name}"; choose from ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
}
if (wanted.length === 1) {
  await SUITES[wanted[0]!]!();
} else {
  // Each suite in a fresh process: what one suite leaves in the isolate (compiled code, garbage)
  // would otherwise slow the next (V8's sampler start/stop, for one, walks all code objects).
  for (const name of wanted.length ? wanted : Object.keys(SUITES)) {
    const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
