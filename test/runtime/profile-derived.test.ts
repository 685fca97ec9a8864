// Derived counts (count-flow.ts: counters on some blocks only, the rest and every call count from
// Kirchhoff's law, the call sites and the entries counted at the instance's boundary) against the
// reference layout (one counter per instruction, calls counted at every function's entry): the
// same run of the same module must give the same calls, instructions and import edges for every
// function, whatever way control entered or left it. (Where the stack runs out depends on V8's
// tiering, so two runs need not run out at the same place: stack exhaustion is checked apart.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { instantiate, invoke, ProfileCounters, WasmFunction, type Imports, type Instance } from '../../runtime/engine/index.js';
import { importCounts, type Module } from '../../runtime/wasm/types.js';
import { watModule } from './engine/wat.js';

type Script = (call: (name: string, ...args: unknown[]) => unknown[], instance: Instance) => void;

function countsOf(m: Module, imports: (self: () => Instance) => Imports, script: Script, reference: boolean): { counts: string[]; results: string[] } {
  const counters = new ProfileCounters(reference);
  let instance: Instance | undefined;
  const results: string[] = [];
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity; // as the profiler runs: exceptions report every unwound frame
  try {
    try {
      instance = instantiate(m, imports(() => instance!), { counters });
    } catch (e) {
      results.push(`instantiate: ${(e as Error).message}`);
    }
    if (instance) {
      const inst = instance;
      script((name, ...args) => {
        try {
          const r = invoke(inst.exports.get(name) as WasmFunction, args);
          results.push(`${name}(${args.join(',')}) = ${r.join(',')}`);
          return r;
        } catch (e) {
          results.push(`${name}(${args.join(',')}) threw ${(e as Error).message}`);
          return [];
        }
      }, inst);
    }
  } finally {
    Error.stackTraceLimit = saved;
  }
  const imported = importCounts(m).funcs;
  const counts: string[] = [];
  for (let f = imported; f < imported + m.funcs.length; f++) counts.push(`f${f}: ${counters.calls(f)} calls, ${counters.instructions(f)} instructions`);
  for (const e of counters.importEdges()) counts.push(`f${e.caller} -> ${e.importIndex}${e.hostName ?? ''}: ${e.calls}`);
  return { counts: counts.sort(), results };
}

function assertDerivedEqualsReference(wat: string, script: Script, imports: (self: () => Instance) => Imports = () => ({})): string[] {
  const m = watModule(wat);
  const derived = countsOf(m, imports, script, false);
  const reference = countsOf(m, imports, script, true);
  assert.deepEqual(derived.results, reference.results, 'both runs behave the same');
  assert.deepEqual(derived.counts, reference.counts);
  assert.ok(reference.counts.some((c) => !/: 0 calls/.test(c)), 'something was counted');
  return derived.counts;
}

test('recursion: naive fib (if/else arms), mutual recursion, a loop around a recursive call', () => {
  const counts = assertDerivedEqualsReference(`(module
    (func $fib (export "fib") (param i32) (result i32)
      (if (result i32) (i32.lt_s (local.get 0) (i32.const 2)) (then (local.get 0))
        (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
    (func $even (export "even") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
    (func $odd (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
    (func $loopy (export "loopy") (param i32) (result i32) (local i32)
      (block $done (loop $l
        (br_if $done (i32.lt_s (local.get 0) (i32.const 2)))
        (local.set 1 (i32.add (local.get 1) (call $loopy (i32.sub (local.get 0) (i32.const 1)))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 2)))
        (br $l)))
      (i32.add (local.get 0) (local.get 1))))`, (call) => {
    call('fib', 15); call('fib', 0); call('even', 11); call('even', 10); call('loopy', 12);
  });
  // fib(15): 987 leaves (5 instructions each) and 986 inner calls (13 each); fib(0): one leaf.
  assert.ok(counts.includes('f0: 1974 calls, 17758 instructions'), counts.join('\n'));
});

test('call_indirect into the instance, exports called from the host and from inside, a host import calling back', () => {
  assertDerivedEqualsReference(`(module
    (type $un (func (param i32) (result i32)))
    (import "env" "back" (func $back (param i32) (result i32)))
    (table 4 funcref) (elem (i32.const 0) $sq $inc $twice $viaHost)
    (func $sq (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
    (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func $twice (param i32) (result i32) (call $sq (call $sq (local.get 0))))
    (func $viaHost (param i32) (result i32) (call $back (local.get 0)))
    (func (export "dispatch") (param i32 i32) (result i32)
      (call_indirect (type $un) (call $sq (local.get 1)) (local.get 0)))
    (func (export "each") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (call_indirect (type $un) (local.get 0) (i32.rem_u (local.get 0) (i32.const 4)))))
        (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
      (local.get 1)))`, (call) => {
    call('sq', 3); call('dispatch', 0, 2); call('dispatch', 1, 2); call('dispatch', 2, 2); call('dispatch', 3, 5);
    call('each', 9); call('dispatch', 7, 1); // out of the table: a trap at the call_indirect
  }, (self) => ({ env: { back: (x: number) => (x > 0 ? invoke(self().exports.get('sq') as WasmFunction, [x - 1])[0] : 0) } }));
});

