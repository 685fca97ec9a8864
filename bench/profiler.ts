// The profiler's overhead: the same program unprofiled and under `wasmscope profile` in both modes,
// as ratios measured in one run.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram } from '../runtime/loader.js';
import { runProgram, type ProgramOptions } from '../runtime/program.js';
import { profileInterpreted } from '../runtime/profile/interp.js';
import { profileNative } from '../runtime/profile/native.js';
import { printTable, type Row } from './table.js';

const here = dirname(fileURLToPath(import.meta.url));

function time(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

export function benchProfiler(): void {
  const rows: Row[] = [];
  for (const name of ['fib', 'sort']) {
    const program = loadProgram(join(here, 'programs', `${name}.wasm`));
    const options: ProgramOptions = { args: [], env: {}, preopens: [], invoke: { name: 'bench', args: [] } };
    const plainInterp = Math.min(time(() => runProgram(program, options)), time(() => runProgram(program, options)));
    const profiledInterp = Math.min(...[0, 1].map(() => profileInterpreted(program, options, () => {}).report.totalTime));
    const plainNative = Math.min(...[0, 1].map(() => time(() => {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(program.bytes), {});
      (instance.exports['bench'] as () => unknown)();
    })));
    const profiledNative = Math.min(...[0, 1].map(() => profileNative({
      module: program.module, bytes: program.bytes, imports: {},
      run: (instance) => { (instance.exports['bench'] as () => unknown)(); return 0; },
    }).report.totalTime));
    rows.push({
      program: name,
      'interp ms': plainInterp.toFixed(1), 'interp profiled ms': profiledInterp.toFixed(1), 'interp overhead': (profiledInterp / plainInterp).toFixed(2) + 'x',
      'native ms': plainNative.toFixed(1), 'native profiled ms': profiledNative.toFixed(1), 'native overhead': (profiledNative / plainNative).toFixed(2) + 'x',
    });
  }
  printTable('Profiler overhead (profiled / unprofiled, same run; profiled times include calibration-free run only)', rows);
}
