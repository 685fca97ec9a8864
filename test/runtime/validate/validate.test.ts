import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../runtime/binary/decode.js';
import { assertValid, validateModule, validateModuleWithFacts } from '../../../runtime/validate/module.js';
import { ValidationError } from '../../../runtime/wasm/errors.js';
import { wat } from '../binary/wat.js';
import { arithmeticModule, singleFunctionModule } from '../binary/module-builder.js';

function errorsOf(text: string): ValidationError[] {
  return validateModule(decodeModule(wat(text)));
}

function firstError(text: string): string {
  const errors = errorsOf(text);
  assert.ok(errors.length > 0, 'expected a validation error');
  return errors[0]!.message;
}

test('messages name the instruction, expected and found types', () => {
  assert.equal(firstError('(module (func (result i32) (i32.add (i32.const 1) (i64.const 2))))'),
    'type mismatch in i32.add: expected [i32 i32], found [i32 i64]');
  assert.equal(firstError('(module (func (local.get 5) (drop)))'), 'unknown local 5');
  assert.equal(firstError('(module (global i32 (i32.const 0)) (func (global.get 2) (drop)))'), 'unknown global 2');
  assert.equal(firstError('(module (memory 1) (func (i32.load align=8 (i32.const 0)) (drop)))'),
    'alignment must not be larger than natural');
  assert.match(firstError('(module (global i32 (i32.add (i32.const 0) (i32.const 1))))'), /^constant expression required/);
  assert.equal(firstError('(module (func (export "f")) (func (export "f")))'), 'duplicate export name "f"');
  assert.match(firstError('(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))'), /^global is immutable/);
  assert.equal(firstError('(module (func (i32.load (i32.const 0)) (drop)))'), 'unknown memory 0');
  assert.equal(firstError('(module (func (select (result i32 i32) (i32.const 0) (i32.const 0) (i32.const 0)) (drop)))'),
    'invalid result arity');
  assert.equal(firstError('(module (func $f (ref.func $f) (drop)))'), 'undeclared function reference 0');
  assert.equal(firstError('(module (func (br 1)))'), 'unknown label 1');
  assert.match(firstError('(module (memory 70000))'), /^memory size must be at most 65536 pages/);
  assert.match(firstError('(module (func (result i32) (i32.const 1) (i32.const 2)))'), /^type mismatch in end/);
});

test('unreachable code is polymorphic; declared references are accepted', () => {
  assert.deepEqual(errorsOf(`(module
    (func (result i32) (unreachable) (i32.add) (select) (drop) (i32.const 1))
    (func $g (result i32) (block (result i32) (br 0 (i32.const 1)) (f32.add) (drop) (i32.eqz)))
    (elem declare func $g)
    (func (ref.func $g) (drop)))`), []);
  assert.match(firstError('(module (func (unreachable) (i64.const 0) (i32.add) (drop)))'),
    /^type mismatch in i32.add: expected \[i32 i32\], found \[i64\]/);
});

test('one error per function and per module part, with offset and function index', () => {
  const bytes = wat(`(module
    (func (i32.add (i32.const 1)) (drop))
    (func (nop))
    (func (f32.neg (i32.const 1)) (drop))
    (export "e" (func 9)))`);
  const m = decodeModule(bytes);
  const errors = validateModule(m);
  assert.equal(errors.length, 3);
  const byFunc = errors.filter((e) => e.location?.funcIndex !== undefined);
  assert.deepEqual(byFunc.map((e) => e.location!.funcIndex), [0, 2]);
  const add = m.funcs[0]!.body.find((i) => i.op === 0x6a)!;
  assert.equal(byFunc[0]!.location!.offset, add.offset);
  assert.equal(errors.find((e) => e.location?.funcIndex === undefined)!.message, 'unknown function 9');
  assert.throws(() => assertValid(m), (e: unknown) => e instanceof ValidationError);
});

test('observer sees the operand stack before every instruction; facts give stack height', () => {
  const m = decodeModule(wat(`(module (func (param i32) (result i64)
    (i64.extend_i32_u (local.get 0)) (i64.const 2) (i64.mul)))`));
  const seen: string[] = [];
  const result = validateModuleWithFacts(m, {
    instr: (funcIndex, instrIndex, stack) => seen.push(`${funcIndex}:${instrIndex}:${stack.join(',')}`),
  });
  assert.deepEqual(result.errors, []);
  assert.deepEqual(seen, ['0:0:', '0:1:127', '0:2:126', '0:3:126,126', '0:4:126']);
  assert.deepEqual(result.funcs[0], { maxStackHeight: 2, maxControlDepth: 1 });
});

test('validates a 50,000-instruction module in a few milliseconds', () => {
  const m = decodeModule(arithmeticModule(50, 250));
  const instrs = m.funcs.reduce((n, f) => n + f.body.length, 0);
  assert.ok(instrs >= 50_000);
  validateModule(m); // warm up the JIT
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    // CPU time, not wall time, so other jobs on a shared machine do not fail the test.
    const before = process.cpuUsage();
    assert.deepEqual(validateModule(m), []);
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  console.log(`validate ${instrs} instructions: median ${times[2]!.toFixed(2)} ms`);
  assert.ok(times[2]! < 50, `median ${times[2]} ms`);
});

test('module-level errors point at their entry', () => {
  const bytes = wat('(module (table 1 funcref) (memory 3 2))');
  const [error] = validateModule(decodeModule(bytes));
  assert.equal(error?.message, 'size minimum must not be greater than maximum');
  // The memory entry is the last 3 bytes: flags 0x01, min 3, max 2.
  assert.equal(error?.location?.offset, bytes.length - 3);
  assert.equal(bytes[error!.location!.offset], 0x01);
});

test('deep nesting validates without recursion', () => {
  const depth = 50000;
  const code = [0, ...new Array<number>(depth).fill(0).flatMap(() => [0x02, 0x40]), ...new Array<number>(depth + 1).fill(0x0b)];
  const result = validateModuleWithFacts(decodeModule(singleFunctionModule(code)));
  assert.deepEqual(result.errors, []);
  assert.equal(result.funcs[0]?.maxControlDepth, depth + 1);
});
