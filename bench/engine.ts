// Engine speed against peers, in one run on one machine: V8 (Node's own WebAssembly), wasmscope's
// fast tier, wasmscope with ten breakpoints armed in cold functions (every function compiled in the
// probed tier), and wabt's wasm-interp where installed. Prints milliseconds and ratios to V8.
// Times are the best of a few runs (the least disturbed by a shared machine); wasm-interp is timed
// as a whole process, which includes its start-up (a few milliseconds).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../runtime/binary/decode.js';
import { instantiate, invoke, WasmFunction } from '../runtime/engine/index.js';
import { allowLargeOptimizedFunctions } from '../runtime/engine/v8-flags.js';
import type { Module } from '../runtime/wasm/types.js';
import { printTable, type Row } from './table.js';
import { BENCH_DIR } from './paths.js';

const here = BENCH_DIR;
export const PROGRAMS = ['fib', 'loop', 'hash', 'nbody', 'sort'] as const;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function bestOf(runs: number, f: () => unknown): { ms: number; result: unknown } {
  let ms = Infinity, result: unknown;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, result };
}

function hasWasmInterp(): boolean {
  try {
    execFileSync('wasm-interp', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The first instruction of each exported `coldN` function: where the armed breakpoints go. */
function coldBreakpointOffsets(module: Module): number[] {
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  return module.exports
    .filter((e) => e.kind === 'func' && /^cold\d$/.test(e.name))
    .map((e) => module.funcs[e.index - imported]!.body[0]!.offset);
}

function runV8(bytes: Uint8Array): { ms: number; result: unknown } {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const bench = instance.exports['bench'] as () => unknown;
  return bestOf(RUNS, bench);
}

function runWasmscope(module: Module, breakpoints: boolean): { ms: number; result: unknown } {
  const instance = instantiate(module, {}, breakpoints ? { debug: { onProbe: () => 'continue' } } : undefined);
  if (breakpoints) {
    const offsets = coldBreakpointOffsets(module);
    if (offsets.length !== 10) throw new Error(`expected ten cold functions, found ${offsets.length}`);
    for (const offset of offsets) instance.debugger!.setBreakpoint(offset);
  }
  const bench = instance.exports.get('bench') as WasmFunction;
  return bestOf(RUNS, () => invoke(bench, [])[0]);
}

function runWasmInterp(path: string): { ms: number; result: unknown } {
  let best = Infinity, result: unknown;
  for (let i = 0; i < Math.min(RUNS, 2); i++) {
    const t0 = performance.now();
    const r = spawnSync('wasm-interp', [path, '--run-all-exports'], { encoding: 'utf8' });
    best = Math.min(best, performance.now() - t0);
    result = /bench\(\) => i64:(\d+)/.exec(r.stdout)?.[1];
  }
  return { ms: best, result: result === undefined ? undefined : BigInt.asIntN(64, BigInt(result as string)) };
}

export function benchEngine(): void {
  // As in a debug session's worker, so the breakpoint runs measure what the debugger runs.
  allowLargeOptimizedFunctions();
  const interp = hasWasmInterp();
  const rows: Row[] = [];
  for (const name of PROGRAMS) {
    const path = join(here, 'programs', `${name}.wasm`);
    const bytes = new Uint8Array(readFileSync(path));
    const module = decodeModule(bytes);
    const v8 = runV8(bytes);
    const fast = runWasmscope(module, false);
    const armed = runWasmscope(module, true);
    const wabt = interp ? runWasmInterp(path) : undefined;
    for (const [engine, r] of [['wasmscope', fast], ['wasmscope+10bp', armed], ['wasm-interp', wabt]] as const) {
      if (r && r.result !== undefined && r.result !== v8.result) {
        throw new Error(`${name}: ${engine} computed ${String(r.result)}, V8 ${String(v8.result)}`);
      }
    }
    rows.push({
      program: name,
      'V8 ms': v8.ms.toFixed(1),
      'wasmscope ms': fast.ms.toFixed(1),
      'x V8': (fast.ms / v8.ms).toFixed(2),
      '+10 bp ms': armed.ms.toFixed(1),
      'bp x V8': (armed.ms / v8.ms).toFixed(2),
      'wasm-interp ms': wabt ? wabt.ms.toFixed(0) : 'n/a',
      'interp / wasmscope+bp': wabt ? (wabt.ms / armed.ms).toFixed(1) : 'n/a',
    });
  }
  printTable('Engine: time per run (best of ' + RUNS + '), ratios in one run', rows);
  if (!interp) console.log('(wabt wasm-interp not installed: apt-get install wabt to compare with it)');
}
