// Resource limits: what a hostile module can ask of the engine ends in a clear trap or error, and
// the host process carries on (each test calls into the engine again afterwards).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleText } from '../../runtime/text/index.js';
import { decodeModule } from '../../runtime/binary/decode.js';
import { Trap, WasmFunction, WasmMemory, WasmTable, instantiate, invoke, type Instance } from '../../runtime/engine/index.js';
import { EngineSession } from '../../runtime/engine/session.js';
import { WasmError } from '../../runtime/wasm/errors.js';
import type { StoppedEvent } from '../../runtime/engine/debug-api.js';

function wat(text: string): Uint8Array {
  const r = assembleText(text);
  assert.ok(r.bytes, r.diagnostics.map((d) => d.message).join('; '));
  return r.bytes;
}

function load(text: string, options?: Parameters<typeof instantiate>[2]): Instance {
  return instantiate(decodeModule(wat(text)), {}, options);
}

function fn(inst: Instance, name: string): WasmFunction {
  const f = inst.exports.get(name);
  assert.ok(f instanceof WasmFunction, name);
  return f;
}

test('memory.grow past InstanceOptions.maxMemoryPages fails with -1 and memory stays usable', () => {
  const inst = load(`(module (memory (export "m") 1)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "size") (result i32) (memory.size))
    (func (export "poke") (param i32) (i32.store8 (local.get 0) (i32.const 7))))`, { maxMemoryPages: 4 });
  assert.deepEqual(invoke(fn(inst, 'grow'), [3]), [1]);
  assert.deepEqual(invoke(fn(inst, 'grow'), [1]), [-1]);
  assert.deepEqual(invoke(fn(inst, 'grow'), [0x10000]), [-1]);
  assert.deepEqual(invoke(fn(inst, 'grow'), [-1]), [-1]); // 2^32-1 pages
  assert.deepEqual(invoke(fn(inst, 'size'), []), [4]);
  invoke(fn(inst, 'poke'), [4 * 65536 - 1]);
  assert.throws(() => invoke(fn(inst, 'poke'), [4 * 65536]), (e: unknown) => e instanceof Trap && e.message === 'out of bounds memory access');
  assert.equal((inst.exports.get('m') as WasmMemory).bytes[4 * 65536 - 1], 7);
});

test('a memory whose minimum exceeds the cap fails to instantiate with an exhaustion error', () => {
  assert.throws(() => load('(module (memory 100))', { maxMemoryPages: 10 }),
    (e: unknown) => e instanceof WasmError && e.kind === 'exhaustion' && !(e instanceof RangeError));
  assert.ok(load('(module (memory 10))', { maxMemoryPages: 10 }));
});

test('unbounded recursion traps "call stack exhausted" (never a RangeError), repeatedly, and the instance still works', () => {
  const inst = load(`(module
    (func $down (export "down") (param i32) (result i32) (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
    (func $mutual_a (param i64) (call $mutual_b (local.get 0)))
    (func $mutual_b (param i64) (call $mutual_a (local.get 0)))
    (func (export "mutual") (call $mutual_a (i64.const 1)))
    (func (export "many_locals") (param i32) (local f64 f64 f64 f64 f64 f64 f64 f64 v128 v128)
      (call 4 (local.get 0)))
    (func (export "ok") (result i32) (i32.const 42)))`);
  for (const name of ['down', 'mutual', 'many_locals']) {
    for (let round = 0; round < 3; round++) {
      const args = name === 'mutual' ? [] : [0];
      assert.throws(() => invoke(fn(inst, name), args), (e: unknown) => {
        assert.ok(e instanceof Trap, `${name}: ${String(e)}`);
        assert.equal(e.message, 'call stack exhausted');
        assert.equal(e.kind, 'exhaustion');
        assert.ok(e.backtrace.length > 0 && e.backtrace.length <= 64, 'a bounded backtrace');
        return true;
      });
    }
  }
  assert.deepEqual(invoke(fn(inst, 'ok'), []), [42]);
});

test('huge tables: a 2^32-1 minimum is a clear error, growth is refused, big element segments initialise', () => {
  let thrown: unknown;
  try { load('(module (table 0xffffffff funcref))'); } catch (e) { thrown = e; }
  assert.ok(thrown instanceof WasmError, `instantiating a 2^32-1 table: ${String(thrown)}`);

  const inst = load(`(module (table (export "t") 1 funcref)
    (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`);
  assert.deepEqual(invoke(fn(inst, 'grow'), [-1]), [-1]);
  assert.deepEqual(invoke(fn(inst, 'grow'), [100_000_000]), [-1]);
  assert.deepEqual(invoke(fn(inst, 'grow'), [10]), [1]);
  assert.equal((inst.exports.get('t') as WasmTable).length, 11);

  // 200,000 element entries (about 600 KiB of module): instantiates in well under a second.
  const entries = ' $f'.repeat(200_000);
  const t0 = Date.now();
  const big = load(`(module (table (export "t") 200000 funcref) (func $f) (elem (i32.const 0) func${entries}))`);
  assert.equal((big.exports.get('t') as WasmTable).elements.filter((e) => e !== null).length, 200_000);
  assert.ok(Date.now() - t0 < 5000);

  // An active segment that does not fit traps at instantiation instead of writing partially.
  assert.throws(() => load('(module (table 10 funcref) (func $f) (elem (i32.const 9) func $f $f))'),
    (e: unknown) => e instanceof Trap && e.message === 'out of bounds table access');
});

test('an endless loop runs until its deadline, then pause stops it and terminate ends it; the host survives', { timeout: 30_000 }, async () => {
  const session = new EngineSession();
  try {
    const bytes = wat('(module (func (export "spin") (loop $l (br $l))))');
    await session.load(bytes, {}, { entry: 'spin' });
    const stopped = new Promise<StoppedEvent>((resolve) => session.on('stopped', resolve));
    await session.run();
    const deadline = Date.now() + 300;
    await new Promise((r) => setTimeout(r, deadline - Date.now()));
    await session.pause();
    const stop = await stopped;
    assert.equal(stop.reason, 'pause');
    assert.ok(Date.now() - deadline < 2000, 'stopped promptly after the deadline');
    // Hostile follow-ups are rejected, not fatal.
    await assert.rejects(session.readMemory(0, 0, 1));
    await assert.rejects(session.scopes(99));
  } finally {
    await session.terminate();
  }
  // The engine is still usable in this process.
  assert.deepEqual(invoke(fn(load('(module (func (export "one") (result i32) (i32.const 1)))'), 'one'), []), [1]);
});
