// The profiler's overhead: the same run unprofiled and under `wasmscope profile`, in both modes, as
// ratios measured in one run. Runs last long enough (hundreds of milliseconds) that the ratio shows
// the per-instruction cost; the fixed cost of starting and stopping V8's sampler is shown apart,
// measured on a run that does almost nothing. Interpreter mode's two costs are also shown alone:
// the counting tier's counters without the sampler, and the sampler over uncounted code.
import { join } from 'node:path';
import { loadProgram, type LoadedProgram } from '../runtime/loader.js';
import { runProgram, type ProgramOptions } from '../runtime/program.js';
import { profileInterpreted } from '../runtime/profile/interp.js';
import { profileNative } from '../runtime/profile/native.js';
import { bestOf } from '../runtime/profile/calibrate.js';
import { sampleCpu, SAMPLING_INTERVAL_US } from '../runtime/profile/sampler.js';
import { ProfileCounters } from '../runtime/engine/index.js';
import { printTable, type Row } from './table.js';
import { BENCH_DIR } from './paths.js';

const here = BENCH_DIR;
/** `run(n)` arguments that make each program run for a few hundred milliseconds on our engine. */
const RUNS: [string, number][] = [['fib', 36], ['loop', 800], ['hash', 60_000_000], ['sort', 16]];

/** Runs per measurement, the fastest kept: the machine is shared, and a 100 ms run is easily disturbed. */
const TRIES = 3;

function options(n: number): ProgramOptions {
  return { args: [], env: {}, preopens: [], invoke: { name: 'run', args: [String(n)] } };
}

function interpTimes(program: LoadedProgram, n: number): { plain: number; profiled: number } {
  const plain = bestOf(TRIES, () => runProgram(program, options(n)));
  const profiled = Math.min(...Array.from({ length: TRIES }, () => 0).map(() => profileInterpreted(program, options(n), () => {}).report.totalTime));
  return { plain, profiled };
}

/** Interpreter mode's parts alone: counters without the sampler, the sampler without counters. */
function interpParts(program: LoadedProgram, n: number): { counting: number; sampling: number } {
  const counting = bestOf(TRIES, () => runProgram(program, { ...options(n), instanceOptions: { counters: new ProfileCounters() } }));
  const sampling = bestOf(TRIES, () => sampleCpu(SAMPLING_INTERVAL_US, () => runProgram(program, options(n))));
  return { counting, sampling };
}

function nativeTimes(program: LoadedProgram, n: number): { plain: number; profiled: number } {
  const plain = bestOf(TRIES, () => {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(program.bytes), {});
    (instance.exports['run'] as (n: number) => unknown)(n);
  });
  const profiled = Math.min(...Array.from({ length: TRIES }, () => 0).map(() => profileNative({
    module: program.module, bytes: program.bytes, imports: {},
    run: (instance) => { (instance.exports['run'] as (n: number) => unknown)(n); return 0; },
  }).report.totalTime));
  return { plain, profiled };
}

export function benchProfiler(): void {
  const rows: Row[] = [];
  const plainMs: number[] = [];
  for (const [name, n] of RUNS) {
    const program = loadProgram(join(here, 'programs', `${name}.wasm`));
    const interp = interpTimes(program, n);
    const native = nativeTimes(program, n);
    plainMs.push(interp.plain);
    rows.push({
      program: `${name}(${n})`,
      'interp ms': interp.plain.toFixed(0), 'profiled ms': interp.profiled.toFixed(0), 'interp overhead': `${(interp.profiled / interp.plain).toFixed(2)}x`,
      'counting only': '', 'sampling only': '',
      'native ms': native.plain.toFixed(0), 'native profiled ms': native.profiled.toFixed(0), 'native overhead': `${(native.profiled / native.plain).toFixed(2)}x`,
    });
  }
  const tiny = loadProgram(join(here, 'programs', 'fib.wasm'));
  const fixedInterp = interpTimes(tiny, 1), fixedNative = nativeTimes(tiny, 1);
  rows.push({
    program: 'fixed cost (fib(1))',
    'interp ms': fixedInterp.plain.toFixed(1), 'profiled ms': fixedInterp.profiled.toFixed(1), 'interp overhead': `+${(fixedInterp.profiled - fixedInterp.plain).toFixed(0)} ms`,
    'counting only': '', 'sampling only': '',
    'native ms': fixedNative.plain.toFixed(1), 'native profiled ms': fixedNative.profiled.toFixed(1), 'native overhead': `+${(fixedNative.profiled - fixedNative.plain).toFixed(0)} ms`,
  });
  // The parts last: their runs leave code and garbage behind, and starting V8's sampler walks all
  // the code the process holds, so measured earlier they would slow the rows after them.
  RUNS.forEach(([name, n], k) => {
    const program = loadProgram(join(here, 'programs', `${name}.wasm`));
    const parts = interpParts(program, n);
    rows[k]!['counting only'] = `${(parts.counting / plainMs[k]!).toFixed(2)}x`;
    rows[k]!['sampling only'] = `${(parts.sampling / plainMs[k]!).toFixed(2)}x`;
  });
  printTable('Profiler overhead (profiled / unprofiled, same run; target at most 1.5x)', rows);
}
