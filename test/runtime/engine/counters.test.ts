// The counting tier (InstanceOptions.counters): exact call and executed-instruction counts across
// branches, traps and exceptions, guest → import edges, and counting code that is the fast tier's
// code plus counter increments and nothing else. Expected counts are derived by hand in comments
// (else/end are delimiters and do not count; see runtime/engine/blocks.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeModule } from '../../../runtime/binary/decode.js';
import { generateFunction } from '../../../runtime/engine/compile.js';
import { instantiate, invoke, ProfileCounters, Trap, WasmFunction, type Imports, type Instance } from '../../../runtime/engine/index.js';
import { importCounts, type Module } from '../../../runtime/wasm/types.js';
import { watModule } from './wat.js';

function setup(wat: string, imports: Imports = {}): { m: Module; pc: ProfileCounters; inst: Instance; call: (name: string, ...args: unknown[]) => unknown[] } {
  const m = watModule(wat);
  const pc = new ProfileCounters();
  const inst = instantiate(m, imports, { counters: pc });
  return { m, pc, inst, call: (name, ...args) => invoke(inst.exports.get(name) as WasmFunction, args) };
}

describe('counting tier', () => {
  test('a trap mid-block counts the trapping instruction and nothing after it', () => {
    const { pc, call } = setup(`(module (func (export "f") (param i32) (result i32)
      (i32.add (i32.div_u (i32.const 10) (local.get 0)) (i32.const 1))))`);
    assert.deepEqual(call('f', 2), [6]); // const, get, div_u, const, add: 5
    assert.throws(() => call('f', 0), (e) => e instanceof Trap && /divide by zero/.test(e.message)); // const, get, div_u: 3
    assert.equal(pc.calls(0), 2);
    assert.equal(pc.instructions(0), 8);
  });

  test('br_table: each target counted once, the default too', () => {
    const { pc, call } = setup(`(module (func (export "f") (param i32) (result i32)
      (block (block (block (br_table 0 1 2 (local.get 0))) (return (i32.const 10))) (return (i32.const 11)))
      (i32.const 12)))`);
    // block, block, block, local.get, br_table = 5; then const+return (2) for 0 and 1, const (1) for the rest.
    assert.deepEqual([0, 1, 2, 5].map((a) => call('f', a)[0]), [10, 11, 12, 12]);
    assert.equal(pc.calls(0), 4);
    assert.equal(pc.instructions(0), 7 + 7 + 6 + 6);
  });

  test('an if without else, left early by a br_if to it', () => {
    const { pc, call } = setup(`(module (func (export "f") (param i32) (result i32) (local i32)
      (if (local.get 0) (then (br_if 0 (i32.eq (local.get 0) (i32.const 1))) (local.set 1 (i32.const 5))))
      (local.get 1)))`);
    // 0: local.get, if, local.get = 3. 1: + local.get, const, eq, br_if (taken) = 7. 2: + const, local.set = 9.
    assert.deepEqual([0, 1, 2].map((a) => call('f', a)[0]), [0, 0, 5]);
    assert.equal(pc.instructions(0), 19);
  });

  test('a loop counts its loop instruction on every branch back', () => {
    const { pc, call } = setup(`(module (func (export "f") (param i32)
      (loop $l (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))`);
    // n = 4: 4 iterations of loop, local.get, i32.const, i32.sub, local.tee, br_if = 24.
    call('f', 4);
    assert.equal(pc.instructions(0), 24);
    assert.equal(pc.calls(0), 1);
  });

  test('a trap inside a loop: counts kept in locals still reach the counters, corrected to the trap', () => {
    const { pc, call } = setup(`(module (func (export "f") (param i32) (local i32)
      (loop $l
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (drop (i32.div_u (i32.const 1) (i32.sub (local.get 0) (local.get 1))))
        (br $l))))`);
    // n = 3: iterations 1 and 2 run whole: loop, 4 (increment), 6 (division and drop), br = 12 each;
    // iteration 3 traps in div_u: loop, 4, then const, get, get, sub, div_u = 10. Total 34.
    assert.throws(() => call('f', 3), (e) => e instanceof Trap && /divide by zero/.test(e.message));
    assert.equal(pc.instructions(0), 34);
  });

  test('else arms (counted as the if minus the then arm): nested, in a loop, and after a trap before the if', () => {
    const { pc, call } = setup(`(module
      (func (export "f") (param i32) (result i32) (local i32)
        (loop $l
          (if (i32.and (local.get 0) (i32.const 1))
            (then (local.set 1 (i32.add (local.get 1) (i32.const 1))))
            (else (if (i32.eqz (local.get 0)) (then (nop)) (else (local.set 1 (i32.sub (local.get 1) (i32.const 1)))))))
          (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
        (local.get 1))
      (func (export "g") (param i32) (result i32)
        (if (result i32) (i32.div_u (i32.const 1) (local.get 0)) (then (i32.const 1)) (else (i32.const 2)))))`);
    // f(4): 4 iterations of loop + local.get, i32.const, i32.and, if + local.get, i32.const, i32.sub,
    // local.tee, br_if (10 each); odd 3, 1: then arm 4 each; even 4, 2: local.get, i32.eqz, if and the
    // inner else arm 4 (7 each); then local.get: 40 + 8 + 14 + 1 = 63.
    assert.deepEqual(call('f', 4), [0]);
    assert.equal(pc.instructions(0), 63);
    // g: const, get, div_u, if + one arm's const = 5 for 1 (then) and 2 (else); 0 traps in div_u: 3.
    assert.deepEqual(call('g', 1), [1]);
    assert.deepEqual(call('g', 2), [2]);
    assert.throws(() => call('g', 0), Trap);
    assert.equal(pc.instructions(1), 13);
  });

  test('an exception from a host function stops the count at the call (like WASI proc_exit)', () => {
    class Exit extends Error {}
    const { pc, call } = setup(`(module (import "env" "exit" (func $exit))
      (func (export "main") (drop (i32.const 1)) (call $exit) (drop (i32.const 2))))`, { env: { exit: () => { throw new Exit(); } } });
    assert.throws(() => call('main'), Exit);
    assert.equal(pc.instructions(1), 3); // const, drop, call
    assert.deepEqual(pc.importEdges(), [{ caller: 1, importIndex: 0, calls: 1 }]);
  });

  test('a trap in a callee: the caller counted up to its call, the callee up to the trap', () => {
    const { pc, call } = setup(`(module (func $callee (nop) (unreachable) (nop))
      (func (export "c") (nop) (call $callee) (nop)))`);
    assert.throws(() => call('c'), Trap);
    assert.equal(pc.instructions(1), 2); // nop, call
    assert.equal(pc.instructions(0), 2); // nop, unreachable
    assert.equal(pc.calls(0), 1);
  });

  test('a trap before a direct import call in the same block: the edge is not counted', () => {
    let ticks = 0;
    const { pc, call } = setup(`(module (import "env" "tick" (func $tick))
      (func (export "d") (param i32) (drop (i32.div_u (i32.const 1) (local.get 0))) (call $tick)))`, { env: { tick: () => { ticks++; } } });
    assert.throws(() => call('d', 0), Trap);
    assert.deepEqual(pc.importEdges(), []);
    assert.equal(pc.instructions(1), 3);
    call('d', 1);
    assert.equal(ticks, 1);
    assert.deepEqual(pc.importEdges(), [{ caller: 1, importIndex: 0, calls: 1 }]);
    assert.equal(pc.instructions(1), 3 + 5);
  });

  test('an exception unwinding several frames: each stops counting at its call', () => {
    class Exit extends Error {}
    let ticks = 0;
    const { pc, call } = setup(`(module (import "env" "exit" (func $exit)) (import "env" "tick" (func $tick))
      (func $inner (call $tick) (call $exit) (call $tick) (nop))
      (func (export "main") (nop) (call $inner) (call $tick) (nop)))`,
    { env: { exit: () => { throw new Exit(); }, tick: () => { ticks++; } } });
    assert.throws(() => call('main'), Exit);
    assert.equal(ticks, 1);
    assert.equal(pc.instructions(2), 2); // call $tick, call $exit
    assert.equal(pc.instructions(3), 2); // nop, call $inner
    assert.deepEqual(pc.importEdges().map((e) => `${e.caller}->${e.importIndex}:${e.calls}`).sort(), ['2->0:1', '2->1:1']);
  });

  test('call stack exhausted: every entered call counted whole, with the full stack', () => {
    const { pc, call } = setup(`(module (func $r (export "r") (param i32) (call $r (i32.add (local.get 0) (i32.const 1)))))`);
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity; // as the profiler runs (counters.ts needs every unwound frame)
    try {
      assert.throws(() => call('r', 0), (e) => e instanceof Trap && e.message === 'call stack exhausted');
    } finally {
      Error.stackTraceLimit = saved;
    }
    assert.ok(pc.calls(0) > 100);
    assert.equal(pc.instructions(0), 4 * pc.calls(0)); // local.get, i32.const, i32.add, call
  });

  test('call_indirect: host callees are edges resolved at run time; guest callees are not import edges', () => {
    // A host function the module does not import, reaching its table through another instance.
    const other = () => {};
    const foreign = instantiate(watModule(`(module (import "x" "y" (func)) (table (export "t") 3 funcref)
      (elem (i32.const 2) 0))`), { x: { y: other } });
    const { pc, call } = setup(`(module (type $v (func)) (import "env" "h" (func $h)) (import "env" "t" (table 3 funcref))
      (elem (i32.const 0) $h $g) (func $g)
      (func (export "f") (param i32) (call_indirect (type $v) (local.get 0))))`, { env: { h: () => {}, t: foreign.exports.get('t') } });
    call('f', 0); call('f', 0); call('f', 1); call('f', 2);
    const edges = pc.importEdges().map((e) => `${e.caller}->${e.importIndex}${e.hostName ? ` ${e.hostName}` : ''}:${e.calls}`).sort();
    assert.deepEqual(edges, ['2->-1 other:1', '2->0:2']);
    assert.equal(pc.calls(1), 1); // $g
  });

  test('counters cannot be shared between instances or combined with debugging', () => {
    const m = watModule('(module (func (export "f")))');
    const pc = new ProfileCounters();
    instantiate(m, {}, { counters: pc });
    assert.throws(() => instantiate(m, {}, { counters: pc }), /already used/);
    assert.throws(() => instantiate(m, {}, { counters: new ProfileCounters(), debug: {} }), /cannot be combined/);
  });

  test('counting code is the fast code plus counter increments, nothing else', () => {
    const programs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench', 'programs');
    let loopsSeen = 0;
    for (const name of ['fib', 'sort', 'nbody', 'loop']) {
      const m = decodeModule(new Uint8Array(readFileSync(join(programs, `${name}.wasm`))));
      const pc = new ProfileCounters();
      const inst = instantiate(m, {}, { counters: pc });
      const counts = importCounts(m);
      for (let def = 0; def < m.funcs.length; def++) {
        const index = counts.funcs + def;
        // The instance's own codegen input, with and without the counters.
        const input = (inst as unknown as { codegen: Parameters<typeof generateFunction>[0] }).codegen;
        const fast = generateFunction({ ...input, counters: undefined }, index, false, 'f').source;
        const counting = generateFunction(input, index, false, 'f').source;
        // Increments in memory (CB) or in locals (c<block>, for blocks in loops, added to CB by a finally).
        const stripped = counting.replace(/(CB\[\d+\]|c\d+)\+\+;/g, '').replace(/if\(C\.index<0\)PC\.hostIndirect\(\d+,C\);/g, '')
          .replace(/,CB=E\.PC\.countsFor\(\d+\)/, '').replace(/,PC=E\.PC/, '').replace(/,c\d+=0/g, '')
          .replace(/;try\{\n/, ';\n').replace(/finally\{(CB\[\d+\]\+=c\d+;)+\}\}\n/, '\n');
        assert.equal(stripped, fast, `${name} function ${index}`);
        // Which blocks have counters is count-flow.ts's choice (the reference tests check the counts);
        // blocks counted in locals are flushed by a finally, exceptions included.
        for (const [, b] of counting.matchAll(/,c(\d+)=0/g)) assert.ok(counting.includes(`CB[${b}]+=c${b};`), `${name} function ${index}: c${b} is flushed`);
        if (/,c\d+=0/.test(counting)) loopsSeen++;
      }
    }
    assert.ok(loopsSeen > 0, 'no function counting in locals was checked');
  });
});
