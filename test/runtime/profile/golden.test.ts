// Golden summaries of interpreter-mode profiles: call counts, executed-instruction counts and
// guest → import edges are exact (derived by hand in each fixture's comments), and a second run
// gives the same counts. Times are measured, so the golden text has them masked (zeroed before
// formatting, which also keeps the table order deterministic). UPDATE_GOLDEN=1 rewrites the files.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadProgram } from '../../../runtime/loader.js';
import type { ProgramOptions } from '../../../runtime/program.js';
import { profileInterpreted } from '../../../runtime/profile/interp.js';
import { formatSummary, type ProfileReport } from '../../../runtime/profile/report.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'profile');

/** The report with every measured quantity zeroed: what remains is exact. */
function masked(r: ProfileReport): ProfileReport {
  return {
    ...r,
    totalTime: 0,
    boundaryCostNs: 0,
    functions: r.functions.map((f) => ({ ...f, selfTime: 0, totalTime: 0 })),
    imports: r.imports.map((i) => ({ ...i, hostTime: 0, boundaryTime: 0 })),
  };
}

function run(name: string, invoke: string, args: string[], hostFunctions?: ProgramOptions['hostFunctions']): ProfileReport {
  const options: ProgramOptions = { args: [], env: {}, preopens: [], invoke: { name: invoke, args }, hostFunctions };
  return profileInterpreted(loadProgram(join(fixtures, `${name}.wat`)), options, () => {}).report;
}

function checkGolden(name: string, summary: string): void {
  const file = join(fixtures, `${name}.golden`);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, summary + '\n');
  assert.equal(summary + '\n', readFileSync(file, 'utf8'), `${name}: summary differs from ${file} (UPDATE_GOLDEN=1 rewrites it)`);
}

test('fib(10): 177 calls and 1589 instructions, the same on a second run', () => {
  const first = run('fib', 'fib', ['10']);
  const fib = first.functions.find((f) => f.name === 'fib')!;
  assert.equal(fib.calls, 177);
  assert.equal(fib.instructions, 1589);
  assert.deepEqual(first.edges, []);
  checkGolden('fib', formatSummary(masked(first)));
  assert.equal(formatSummary(masked(run('fib', 'fib', ['10']))), formatSummary(masked(first)));
});

test('a loop calling an import k times, and call_indirect into an import: exact edges', () => {
  const host = () => {
    const seen = { tick: 0, log: [] as number[] };
    return { seen, functions: { env: { tick: () => { seen.tick++; }, log: (x: number) => { seen.log.push(x); } } } };
  };
  const h = host();
  const report = run('imports', 'run', ['7'], h.functions);
  assert.equal(h.seen.tick, 17);
  assert.deepEqual(h.seen.log, [7]);
  const edge = (caller: string, callee: string) => report.edges.find((e) => e.caller === caller && e.callee === callee)?.calls;
  assert.equal(edge('run', 'env.tick'), 11); // 7 direct + 4 through the table
  assert.equal(edge('twice', 'env.tick'), 6);
  assert.equal(edge('run', 'env.log'), 1);
  assert.equal(report.functions.find((f) => f.name === 'run')?.instructions, 113);
  assert.equal(report.functions.find((f) => f.name === 'twice')?.calls, 3);
  checkGolden('imports', formatSummary(masked(report)));
  assert.equal(formatSummary(masked(run('imports', 'run', ['7'], host().functions))), formatSummary(masked(report)));
});

test('k = 0: the loop test runs once, no edge to env.tick', () => {
  const report = run('imports', 'run', ['0'], { env: { tick: () => {}, log: () => {} } });
  // block, loop, local.get, local.get, i32.ge_u, br_if, then local.get, call.
  assert.equal(report.functions.find((f) => f.name === 'run')?.instructions, 8);
  assert.deepEqual(report.edges.map((e) => `${e.caller}->${e.callee}:${e.calls}`), ['run->env.log:1']);
});