test('traps inside callees: in a loop, deep in recursion, before and after calls in the same block', () => {
  assertDerivedEqualsReference(`(module
    (import "env" "tick" (func $tick))
    (func $div (param i32 i32) (result i32) (call $tick) (i32.div_s (local.get 0) (local.get 1)))
    (func $down (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (call $div (i32.const 1) (i32.const 0)))
        (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
    (func (export "deep") (param i32) (result i32) (call $down (local.get 0)))
    (func (export "sum") (param i32) (result i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (call $div (i32.const 100) (local.get 0))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br_if $l (i32.ge_s (local.get 0) (i32.const 0))))
      (local.get 1))
    (func (export "mid") (param i32) (result i32)
      (drop (i32.div_u (i32.const 7) (local.get 0))) (call $tick) (call $div (i32.const 9) (local.get 0)))
    )`, (call) => {
    call('deep', 6); call('deep', 3); call('sum', 4); call('mid', 0); call('mid', 3); call('sum', 2);
  }, () => ({ env: { tick: () => {} } }));
});

test('the start function, and an exception leaving it', () => {
  const wat = (trap: boolean) => `(module
    (import "env" "tick" (func $tick))
    (global $n (mut i32) (i32.const 0))
    (func $helper (param i32) (global.set $n (i32.add (global.get $n) (local.get 0))) (call $tick))
    (func $init (loop $l (call $helper (i32.const 1)) (br_if $l (i32.lt_u (global.get $n) (i32.const 5))))
      ${trap ? '(drop (i32.div_u (i32.const 1) (i32.const 0)))' : ''})
    (func (export "get") (result i32) (call $helper (i32.const 2)) (global.get $n))
    (start $init))`;
  assertDerivedEqualsReference(wat(false), (call) => { call('get'); call('get'); }, () => ({ env: { tick: () => {} } }));
  assertDerivedEqualsReference(wat(true), () => {}, () => ({ env: { tick: () => {} } }));
});

test('branch-heavy control flow: br_table, nested loops, a block left by br_if, dead code after br', () => {
  assertDerivedEqualsReference(`(module
    (func $classify (param i32) (result i32)
      (block $c (block $b (block $a (br_table $a $b $c $b (local.get 0)) (unreachable))
        (return (i32.const 10))) (return (i32.const 20))) (i32.const 30))
    (func (export "grid") (param i32) (result i32) (local i32 i32 i32)
      (loop $outer
        (local.set 2 (i32.const 0))
        (block $skip (loop $inner
          (br_if $skip (i32.eq (local.get 2) (i32.const 3)))
          (local.set 3 (i32.add (local.get 3) (call $classify (i32.rem_u (i32.add (local.get 1) (local.get 2)) (i32.const 5)))))
          (local.set 2 (i32.add (local.get 2) (i32.const 1)))
          (br $inner)
          (drop (i32.const 99))))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br_if $outer (i32.lt_u (local.get 1) (local.get 0))))
      (local.get 3)))`, (call) => { call('grid', 7); call('grid', 1); });
});

test('stack exhausted at the first call of a function: the refused call is not counted', () => {
  // r(n) recurses n deep, then calls g for the first time: near the stack's limit the stack runs out
  // entering g (its lazy stub, its compilation or its entry), with no frame of g on the stack.
  const m = watModule(`(module
    (func $g (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
    (func $r (export "r") (param i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0)) (then (call $g (local.get 0)))
        (else (i32.add (i32.const 1) (call $r (i32.sub (local.get 0) (i32.const 1))))))))`);
  const attempt = (depth: number): { threw: boolean; g: number; r: number; rInstructions: number; gInstructions: number } => {
    const pc = new ProfileCounters();
    const inst = instantiate(m, {}, { counters: pc });
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    let threw = false;
    try {
      invoke(inst.exports.get('r') as WasmFunction, [depth]);
    } catch (e) {
      // Also when the stack runs out inside g's compilation (g is shallow: instance.ts's compile).
      assert.match((e as Error).message, /call stack exhausted/);
      threw = true;
    } finally {
      Error.stackTraceLimit = saved;
    }
    return { threw, g: pc.calls(0), r: pc.calls(1), rInstructions: pc.instructions(1), gInstructions: pc.instructions(0) };
  };
  let ok = 0, fails = 1 << 20;
  assert.ok(attempt(fails).threw, 'the stack never runs out');
  while (fails - ok > 1) {
    const mid = (ok + fails) >> 1;
    if (attempt(mid).threw) fails = mid; else ok = mid;
  }
  let seen = false;
  for (let depth = fails; depth < fails + 64 && !seen; depth++) {
    const run = attempt(depth);
    if (!run.threw || run.r !== depth + 1) continue; // ran out inside r's own recursion
    seen = true;
    assert.equal(run.g, 0);
    assert.equal(run.gInstructions, 0);
    // Each of the depth frames above: local.get, eqz, if, i32.const, local.get, const, sub, call;
    // the bottom one: local.get, eqz, if, local.get, call.
    assert.equal(run.rInstructions, 8 * depth + 5);
  }
  assert.ok(seen, 'no depth ran out at the call of g');
});

