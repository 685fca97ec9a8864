// `npm run bench`: every benchmark, each printing ratios against its peers measured in the same run.
// Select some with arguments: `npm run bench -- engine profiler`.
import { benchEngine } from './engine.js';
import { benchFrontend } from './frontend.js';
import { benchLsp } from './lsp.js';
import { benchProfiler } from './profiler.js';

const SUITES: Record<string, () => void | Promise<void>> = {
  engine: benchEngine,
  frontend: benchFrontend,
  profiler: benchProfiler,
  lsp: benchLsp,
};

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(SUITES)) {
  const suite = SUITES[name];
  if (!suite) {
    console.error(`unknown benchmark "${name}"; choose from ${Object.keys(SUITES).join(', ')}`);
    process.exit(2);
  }
  await suite();
}
