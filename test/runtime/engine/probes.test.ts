import { test } from 'node:test';
import assert from 'node:assert/strict';
import { instantiate, invoke, WasmFunction } from '../../../runtime/engine/index.js';
import type { ContinueAction, ProbeEvent, ProbeState } from '../../../runtime/engine/debug-api.js';
import { watModule, offsetOf } from './wat.js';

const TEXT = `(module
  (import "env" "tick" (func $tick (param i32) (result i32)))
  (global $g (export "g") (mut i32) (i32.const 0))
  (func $double (param $x i32) (result i32)
    (i32.mul (local.get $x) (i32.const 2)))
  (func $main (export "main") (param $n i32) (result i32) (local $acc i32)
    (local.set $acc (call $double (local.get $n)))
    (local.set $acc (i32.add (local.get $acc) (i32.const 1)))
    (global.set $g (local.get $acc))
    (call $tick (local.get $acc)))
  (func (export "spin") (loop $l (br $l))))`;

interface Stop { event: ProbeEvent; frames: ProbeState['frames'] }

function setup(script: (stop: Stop, state: ProbeState) => ContinueAction, tick: (x: number) => number = (x) => x) {
  const m = watModule(TEXT);
  const stops: Stop[] = [];
  const hostCalls: unknown[] = [];
  const inst = instantiate(m, { env: { tick } }, {
    debug: {
      onProbe(event, state) {
        const stop = { event, frames: state.frames };
        stops.push(stop);
        return script(stop, state);
      },
      onHostCall: (i, args) => hostCalls.push(['call', i, ...args]),
      onHostReturn: (i, results) => hostCalls.push(['return', i, ...results]),
    },
  });
  return { m, inst, stops, hostCalls, main: inst.exports.get('main') as WasmFunction };
}

const DEF_MAIN = 1, DEF_DOUBLE = 0; // defined-function positions (after one import)

test('a breakpoint stops with the frame\'s locals and operand stack, and the caller chain', () => {
  const { m, inst, stops, main } = setup(() => 'continue');
  const bpOffset = offsetOf(m, DEF_DOUBLE, 0x6c); // i32.mul in $double
  const bp = inst.debugger!.setBreakpoint(bpOffset);
  assert.deepEqual(bp && { funcIndex: bp.funcIndex, offset: bp.offset }, { funcIndex: 1, offset: bpOffset });
  assert.deepEqual(invoke(main, [20]), [41]);
  assert.equal(stops.length, 1);
  const [top, caller] = stops[0]!.frames;
  assert.equal(stops[0]!.event.reason, 'breakpoint');
  assert.equal(top!.funcIndex, 1);
  assert.equal(top!.funcName, 'double');
  assert.deepEqual(top!.locals!.map((v) => v.text), ['20']);
  assert.deepEqual(top!.stack!.map((v) => v.text), ['20', '2']);
  assert.equal(caller!.funcIndex, 2);
  assert.equal(caller!.offset, offsetOf(m, DEF_MAIN, 0x10)); // the call to $double
  assert.deepEqual(caller!.locals!.map((v) => v.text), ['20', '0']);
});

test('setLocal and setGlobal change the running program', () => {
  const { m, inst, main } = setup((_stop, state) => {
    assert.equal(state.setLocal(0, 1, '100').text, '100');
    assert.equal(state.setGlobal(0, '-7').text, '-7');
    return 'continue';
  });
  inst.debugger!.setBreakpoint(offsetOf(m, DEF_MAIN, 0x20, 2)); // local.get $acc before global.set
  assert.deepEqual(invoke(main, [1]), [100]);
  assert.equal((inst.exports.get('g') as { value: unknown }).value, 100);
  inst.debugger!.clearBreakpoints();
  inst.debugger!.setBreakpoint(offsetOf(m, DEF_MAIN, 0x20, 3)); // after global.set
  assert.deepEqual(invoke(main, [1]), [100]);
  assert.equal((inst.exports.get('g') as { value: unknown }).value, -7);
});

test('step over stays in the frame, step in enters the callee, step out returns to the caller', () => {
  const actions: ContinueAction[] = ['step-over', 'step-in', 'step-in', 'step-out', 'continue'];
  const { m, inst, stops, main } = setup(() => actions.shift() ?? 'continue');
  const mainBody = m.funcs[DEF_MAIN]!.body;
  inst.debugger!.setBreakpoint(mainBody[0]!.offset);
  invoke(main, [3]);
  const where = stops.map((s) => [s.event.reason, s.event.funcIndex, s.event.offset]);
  assert.deepEqual(where, [
    ['breakpoint', 2, mainBody[0]!.offset], // local.get $n
    ['step', 2, mainBody[1]!.offset], // call $double (over the local.get)
    ['step', 1, m.funcs[DEF_DOUBLE]!.body[0]!.offset], // into $double
    ['step', 1, m.funcs[DEF_DOUBLE]!.body[1]!.offset],
    ['step', 2, mainBody[2]!.offset], // out: the instruction after the call
  ]);
});

test('host calls are reported before and after, with arguments and results', () => {
  const { hostCalls, main } = setup(() => 'continue', (x) => x * 10);
  assert.deepEqual(invoke(main, [1]), [30]);
  assert.deepEqual(hostCalls, [['call', 0, 3], ['return', 0, 30]]);
});

test('a pause request reaches an endless loop', () => {
  // The worker test covers a pause from another thread while the loop runs; here the request
  // (a write to the shared flags) comes first and the loop must still reach it.
  const { inst, stops } = setup(() => { throw new Error('stop the spin'); });
  inst.debugger!.requestPause();
  assert.throws(() => invoke(inst.exports.get('spin') as WasmFunction, []), /stop the spin/);
  assert.equal(stops[0]!.event.reason, 'pause');
  assert.equal(stops[0]!.event.funcIndex, 3);
});

