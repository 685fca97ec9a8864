// The counting tier's block layout (merged blocks, derived else arms, calls inside blocks, register
// counters in loops, unwind corrections) against the reference layout (one counter per instruction,
// nothing derived or merged): every function's calls, instructions and import edges must agree, on
// the benchmark kernels and on C programs that end through WASI's proc_exit and through a trap.
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ProfileCounters, Trap } from '../../../runtime/engine/index.js';
import { loadProgram } from '../../../runtime/loader.js';
import { runProgram, type ProgramOptions } from '../../../runtime/program.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const quiet = { stdout: () => {}, stderr: () => {} };

function counts(path: string, options: Omit<ProgramOptions, 'instanceOptions'>, reference: boolean): string[] {
  const program = loadProgram(path);
  const counters = new ProfileCounters(reference);
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity; // as the profiler runs: exceptions report every unwound frame
  try {
    runProgram(program, { ...options, instanceOptions: { counters } });
  } catch (e) {
    if (!(e instanceof Trap)) throw e;
  } finally {
    Error.stackTraceLimit = saved;
  }
  const imports = program.module.imports.filter((i) => i.desc.kind === 'func').length;
  const out: string[] = [];
  for (let f = imports; f < imports + program.module.funcs.length; f++) {
    if (counters.calls(f) > 0) out.push(`f${f}: ${counters.calls(f)} calls, ${counters.instructions(f)} instructions`);
  }
  for (const e of counters.importEdges()) out.push(`f${e.caller} -> import ${e.importIndex}: ${e.calls}`);
  return out.sort();
}

const cases: { name: string; path: string; options: Omit<ProgramOptions, 'instanceOptions'> }[] = [
  ...[['fib', '18'], ['sort', '1'], ['loop', '2'], ['hash', '2000'], ['nbody', '50']].map(([name, arg]) => ({
    name: `${name} run ${arg}`, path: join(root, 'bench', 'programs', `${name}.wasm`),
    options: { args: [], env: {}, preopens: [], invoke: { name: 'run', args: [arg!] } },
  })),
  ...['exit', 'trap', 'return'].map((how) => ({
    name: `C program: ${how}`, path: join(root, 'test', 'fixtures', 'wasi', 'exit.wasm'),
    options: { args: [how, '3'], env: {}, preopens: [], ...quiet },
  })),
];

for (const c of cases) {
  test(`block counts equal per-instruction counts: ${c.name}`, () => {
    const merged = counts(c.path, c.options, false);
    assert.ok(merged.length > 0, 'nothing was counted');
    assert.deepEqual(merged, counts(c.path, c.options, true));
  });
}
