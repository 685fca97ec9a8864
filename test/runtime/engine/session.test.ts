import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EngineSession } from '../../../runtime/engine/session.js';
import type { StoppedEvent } from '../../../runtime/engine/debug-api.js';
import { watModule, watToBytes, offsetOf } from './wat.js';

const SPIN = `(module
  (memory (export "memory") 1)
  (global $count (mut i32) (i32.const 0))
  (func $bump (param $by i32) (global.set $count (i32.add (global.get $count) (local.get $by))))
  (func (export "spin") (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (i32.store (i32.const 16) (local.get $i))
      (call $bump (i32.const 2))
      (br $l))))`;

const HELLO = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 8) "hello\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 8)) (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 100)))
    (call $exit (i32.const 3))))`;

function nextStop(session: EngineSession): Promise<StoppedEvent> {
  return new Promise((resolve) => {
    const once = (e: StoppedEvent) => { resolve(e); };
    session.on('stopped', once);
  });
}

test('pause reaches an endless loop in the worker; inspect, break, step, resume, terminate', async () => {
  const session = new EngineSession();
  try {
    const m = watModule(SPIN);
    const stops: StoppedEvent[] = [];
    session.on('stopped', (e) => stops.push(e));
    assert.deepEqual(await session.load(watToBytes(SPIN), {}, { entry: 'spin' }), { funcCount: 2 });
    await session.run();
    await new Promise((r) => setTimeout(r, 50));
    const asked = Date.now();
    const stopped = nextStop(session);
    await session.pause();
    const stop = await stopped;
    assert.ok(Date.now() - asked < 1000, 'pause is served promptly');
    assert.equal(stop.reason, 'pause');

    const frames = await session.stackTrace();
    assert.ok(frames.length >= 1);
    const spinFrame = frames.findIndex((f) => f.funcIndex === 1);
    assert.ok(spinFrame >= 0);
    const scopes = await session.scopes(spinFrame);
    assert.equal(scopes.locals[0]!.name, 'i');
    assert.ok(Number(scopes.locals[0]!.value.raw) > 0, 'the loop counter advanced');
    assert.equal((await session.evaluate(spinFrame, '$i')).type, 'i32');

    // A breakpoint on the store: continue stops there with the counter written just after.
    const storeOffset = offsetOf(m, 1, 0x36);
    const [bp] = await session.setBreakpoints([{ offset: storeOffset }]);
    assert.equal(bp!.verified, true);
    let next = nextStop(session);
    await session.continue();
    const hit = await next;
    assert.deepEqual([hit.reason, hit.offset], ['breakpoint', storeOffset]);
    const i = Number((await session.scopes(0)).locals[0]!.value.raw);
    next = nextStop(session);
    await session.step('over');
    assert.equal((await next).reason, 'step');
    const word = await session.readMemory(0, 16, 4);
    assert.equal(new DataView(word.buffer, word.byteOffset).getInt32(0, true), i);
    assert.equal((await session.evaluate(0, 'i32.load 16')).text, String(i));

    await session.writeMemory(0, 32, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...await session.readMemory(0, 32, 3)], [1, 2, 3]);
    assert.equal((await session.setLocal(0, 0, '1000')).text, '1000');
    assert.ok(stops.length >= 3);
  } finally {
    await session.terminate();
  }
});

test('WASI output arrives as events and the proc_exit code is reported', async () => {
  const session = new EngineSession();
  try {
    const output: string[] = [];
    session.on('output', (text, category) => output.push(`${category}:${text}`));
    const exited = new Promise<number>((resolve) => session.on('exited', resolve));
    await session.load(watToBytes(HELLO), { wasi: { args: ['hello'] } });
    await session.run();
    assert.equal(await exited, 3);
    assert.deepEqual(output, ['stdout:hello\n']);
  } finally {
    await session.terminate();
  }
});

test('a trap stops with its location and backtrace', async () => {
  const session = new EngineSession();
  try {
    const text = '(module (func $boom (export "boom") (drop (i32.div_u (i32.const 1) (i32.const 0)))))';
    const m = watModule(text);
    const stopped = nextStop(session);
    await session.load(watToBytes(text), {}, { entry: 'boom' });
    await session.run();
    const stop = await stopped;
    assert.equal(stop.reason, 'trap');
    assert.equal(stop.trap?.message, 'integer divide by zero');
    assert.equal(stop.offset, offsetOf(m, 0, 0x6e));
    assert.deepEqual((await session.stackTrace()).map((f) => f.funcName), ['boom']);
    // Stopped before unwinding: the operands that trapped are still there to inspect.
    assert.deepEqual((await session.scopes(0)).stack.map((v) => v.value.text), ['1', '0']);
    const exited = new Promise<number>((resolve) => session.on('exited', resolve));
    await session.continue();
    assert.equal(await exited, 1);
  } finally {
    await session.terminate();
  }
});

test('breakpoints set before run, stop on entry, entry arguments and stubbed imports', async () => {
  const text = `(module (import "env" "log" (func $log (param i32)))
    (func $add (export "add") (param $a i32) (param $b i32) (result i32)
      (call $log (local.get $a))
      (i32.add (local.get $a) (local.get $b))))`;
  const m = watModule(text);
  const session = new EngineSession();
  try {
    const stops: StoppedEvent[] = [];
    const output: string[] = [];
    session.on('stopped', (e) => stops.push(e)).on('output', (t) => output.push(t));
    const exited = new Promise<number>((resolve) => session.on('exited', resolve));
    await session.load(watToBytes(text), { stubMissing: true }, { entry: 'add', entryArgs: ['40', '2'], stopOnEntry: true });
    const addOffset = offsetOf(m, 0, 0x6a);
    const [bp] = await session.setBreakpoints([{ offset: addOffset }]);
    assert.equal(bp!.verified, true);
    let stopped = nextStop(session);
    await session.run();
    assert.equal((await stopped).reason, 'entry');
    stopped = nextStop(session);
    await session.continue();
    const hit = await stopped;
    assert.deepEqual([hit.reason, hit.offset], ['breakpoint', addOffset]);
    assert.deepEqual((await session.scopes(0)).locals.map((l) => `${l.name}=${l.value.text}`), ['a=40', 'b=2']);
    await session.continue();
    assert.equal(await exited, 0);
    assert.deepEqual(output, ['env.log(40) [stub]\n', '42\n']);
  } finally {
    await session.terminate();
  }
});
