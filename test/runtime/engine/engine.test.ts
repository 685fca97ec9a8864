import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  instantiate, invoke, invokeExact, Trap, WasmFunction, WasmGlobal, WasmMemory, WasmTable, type Instance,
} from '../../../runtime/engine/index.js';
import { LinkError, ValidationError, WasmError } from '../../../runtime/wasm/errors.js';
import { watModule, watToBytes, offsetOf } from './wat.js';

const fn = (inst: Instance, name: string): WasmFunction => {
  const f = inst.exports.get(name);
  assert.ok(f instanceof WasmFunction, `export ${name}`);
  return f;
};

function trapOf(run: () => unknown): Trap {
  try {
    run();
  } catch (e) {
    assert.ok(e instanceof Trap, `expected a Trap, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a trap');
}

const KERNELS = `(module
  (memory (export "mem") 1)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "sum") (param i32) (result i64) (local i64)
    (block $b (loop $l
      (br_if $b (i32.eqz (local.get 0)))
      (local.set 1 (i64.add (local.get 1) (i64.extend_i32_u (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br $l)))
    (local.get 1))
  (func (export "swap") (param f64 i32) (result i32 f64) (local.get 1) (local.get 0))
  (func (export "fneg") (param f32) (result f32) (f32.neg (local.get 0)))
  (func (export "classify") (param i32) (result i32)
    (block $c (block $b (block $a (br_table $a $b $c (local.get 0))) (return (i32.const 10))) (return (i32.const 11)))
    (i32.const 12))
  (func (export "store-load") (param i32 i64) (result i64)
    (i64.store offset=8 (local.get 0) (local.get 1)) (i64.load offset=8 (local.get 0)))
)`;

test('computes results through the public API, compared with V8 on the same bytes', async () => {
  const bytes = watToBytes(KERNELS);
  const inst = instantiate(watModule(KERNELS), {});
  const v8 = (await WebAssembly.instantiate(bytes)).instance.exports as Record<string, (...a: unknown[]) => unknown>;
  for (const n of [0, 1, 2, 10, 20]) assert.deepEqual(invoke(fn(inst, 'fib'), [n]), [v8.fib!(n)]);
  assert.deepEqual(invoke(fn(inst, 'sum'), [100000]), [v8.sum!(100000)]);
  assert.deepEqual(invoke(fn(inst, 'swap'), [1.5, 7]), [7, 1.5]);
  for (const k of [0, 1, 2, 3, -1]) assert.deepEqual(invoke(fn(inst, 'classify'), [k]), [v8.classify!(k)]);
  assert.deepEqual(invoke(fn(inst, 'store-load'), [100, -5n]), [-5n]);
});

test('f32 values keep signalling-NaN payloads (carried as bits)', () => {
  const inst = instantiate(watModule(KERNELS), {});
  // 0x7fa00000 is a signalling NaN; neg only flips the sign bit.
  assert.deepEqual(invokeExact(fn(inst, 'fneg'), [0x7fa00000]), [0xffa00000 | 0]);
});

test('traps carry the spec message, the function index and the instruction offset', () => {
  const text = `(module (memory 1)
    (func $load (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func $div (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func $outer (export "outer") (param i32) (result i32) (call $load (local.get 0)))
    (func $boom (export "boom") unreachable)
    (func $rec (export "rec") (param i32) (result i32) (i32.add (call $rec (local.get 0)) (i32.const 1))))`;
  const m = watModule(text);
  const inst = instantiate(m, {});
  let t = trapOf(() => invoke(fn(inst, 'load'), [65534]));
  assert.equal(t.message, 'out of bounds memory access');
  assert.equal(t.kind, 'trap');
  assert.deepEqual(t.location, { funcIndex: 0, offset: offsetOf(m, 0, 0x28) });

  t = trapOf(() => invoke(fn(inst, 'div'), [1, 0]));
  assert.equal(t.message, 'integer divide by zero');
  assert.deepEqual(t.location, { funcIndex: 1, offset: offsetOf(m, 1, 0x6d) });
  assert.equal(trapOf(() => invoke(fn(inst, 'div'), [-2147483648, -1])).message, 'integer overflow');

  t = trapOf(() => invoke(fn(inst, 'outer'), [-1]));
  assert.deepEqual(t.backtrace.slice(0, 2).map((f) => [f.funcIndex, f.name, f.offset]),
    [[0, 'load', offsetOf(m, 0, 0x28)], [2, 'outer', offsetOf(m, 2, 0x10)]]);

  t = trapOf(() => invoke(fn(inst, 'boom'), []));
  assert.equal(t.message, 'unreachable');
  assert.equal(t.location?.offset, offsetOf(m, 3, 0x00));

  t = trapOf(() => invoke(fn(inst, 'rec'), [0]));
  assert.equal(t.kind, 'exhaustion');
  assert.equal(t.message, 'call stack exhausted');
  assert.equal(t.location?.funcIndex, 4);
});

test('call_indirect checks bounds, null entries and signatures', () => {
  const text = `(module (type $v (func (result i32))) (table 3 funcref)
    (elem (i32.const 0) $one $two)
    (func $one (result i32) (i32.const 1))
    (func $two (param i32) (result i32) (local.get 0))
    (func (export "call") (param i32) (result i32) (call_indirect (type $v) (local.get 0))))`;
  const inst = instantiate(watModule(text), {});
  const call = fn(inst, 'call');
  assert.deepEqual(invoke(call, [0]), [1]);
  assert.equal(trapOf(() => invoke(call, [1])).message, 'indirect call type mismatch');
  assert.equal(trapOf(() => invoke(call, [2])).message, 'uninitialized element');
  assert.equal(trapOf(() => invoke(call, [3])).message, 'undefined element');
});

test('host functions receive and return host-convention values; multi-value as arrays', () => {
  const text = `(module
    (import "env" "add" (func $add (param i64 f32) (result i64)))
    (import "env" "pair" (func $pair (result i32 f64)))
    (func (export "run") (result i64) (call $add (i64.const 40) (f32.const 2.5)))
    (func (export "pair") (result f64) (local f64) (call $pair) (local.set 0) (drop) (local.get 0)))`;
  const seen: unknown[] = [];
  const inst = instantiate(watModule(text), {
    env: {
      add: (a: bigint, b: number) => { seen.push(a, b); return a + BigInt(Math.floor(b)); },
      pair: () => [7, 0.25],
    },
  });
  assert.deepEqual(invoke(fn(inst, 'run'), []), [42n]);
  assert.deepEqual(seen, [40n, 2.5]);
  assert.deepEqual(invoke(fn(inst, 'pair'), []), [0.25]);
});

test('linking: exports of one instance satisfy imports of another; mismatches are LinkErrors', () => {
  const a = instantiate(watModule(`(module (memory (export "mem") 1 4) (global (export "g") (mut i32) (i32.const 5))
    (table (export "tab") 2 funcref) (func (export "seven") (result i32) (i32.const 7)))`), {});
  const consumer = `(module (import "a" "mem" (memory 1)) (import "a" "g" (global (mut i32)))
    (import "a" "seven" (func $seven (result i32)))
    (func (export "run") (result i32) (i32.store (i32.const 0) (call $seven)) (global.set 0 (i32.const 9)) (i32.load (i32.const 0))))`;
  const imports = { a: Object.fromEntries(a.exports) };
  const b = instantiate(watModule(consumer), imports);
  assert.deepEqual(invoke(fn(b, 'run'), []), [7]);
  assert.equal((a.exports.get('mem') as WasmMemory).view.getInt32(0, true), 7);
  assert.equal((a.exports.get('g') as WasmGlobal).value, 9);

  const unknown = assert.throws(() => instantiate(watModule(consumer), { a: {} }), LinkError);
  void unknown;
  assert.throws(() => instantiate(watModule('(module (import "a" "g" (global i32)))'), imports), /incompatible import type/);
  assert.throws(() => instantiate(watModule('(module (import "a" "mem" (memory 1 2)))'), imports), /incompatible import type/);
  assert.throws(() => instantiate(watModule('(module (import "a" "seven" (func (result i64))))'), imports), /incompatible import type/);
  assert.throws(() => instantiate(watModule('(module (import "a" "nope" (func)))'), imports), /unknown import/);
});

test('memory.grow replaces the buffer, callers see the new memory, the cap limits growth', () => {
  const text = `(module (memory (export "mem") 1 10)
    (func $grow (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "grow-and-store") (param i32) (result i32)
      (drop (call $grow (local.get 0)))
      (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 77))
      (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`;
  const inst = instantiate(watModule(text), {}, { maxMemoryPages: 4 });
  assert.deepEqual(invoke(fn(inst, 'grow-and-store'), [2]), [77]);
  assert.equal((inst.exports.get('mem') as WasmMemory).pages, 3);
  assert.deepEqual(invoke(fn(inst, 'grow'), [1]), [3]);
  assert.deepEqual(invoke(fn(inst, 'grow'), [1]), [-1]); // the cap (4 pages) is below the declared max
  assert.throws(() => instantiate(watModule('(module (memory 8))'), {}, { maxMemoryPages: 4 }),
    (e: unknown) => e instanceof WasmError && e.kind === 'exhaustion');
});

test('segments initialise in order; a trap midway keeps earlier effects on imported tables and memories', () => {
  const mem = new WasmMemory({ min: 1 });
  const table = new WasmTable(0x70, { min: 2 });
  const text = `(module (import "h" "mem" (memory 1)) (import "h" "tab" (table 2 funcref))
    (func $f) (elem (i32.const 0) $f)
    (data (i32.const 0) "ok") (data (i32.const 65535) "too long"))`;
  const t = trapOf(() => instantiate(watModule(text), { h: { mem, tab: table } }));
  assert.equal(t.message, 'out of bounds memory access');
  assert.ok(table.elements[0] instanceof WasmFunction);
  assert.equal(String.fromCharCode(mem.bytes[0]!, mem.bytes[1]!), 'ok');
});

test('start function runs at instantiation; invalid modules are rejected before running', () => {
  const text = `(module (import "h" "log" (func $log (param i32))) (func $s (call $log (i32.const 3))) (start $s))`;
  const logged: number[] = [];
  instantiate(watModule(text), { h: { log: (x: number) => { logged.push(x); } } });
  assert.deepEqual(logged, [3]);
  const m = watModule('(module (func (result i32) (i32.const 1)))');
  m.funcs[0]!.body.splice(0, 1); // now returns nothing although it declares i32
  assert.throws(() => instantiate(m, {}), ValidationError);
});

test('a function can be swapped between tiers between calls', () => {
  const inst = instantiate(watModule(KERNELS), {}, { debug: {} });
  const fib = fn(inst, 'fib');
  assert.deepEqual(invoke(fib, [15]), [610]);
  inst.setTier(fib.index, false);
  assert.equal(inst.isProbed(fib.index), false);
  assert.deepEqual(invoke(fib, [15]), [610]);
});

test('deep nesting compiles (untargeted blocks emit no JS nesting); overflow is reported, not thrown raw', () => {
  const depth = 6000;
  const text = `(module (func (export "f") (result i32) ${'(block '.repeat(depth)} (br ${depth - 1}) ${')'.repeat(depth)} (i32.const 7)))`;
  const inst = instantiate(watModule(text), {});
  assert.deepEqual(invoke(fn(inst, 'f'), []), [7]);
});

test('host-call hooks count crossings in the fast tier (profiling without probes)', () => {
  const text = `(module (import "env" "f" (func $f (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (local i32)
      (loop $l (local.set 1 (call $f (local.get 1)))
        (br_if $l (i32.lt_s (local.get 1) (local.get 0))))
      (local.get 1)))`;
  let calls = 0, returns = 0;
  const inst = instantiate(watModule(text), { env: { f: (x: number) => x + 1 } }, {
    hostHooks: { onHostCall: () => { calls++; }, onHostReturn: () => { returns++; } },
  });
  assert.deepEqual(invoke(fn(inst, 'run'), [100]), [100]);
  assert.deepEqual([calls, returns], [100, 100]);
  assert.equal(inst.isProbed(1), false);
});

test('oversized tables and memories are resource exhaustion, not a raw RangeError', () => {
  const exhaustion = (e: unknown) => e instanceof WasmError && e.kind === 'exhaustion';
  assert.throws(() => instantiate(watModule('(module (table 4000000000 funcref))'), {}), exhaustion);
  assert.throws(() => instantiate(watModule('(module (memory 2))'), {}, { maxMemoryPages: 1 }), exhaustion);
});

test('a function nesting thousands of branch targets is refused by name, not as a full stack', () => {
  // V8's parser recurses per nested label of the generated code and gives up between 1,000 and
  // 2,000 levels; a shallow function whose compile meets a used-up stack is covered in
  // profile-derived.test.ts (it reports "call stack exhausted").
  const depth = 3000;
  const m = watModule(`(module (func (export "deep") ${'i32.const 1 if '.repeat(depth)}${'end '.repeat(depth)}))`);
  const inst = instantiate(m);
  assert.throws(() => invoke(fn(inst, 'deep'), []), (e: unknown) => e instanceof WasmError && e.kind === 'exhaustion'
    && /function 0 nests branch targets too deeply/.test(e.message));
});
