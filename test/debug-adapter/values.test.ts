import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayValue, memoryRow, valueViews } from '../../debug-adapter/values.js';
import { formatInstruction } from '../../debug-adapter/disassembly.js';
import { tableElementText } from '../../debug-adapter/variables.js';
import { loadProgram } from '../../debug-adapter/program.js';

test('i32 shows signed, unsigned, hex and f32 readings', () => {
  const views = valueViews({ type: 'i32', text: '-1', raw: -1 });
  assert.deepEqual(views.map((v) => [v.name, v.value]), [
    ['signed', '-1'], ['unsigned', '4294967295'], ['hex', '0xffffffff'], ['as f32', 'NaN'],
  ]);
});

test('i64 stays exact', () => {
  const views = valueViews({ type: 'i64', text: '-9007199254740993', raw: '-9007199254740993' });
  assert.deepEqual(views.map((v) => v.value), ['-9007199254740993', '18437736874454810623', '0xffdfffffffffffff']);
});

test('floats show their bits, v128 its lanes', () => {
  assert.equal(valueViews({ type: 'f32', text: '1.5', raw: 0x3fc00000 })[0]!.value, '0x3fc00000');
  assert.equal(valueViews({ type: 'f64', text: '0.5', raw: '3fe0000000000000' })[0]!.value, '0x3fe0000000000000');
  const v = { type: 'v128' as const, text: '0x…', raw: '01000000020000000300000004000000' };
  assert.equal(displayValue(v), 'i32x4 1 2 3 4');
  const lanes = Object.fromEntries(valueViews(v).map((x) => [x.name, x.value]));
  assert.equal(lanes['i64x2'], '8589934593 17179869187');
  assert.equal(lanes['i8x16'], '1 0 0 0 2 0 0 0 3 0 0 0 4 0 0 0');
  assert.equal(lanes['f32x4']!.split(' ').length, 4);
});

test('references', () => {
  assert.equal(displayValue({ type: 'funcref', text: 'func 3', raw: 3 }), 'func 3');
  assert.equal(displayValue({ type: 'funcref', text: 'null', raw: null }), 'null');
  assert.deepEqual(valueViews({ type: 'externref', text: 'null', raw: null }), []);
});

test('memory rows: hex and ascii', () => {
  const row = memoryRow(16, new TextEncoder().encode('Hello, wasm!\0\x01\x02\x03'));
  assert.equal(row.name, '0x00000010');
  assert.match(row.value, /^48 65 6c 6c 6f .* 03 {2}Hello, wasm!\.\.\.\.$/);
});

test('instructions print with names and immediates', () => {
  const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'dap');
  const p = loadProgram(join(fixtures, 'memory.wat'));
  const body = p.module.funcs[0]!.body;
  const texts = body.map((i) => formatInstruction(i, p.module, 0));
  assert.ok(texts.includes('local.get $addr'), texts.join('\n'));
  assert.ok(texts.includes('i32.store'));
  assert.ok(texts.includes('global.get $counter'));
  assert.ok(texts.includes('f32.const 1.5'));
  assert.ok(texts.some((t) => t.startsWith('v128.const i32x4 0x00000001 0x00000002')), texts.join('\n'));
});

test('stack slots are re-read in their static type', async () => {
  const { retype } = await import('../../debug-adapter/stack-types.js');
  const { ValType } = await import('../../runtime/wasm/types.js');
  assert.deepEqual(retype({ type: 'i32', text: '1069547520', raw: 0x3fc00000 }, ValType.F32), { type: 'f32', text: '1.5', raw: 0x3fc00000 });
  assert.deepEqual(retype({ type: 'i32', text: '2', raw: 2 }, ValType.F64), { type: 'f64', text: '2', raw: '4000000000000000' });
  assert.deepEqual(retype({ type: 'i32', text: '7', raw: 7 }, ValType.I32), { type: 'i32', text: '7', raw: 7 });
  assert.equal(retype({ type: 'funcref', text: 'null', raw: null }, ValType.ExternRef).type, 'externref');
});

test('table elements: a function by name and index, null, externref for a host value', () => {
  const program = loadProgram(join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'dap', 'tables.wat'));
  const m = program.module;
  assert.equal(tableElementText(m, { type: 'funcref', text: 'func 1', raw: 1 }), '$sub (func 1)');
  assert.equal(tableElementText(m, { type: 'funcref', text: 'func 2', raw: 2 }), 'func 2');
  assert.equal(tableElementText(m, { type: 'funcref', text: 'func 3', raw: 3 }), '$main (func 3)');
  assert.equal(tableElementText(m, { type: 'funcref', text: 'null', raw: null }), 'null');
  assert.equal(tableElementText(m, { type: 'externref', text: '[object Object]', raw: '[object Object]' }), 'externref');
  assert.equal(tableElementText(m, { type: 'externref', text: 'null', raw: null }), 'null');
});
