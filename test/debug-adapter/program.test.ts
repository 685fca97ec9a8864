// Launch preparation and the line map: everything decided before the engine runs a single instruction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram, prepareLaunch, LaunchError } from '../../debug-adapter/program.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'dap');
const fx = (name: string): string => join(fixtures, name);

test('a .wat program maps every instruction to its text', () => {
  const p = loadProgram(fx('calls.wat'));
  assert.equal(p.kind, 'wat');
  assert.equal(p.generated, false);
  // `local.get $x  i32.const 2  i32.mul` on line 4 (0-based 3): three instructions, three columns.
  const line3 = p.lines.onLine(3).map((e) => e.column);
  assert.deepEqual(line3.slice(0, 3), [4, 18, 31]);
  assert.equal(p.module.names.funcs.get(1), 'middle');
  assert.equal(p.module.names.locals.get(2)?.get(0), 'r');
});

test('line breakpoints: first executed instruction, columns, moved to the nearest code', () => {
  const p = loadProgram(fx('calls.wat'));
  // Folded `(local.set $r (call $middle (i32.const 20)))` runs i32.const first.
  const folded = p.lines.place(10)!;
  assert.equal(folded.moved, false);
  assert.equal(p.module.bytes[folded.entry.offset], 0x41); // i32.const
  const column = p.lines.place(3, 18)!;
  assert.equal(column.entry.column, 18);
  assert.equal(p.module.bytes[column.entry.offset], 0x41);
  const third = p.lines.place(3, 31)!;
  assert.equal(p.module.bytes[third.entry.offset], 0x6c); // i32.mul
  const between = p.lines.place(3, 16)!; // whitespace between instructions → the next one, moved
  assert.equal(between.entry.column, 18);
  assert.equal(between.moved, true);
  const comment = p.lines.place(0)!; // the comment line above the module
  assert.equal(comment.moved, true);
  assert.ok(comment.entry.line > 0);
  const header = p.lines.place(8)!; // `(func $main ...` header → first instruction of main
  assert.equal(header.moved, true);
  assert.equal(header.entry.funcIndex, 2);
});

test('locate maps offsets back to lines, including unmapped offsets inside a function', () => {
  const p = loadProgram(fx('loop.wat'));
  const fn = p.lines.functions[0]!;
  const first = p.lines.locate(fn.codeStart)!;
  assert.equal(first.line, 6);
  assert.equal(p.lines.locate(0), undefined);
});

test('a .wasm program gets a generated document with the same mapping', () => {
  const p = loadProgram(fx('loop.wasm'));
  assert.equal(p.kind, 'wasm');
  assert.equal(p.generated, true);
  const lines = p.text.split('\n');
  assert.ok(lines.some((l) => /^ {2}\(func \$sum \(;0;\) .*\(param \$n i32\) \(result i32\)/.test(l)), p.text);
  for (const e of p.lines.entries) assert.ok(lines[e.line]!.length > e.column);
  const gt = p.lines.entries.find((e) => lines[e.line]!.trim() === 'i32.gt_s')!;
  assert.equal(p.module.bytes[gt.offset], 0x4a);
  assert.ok(lines.some((l) => l.trim() === 'local.get $i'));
});

test('launch errors are clear and located', async () => {
  const fails = (args: Parameters<typeof prepareLaunch>[0], pattern: RegExp): Promise<void> =>
    assert.rejects(prepareLaunch(args), (e: unknown) => e instanceof LaunchError && pattern.test(e.message));
  await fails({}, /no "program"/);
  await fails({ program: fx('missing.wat') }, /program not found/);
  await fails({ program: fx('script.wast') }, /a \.wast script is a test script/);
  await fails({ program: fx('broken.wat') }, /broken\.wat:3:\d+: error: .*\$missing/);
  await fails({ program: fx('malformed.wasm') }, /magic header not detected \(at offset 0x0\)/);
  await fails({ program: fx('truncated.wasm') }, /malformed\.wasm|truncated\.wasm: .*offset/);
  await fails({ program: fx('invalid.wat') }, /invalid\.wat:4:12: error: type mismatch/);
  await fails({ program: fx('unknown-import.wat') }, /unknown import "env\.log"/);
  await fails({ program: fx('loop.wat') }, /no _start export .*invoke.*sum/);
  await fails({ program: fx('loop.wat'), invoke: { name: 'nope' } }, /no export named "nope"/);
  await fails({ program: fx('loop.wat'), invoke: { name: 'sum', args: [] } }, /takes 1 argument/);
  await fails({ program: fx('loop.wat'), invoke: { name: 'sum', args: ['ten'] } }, /argument 1 of "sum": cannot parse "ten" as i32/);
  await fails({ program: fx('hello.wat'), dirs: ['does-not-exist'] }, /not a directory/);
  await fails({ program: fx('hello.wat'), stdin: 'nope.txt' }, /stdin file not found/);
});

test('a good configuration becomes the engine load request', async () => {
  const plan = await prepareLaunch({ program: 'hello.wat', cwd: fixtures, args: ['a', 'b'], env: { K: 'v' },
    dirs: ['.::/data'], stopOnEntry: true });
  assert.equal(plan.entryName, '_start');
  assert.deepEqual(plan.imports.wasi?.args, ['hello.wat', 'a', 'b']);
  assert.deepEqual(plan.imports.wasi?.env, { K: 'v' });
  assert.deepEqual(plan.imports.wasi?.preopens, { '/data': fixtures });
  assert.equal(plan.options.stopOnEntry, true);
  const auto = await prepareLaunch({ program: fx('calls.wat') });
  assert.equal(auto.options.entry, 'main'); // the only exported function, and it takes nothing
  assert.equal(auto.autoEntry, true);
  const invoke = await prepareLaunch({ program: fx('loop.wat'), invoke: { name: 'sum', args: [5] } });
  assert.equal(invoke.options.entry, 'sum');
  assert.deepEqual(invoke.options.entryArgs, ['5']);
});

test('deferred validation: the plan is made, and validate() throws what an undeferred launch throws', async () => {
  const undeferred = await prepareLaunch({ program: fx('invalid.wasm') }).then(() => undefined, (e: Error) => e.message);
  assert.match(undeferred ?? '', /invalid\.wasm: type mismatch in i32\.add/);
  const plan = await prepareLaunch({ program: fx('invalid.wasm') }, undefined, { deferValidation: true });
  assert.throws(() => plan.validate!(), (e: unknown) => e instanceof LaunchError && e.message === undeferred);
  // Validation errors still come before the launch checks' own (here: no such export).
  await assert.rejects(prepareLaunch({ program: fx('invalid.wasm'), invoke: { name: 'nope' } }, undefined,
    { deferValidation: true }), (e: unknown) => e instanceof Error && e.message === undeferred);
  const valid = await prepareLaunch({ program: fx('loop.wasm'), invoke: { name: 'sum', args: [3] } }, undefined,
    { deferValidation: true });
  assert.doesNotThrow(() => valid.validate!());
});
