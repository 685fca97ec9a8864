import { test } from 'node:test';
import assert from 'node:assert/strict';
import { debugValue, parseValue } from '../../../runtime/engine/debug-values.js';
import { ValType } from '../../../runtime/wasm/types.js';

test('values a debugger types in parse per Wasm type, exactly', () => {
  assert.equal(parseValue(ValType.I32, '0xffffffff'), -1);
  assert.equal(parseValue(ValType.I32, '-2147483648'), -2147483648);
  assert.equal(parseValue(ValType.I64, '-0x8000000000000000'), -0x8000000000000000n);
  assert.equal(parseValue(ValType.I64, '18446744073709551615'), -1n);
  assert.equal(parseValue(ValType.F32, '1.5'), 0x3fc00000);
  assert.equal(parseValue(ValType.F32, 'bits:0x7fa00001'), 0x7fa00001);
  assert.ok(Number.isNaN(parseValue(ValType.F64, 'nan') as number));
  assert.equal(parseValue(ValType.F64, '-inf'), -Infinity);
  assert.deepEqual(parseValue(ValType.V128, '0x000102030405060708090a0b0c0d0e0f'), Uint8Array.from({ length: 16 }, (_, i) => i));
  assert.equal(parseValue(ValType.FuncRef, 'null'), null);
  assert.throws(() => parseValue(ValType.I32, '1.5'), /cannot parse/);
  // Negative hex was a JavaScript SyntaxError, and an out-of-range value wrapped silently.
  assert.equal(parseValue(ValType.I32, '-0x10'), -16);
  assert.equal(parseValue(ValType.I32, '1_000'), 1000);
  assert.throws(() => parseValue(ValType.I32, '99999999999'), /cannot parse "99999999999" as i32/);
  assert.throws(() => parseValue(ValType.I64, '0x1_0000_0000_0000_0000'), /cannot parse/);
  assert.throws(() => parseValue(ValType.F64, 'abc'), /cannot parse/);
});

test('values display with their type, and raw forms keep the bits', () => {
  assert.deepEqual(debugValue(ValType.F32, 0x7fa00001), { type: 'f32', text: 'nan', raw: 0x7fa00001 });
  assert.deepEqual(debugValue(ValType.F64, -0), { type: 'f64', text: '-0', raw: '8000000000000000' });
  assert.deepEqual(debugValue(ValType.I64, -5n), { type: 'i64', text: '-5', raw: '-5' });
  assert.equal(debugValue(ValType.V128, new Uint8Array(16).fill(0xab)).text, `0x${'ab'.repeat(16)}`);
  assert.deepEqual(debugValue(ValType.ExternRef, null), { type: 'externref', text: 'null', raw: null });
});
