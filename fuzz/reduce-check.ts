// The "interestingness" command for binaryen's wasm-reduce: prints whether the module at argv[2]
// still diverges, and how (the kind, not the values, which change as the module shrinks). Usage:
//   wasm-reduce bad.wasm --command "node --import tsx fuzz/reduce-check.ts t.wasm <seed> <exact> <tier>" \
//     -t t.wasm -w reduced.wasm --enable-simd ...   (the fuzzer's feature flags)
import { readFileSync } from 'node:fs';
import { runDifferential, type Tier } from './differential.js';

const [file, seed = '0', exact = 'true', tier = 'fast'] = process.argv.slice(2);
if (!file) {
  console.error('usage: reduce-check.ts FILE.wasm [seed] [exactState] [tier]');
  process.exit(2);
}
try {
  const r = runDifferential(new Uint8Array(readFileSync(file)), { seed: Number(seed), exactState: exact === 'true', tier: tier as Tier });
  const what = r.divergence?.what.replace(/^.*?\): /, '') ?? 'none';
  console.log(r.skipped ? 'skipped' : `divergence: ${what.split(' ')[0]}`);
} catch (e) {
  console.log(`error: ${e instanceof Error ? e.name : 'thrown'}`);
}
