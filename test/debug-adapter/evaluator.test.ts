import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugValue } from '../../runtime/engine/debug-api.js';
import { evaluateExpression, formatResult, isTruthy, EvalError, type EvalContext } from '../../debug-adapter/evaluator.js';

const memory = new Uint8Array(64);
new DataView(memory.buffer).setInt32(8, -2, true);
new DataView(memory.buffer).setFloat64(16, 2.5, true);
memory.set([0x68, 0x69], 32);

const locals: { name: string; value: DebugValue }[] = [
  { name: 'n', value: { type: 'i32', text: '10', raw: 10 } },
  { name: 'ptr', value: { type: 'i32', text: '8', raw: 8 } },
  { name: 'big', value: { type: 'i64', text: '9007199254740993', raw: '9007199254740993' } },
  { name: 'f', value: { type: 'f32', text: '1.5', raw: 0x3fc00000 } },
  { name: 'v', value: { type: 'v128', text: '0x01', raw: '01000000020000000300000004000000' } },
];
const globals: { name: string; value: DebugValue }[] = [{ name: 'total', value: { type: 'i32', text: '-1', raw: -1 } }];

const ctx: EvalContext = {
  local: async (ref) => (typeof ref === 'number' ? locals[ref] : locals.find((l) => l.name === ref.replace(/^\$/, '')))?.value,
  global: async (ref) => (typeof ref === 'number' ? globals[ref] : globals.find((g) => g.name === ref.replace(/^\$/, '')))?.value,
  readMemory: async (address, length) => {
    if (address + length > memory.length) throw new Error('out of bounds memory access');
    return memory.slice(address, address + length);
  },
};

const ev = async (src: string): Promise<string> => formatResult(await evaluateExpression(src, ctx));

test('names, indices and precedence', async () => {
  assert.equal(await ev('$n'), '10');
  assert.equal(await ev('n + 1'), '11');
  assert.equal(await ev('local 1'), '8');
  assert.equal(await ev('local.0 * 2 + 1'), '21');
  assert.equal(await ev('global.0'), '-1');
  assert.equal(await ev('$total'), '-1');
  assert.equal(await ev('1 + 2 * 3'), '7');
  assert.equal(await ev('(1 + 2) * 3'), '9');
  assert.equal(await ev('0x10 | 0b1 << 2'), '20');
  assert.equal(await ev('-7 / 2'), '-3');
  assert.equal(await ev('-7 % 2'), '-1');
  assert.equal(await ev('n > 5 && n < 20'), '1');
  assert.equal(await ev('!n'), '0');
  assert.equal(await ev('~0'), '-1');
  assert.equal(await ev('1_000 + 1'), '1001');
});

test('i64 values stay exact and arithmetic does not wrap', async () => {
  assert.equal(await ev('$big + 1'), '9007199254740994');
  assert.equal(await ev('0xffffffff + 1'), '4294967296');
});

test('memory loads and slices', async () => {
  assert.equal(await ev('i32[ptr]'), '-2');
  assert.equal(await ev('u32[8]'), '4294967294');
  assert.equal(await ev('u8[8]'), '254');
  assert.equal(await ev('i8[8]'), '-2');
  assert.equal(await ev('f64[16]'), '2.5');
  assert.equal(await ev('i32[$ptr] + 3'), '1');
  assert.equal(await ev('mem[32..32+2]'), '68 69');
  const slice = await evaluateExpression('mem[32..36]', ctx);
  assert.equal(slice.kind, 'bytes');
});

test('floats and vectors are shown, not computed with', async () => {
  assert.equal(await ev('$f'), '1.5');
  assert.equal(await ev('-$f'), '-1.5');
  assert.equal(await ev('$v'), '0x01');
  await assert.rejects(evaluateExpression('$f + 1', ctx), /only integers/);
  await assert.rejects(evaluateExpression('1.5', ctx), /float literals/);
});

test('errors name the problem and its column', async () => {
  await assert.rejects(evaluateExpression('nosuch + 1', ctx), /unknown name 'nosuch'/);
  await assert.rejects(evaluateExpression('1 +', ctx), (e: unknown) => e instanceof EvalError && /column 4/.test(e.message));
  await assert.rejects(evaluateExpression('n / 0', ctx), /division by zero/);
  await assert.rejects(evaluateExpression('i32[1000]', ctx), /out of bounds/);
  await assert.rejects(evaluateExpression('mem[0..5000]', ctx), /longer than/);
  await assert.rejects(evaluateExpression('(1', ctx), /expected '\)'/);
  await assert.rejects(evaluateExpression('1 2', ctx), /unexpected '2'/);
  await assert.rejects(evaluateExpression('', ctx), /empty/);
  await assert.rejects(evaluateExpression('local 9', ctx), /no local 9/);
  await assert.rejects(evaluateExpression('3 @ 4', ctx), /unexpected character '@'/);
});

test('truthiness for conditions', async () => {
  assert.equal(isTruthy(await evaluateExpression('n == 10', ctx)), true);
  assert.equal(isTruthy(await evaluateExpression('n - 10', ctx)), false);
});

test('deep nesting is refused with a message, not a stack overflow', async () => {
  const ctx = { local: async () => undefined, global: async () => undefined, readMemory: async () => new Uint8Array(8) };
  await assert.rejects(evaluateExpression('('.repeat(1000) + '1' + ')'.repeat(1000), ctx), /nested more than 200 levels deep at column 201/);
  await assert.rejects(evaluateExpression('-'.repeat(5000) + '1', ctx), /nested more than 200 levels deep/);
  assert.equal((await evaluateExpression('('.repeat(150) + '1' + ')'.repeat(150), ctx)).kind, 'int');
});
