// The profiler's overhead: the same run unprofiled and under `wasmscope profile`, in both modes, as
// ratios measured in one run. Runs last long enough (hundreds of milliseconds) that the ratio shows
// the per-instruction cost; the fixed cost of starting and stopping V8's sampler is shown apart,
// measured on a run that does almost nothing.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram, type LoadedProgram } from '../runtime/loader.js';
import { runProgram, type ProgramOptions } from '../runtime/program.js';
import { profileInterpreted } from '../runtime/profile/interp.js';
import { profileNative } from '../runtime/profile/native.js';
import { bestOf } from '../runtime/profile/calibrate.js';
import { printTable, type Row } from './table.js';

const here = dirname(fileURLToPath(import.meta.url));
/** `run(n)` arguments that make each program run for a few hundred milliseconds on our engine. */
const RUNS: [string, number][] = [['fib', 36], ['loop', 800], ['hash', 60_000_000], ['sort', 16]];

function options(n: number): ProgramOptions {
  return { args: [], env: {}, preopens: [], invoke: { name: 'run', args: [String(n)] } };
}

function interpTimes(program: LoadedProgram, n: number): { plain: number; profiled: number } {
  const plain = bestOf(2, () => runProgram(program, options(n)));
  const profiled = Math.min(...[0, 1].map(() => profileInterpreted(program, options(n), () => {}).report.totalTime));
  return { plain, profiled };
}

function nativeTimes(program: LoadedProgram, n: number): { plain: number; profiled: number } {
  const plain = bestOf(2, () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(program.bytes), {});
    (instance.exports['run'] as (n: number) => unknown)(n);
  });
  const profiled = Math.min(...[0, 1].map(() => profileNative({
    module: program.module, bytes: program.bytes, imports: {},
    run: (instance) => { (instance.exports['run'] as (n: number) => unknown)(n); return 0; },
  }).report.totalTime));
  return { plain, profiled };
}

export function benchProfiler(): void {
  const rows: Row[] = [];
  for (const [name, n] of RUNS) {
    const program = loadProgram(join(here, 'programs', `${name}.wasm`));
    const interp = interpTimes(program, n);
    const native = nativeTimes(program, n);
    rows.push({
      program: `${name}(${n})`,
      'interp ms': interp.plain.toFixed(0), 'profiled ms': interp.profiled.toFixed(0), 'interp overhead': `${(interp.profiled / interp.plain).toFixed(2)}x`,
      'native ms': native.plain.toFixed(0), 'native profiled ms': native.profiled.toFixed(0), 'native overhead': `${(native.profiled / native.plain).toFixed(2)}x`,
    });
  }
  const tiny = loadProgram(join(here, 'programs', 'fib.wasm'));
  const fixedInterp = interpTimes(tiny, 1), fixedNative = nativeTimes(tiny, 1);
  rows.push({
    program: 'fixed cost (fib(1))',
    'interp ms': fixedInterp.plain.toFixed(1), 'profiled ms': fixedInterp.profiled.toFixed(1), 'interp overhead': `+${(fixedInterp.profiled - fixedInterp.plain).toFixed(0)} ms`,
    'native ms': fixedNative.plain.toFixed(1), 'native profiled ms': fixedNative.profiled.toFixed(1), 'native overhead': `+${(fixedNative.profiled - fixedNative.plain).toFixed(0)} ms`,
  });
  printTable('Profiler overhead (profiled / unprofiled, same run; target at most 1.5x)', rows);
}