test('operand-stack values are shown with their static types (f32 bits decoded, i64 as bigint)', () => {
  const m = watModule(`(module (func (export "f") (result f32)
    (i64.const -3) (drop) (f32.add (f32.const 1.5) (f32.const 2.25))))`);
  let stack: string[] = [];
  const inst = instantiate(m, {}, { debug: { onProbe(_e, state) {
    stack = state.frames[0]!.stack!.map((v) => `${v.type}:${v.text}`);
    return 'continue';
  } } });
  inst.debugger!.setBreakpoint(offsetOf(m, 0, 0x92)); // f32.add
  assert.deepEqual(invoke(inst.exports.get('f') as WasmFunction, []), [3.75]);
  assert.deepEqual(stack, ['f32:1.5', 'f32:2.25']);
});

test('large functions keep locals in arrays: probes see them and callers\' locals can be edited', () => {
  const adds = '(local.set $acc (i32.add (local.get $acc) (i32.const 1)))\n'.repeat(1800);
  const m = watModule(`(module
    (func $leaf (result i32) (i32.const 5))
    (func (export "big") (result i32) (local $acc i32)
      ${adds}
      (local.set $acc (i32.add (call $leaf) (local.get $acc)))
      (local.get $acc)))`);
  const seen: string[] = [];
  const inst = instantiate(m, {}, { debug: { onProbe(_e, state) {
    seen.push(state.frames[1]!.locals![0]!.text);
    state.setLocal(1, 0, '1000');
    return 'continue';
  } } });
  inst.debugger!.setBreakpoint(m.funcs[0]!.body[0]!.offset);
  assert.deepEqual(invoke(inst.exports.get('big') as WasmFunction, []), [1005]);
  assert.deepEqual(seen, ['1800']);
});

test('traps in probed code report the same location as in the fast tier', () => {
  const text = `(module (func (export "div") (param i32 i32) (result i32)
    (local.set 0 (i32.add (local.get 0) (i32.const 1)))
    (i32.div_u (local.get 0) (local.get 1))))`;
  const m = watModule(text);
  const where = (debug: boolean) => {
    const inst = instantiate(m, {}, debug ? { debug: {} } : {});
    try {
      invoke(inst.exports.get('div') as WasmFunction, [1, 0]);
    } catch (e) {
      return (e as { location?: unknown }).location;
    }
    return undefined;
  };
  const expected = { funcIndex: 0, offset: offsetOf(m, 0, 0x6e) };
  assert.deepEqual(where(false), expected);
  assert.deepEqual(where(true), expected);
});

test('stepping over the end of a function stops in its caller, after the call', () => {
  const actions: ContinueAction[] = ['step-over', 'continue'];
  const { m, inst, stops, main } = setup(() => actions.shift() ?? 'continue');
  const doubleBody = m.funcs[DEF_DOUBLE]!.body;
  inst.debugger!.setBreakpoint(doubleBody[doubleBody.length - 1]!.offset); // its `end`
  assert.deepEqual(invoke(main, [3]), [7]);
  assert.deepEqual(stops.map((s) => [s.event.reason, s.event.funcIndex, s.event.offset]), [
    ['breakpoint', 1, doubleBody[doubleBody.length - 1]!.offset],
    ['step', 2, m.funcs[DEF_MAIN]!.body[2]!.offset],
  ]);
});

test('explicit traps in probed code are reported with the frame\'s values before unwinding', () => {
  const m = watModule(`(module (func (export "div") (param $a i32) (param $b i32) (result i32)
    (i32.div_s (local.get $a) (local.get $b))))`);
  const seen: string[] = [];
  const inst = instantiate(m, {}, { debug: { onTrap(event, state) {
    seen.push(event.message, String(event.offset), state.frames[0]!.locals!.map((v) => v.text).join(' '),
      state.frames[0]!.stack!.map((v) => v.text).join(' '));
  } } });
  assert.throws(() => invoke(inst.exports.get('div') as WasmFunction, [7, 0]), /integer divide by zero/);
  assert.deepEqual(seen, ['integer divide by zero', String(offsetOf(m, 0, 0x6d)), '7 0', '7 0']);
});

test('out-of-bounds accesses in armed probed code are reported before unwinding too', () => {
  const m = watModule(`(module (memory 1) (func (export "poke") (param $p i32)
    (i32.store offset=4 (local.get $p) (i32.const 9))))`);
  const seen: string[] = [];
  const inst = instantiate(m, {}, { debug: {
    onProbe: () => 'step-over',
    onTrap(event, state) { seen.push(event.message, state.frames[0]!.locals![0]!.text); },
  } });
  inst.debugger!.setBreakpoint(m.funcs[0]!.body[0]!.offset); // arms the run, as stepping does
  assert.throws(() => invoke(inst.exports.get('poke') as WasmFunction, [65532]), /out of bounds memory access/);
  assert.deepEqual(seen, ['out of bounds memory access', '65532']);
  invoke(inst.exports.get('poke') as WasmFunction, [65528]); // the last word: in bounds
});

test('a trap through probed frames leaves no stale call records behind', () => {
  const m = watModule(`(module
    (func $inner (unreachable))
    (func (export "outer") (call $inner)))`);
  const inst = instantiate(m, {}, { debug: {} });
  assert.throws(() => invoke(inst.exports.get('outer') as WasmFunction, []), /unreachable/);
  assert.equal(inst.debugger!.depth, 0);
});
