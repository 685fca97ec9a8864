// Callers' operand stacks at a stop: the values below a call's arguments, recorded with the
// caller's locals at the call, in their static types, from register code, from a run armed at the
// call (its array copy), from an array-frame function, across call and call_indirect, and through
// the worker session's scopes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantiate, invoke, WasmFunction } from '../../../runtime/engine/index.js';
import type { ContinueAction, FrameView, ProbeEvent, StoppedEvent } from '../../../runtime/engine/debug-api.js';
import { EngineSession } from '../../../runtime/engine/session.js';
import { offsetOf, watModule, watToBytes } from './wat.js';

// $big has 200 locals and 400 instructions: above compile.ts's ARRAY_FRAME_THRESHOLD, so it keeps
// its frame in arrays throughout.
const TEXT = `(module
  (type $un (func (param i32) (result i32)))
  (table 1 funcref)
  (elem (i32.const 0) $double)
  (func $double (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 2)))
  (func $main (export "main") (param $n i32) (result i32) (local $k i64) (local $r i32)
    (local.set $k (i64.const -7))
    (f64.const 2.5)
    (f32.const 1.5)
    (local.get $k)
    (i32.add (i32.const 100) (call $double (local.get $n)))
    (call_indirect (type $un) (i32.const 9) (i32.const 0))
    (i32.add)
    (local.set $r) (drop) (drop) (drop) (local.get $r))
  (func $big (export "big") (result i32) (local ${'i32 '.repeat(200)})
    ${'(nop) '.repeat(400)}
    (i32.add (i32.const 5) (call $double (i32.const 3)))))`;

const texts = (values: FrameView['stack']): [string, string][] => (values ?? []).map((v) => [v.type, v.text]);

function run(entry: string, script: (event: ProbeEvent, frames: FrameView[]) => ContinueAction, breakAt: (m: ReturnType<typeof watModule>) => number) {
  const m = watModule(TEXT);
  const stops: FrameView[][] = [];
  const inst = instantiate(m, {}, {
    debug: { onProbe(event, state) { stops.push(state.frames); return script(event, state.frames); } },
  });
  inst.debugger!.setBreakpoint(breakAt(m));
  const results = invoke(inst.exports.get(entry) as WasmFunction, entry === 'main' ? [4] : []);
  return { m, stops, results };
}

const DOUBLE = 0, MAIN = 1;

test('a caller frame shows its operand stack below the call, typed, for call and call_indirect', () => {
  const { m, stops } = run('main', () => 'continue', (mod) => offsetOf(mod, DOUBLE, 0x6c));
  assert.equal(stops.length, 2);
  const [first, second] = stops as [FrameView[], FrameView[]];
  assert.equal(first[1]!.funcName, 'main');
  assert.equal(first[1]!.offset, offsetOf(m, MAIN, 0x10));
  assert.deepEqual(texts(first[1]!.stack), [['f64', '2.5'], ['f32', '1.5'], ['i64', '-7'], ['i32', '100']]);
  // The callee's own stack is unchanged by this: its operands, not the caller's.
  assert.deepEqual(texts(first[0]!.stack), [['i32', '4'], ['i32', '2']]);
  assert.equal(second[1]!.offset, offsetOf(m, MAIN, 0x11));
  assert.deepEqual(texts(second[1]!.stack), [['f64', '2.5'], ['f32', '1.5'], ['i64', '-7'], ['i32', '108']]);
});

test('a call made from an armed run (stepping into the callee) records the caller\'s stack too', () => {
  const { stops } = run('main', (event) => (event.reason === 'breakpoint' ? 'step-in' : 'continue'),
    (mod) => offsetOf(mod, MAIN, 0x10));
  // Stopped at the call in main, then stepped into $double's first instruction.
  assert.equal(stops.length, 2);
  assert.deepEqual(texts(stops[0]![0]!.stack), [['f64', '2.5'], ['f32', '1.5'], ['i64', '-7'], ['i32', '100'], ['i32', '4']]);
  assert.equal(stops[1]![0]!.funcName, 'double');
  assert.deepEqual(texts(stops[1]![1]!.stack), [['f64', '2.5'], ['f32', '1.5'], ['i64', '-7'], ['i32', '100']]);
});

test('an array-frame caller shows its stack below the call', () => {
  const { stops, results } = run('big', () => 'continue', (mod) => offsetOf(mod, DOUBLE, 0x6c));
  assert.deepEqual(results, [11]);
  assert.equal(stops[0]![1]!.funcName, 'big');
  assert.deepEqual(texts(stops[0]![1]!.stack), [['i32', '5']]);
});

test('the session\'s scopes of a caller frame hold its operand stack', async () => {
  const session = new EngineSession();
  try {
    const m = watModule(TEXT);
    const stopped = new Promise<StoppedEvent>((resolve) => session.on('stopped', resolve));
    await session.load(watToBytes(TEXT), {}, { entry: 'main', entryArgs: ['4'] });
    await session.setBreakpoints([{ offset: offsetOf(m, DOUBLE, 0x6c) }]);
    await session.run();
    await stopped;
    const caller = await session.scopes(1);
    assert.deepEqual(caller.stack.map((s) => [s.name, s.value.type, s.value.text]),
      [['stack[0]', 'f64', '2.5'], ['stack[1]', 'f32', '1.5'], ['stack[2]', 'i64', '-7'], ['stack[3]', 'i32', '100']]);
  } finally {
    await session.terminate();
  }
});
