// Differential execution against V8 on a fixed set of binaryen -ttf modules (seeds 0..299), plus
// proofs that the comparator notices each kind of divergence it claims to check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCampaign } from '../../fuzz/campaign.js';
import { runDifferential } from '../../fuzz/differential.js';
import { specMessagesFor } from '../../fuzz/trap-map.js';
import { showExact, showJs, f32FromBits, f64FromBits } from '../../fuzz/values.js';
import { wasmOptAvailable } from '../../fuzz/ttf.js';
import { WasmGlobal, WasmMemory } from '../../runtime/engine/index.js';
import { ValType } from '../../runtime/wasm/types.js';
import { assembleText } from '../../runtime/text/index.js';

const noWasmOpt = wasmOptAvailable() ? false : 'wasm-opt (binaryen) is not installed';
const CI_SEEDS = 300;

test(`wasmscope and V8 agree on ${CI_SEEDS} translate-to-fuzz modules`, { skip: noWasmOpt, timeout: 240_000 }, async () => {
  const summary = await runCampaign({ modes: ['diff'], seeds: Array.from({ length: CI_SEEDS }, (_, i) => i) });
  const stats = summary.stats.diff!;
  assert.deepEqual(summary.harnessErrors, []);
  assert.deepEqual(summary.findings.map((f) => `seed ${f.seed}: ${f.what}: ${f.description}`), []);
  assert.equal(stats.cases, CI_SEEDS);
  // The harness must really run code: most modules run, with several calls each.
  assert.ok((stats.categories.agree ?? 0) > CI_SEEDS * 0.85, JSON.stringify(stats.categories));
  assert.ok(stats.units > CI_SEEDS * 5, `only ${stats.units} calls`);
});

const PROBE_MODULE = `(module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 5))
  (global $scale (mut f64) (f64.const 1.5))
  (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g))
  (func (export "scaled") (param f64) (result f64) (f64.mul (local.get 0) (global.get $scale)))
  (func (export "store") (param i32) (i32.store (i32.const 100) (local.get 0))))`;

test('the comparator sees a changed memory byte, a changed global and a changed result', () => {
  const bytes = assembleText(PROBE_MODULE).bytes!;
  const clean = runDifferential(bytes, { seed: 0, exactState: true });
  assert.equal(clean.divergence, undefined);
  assert.equal(clean.calls, 6);

  const memory = runDifferential(bytes, {
    seed: 0, exactState: true,
    afterInstantiate: (inst) => { (inst.exports.get('memory') as WasmMemory).bytes[65535] = 1; },
  });
  assert.match(memory.divergence?.what ?? '', /memory/);

  // $scale is not exported: the harness exports every global itself, so it is compared too.
  const globals = (inst: Parameters<NonNullable<Parameters<typeof runDifferential>[1]['afterInstantiate']>>[0]): WasmGlobal[] =>
    [...inst.exports.values()].filter((e): e is WasmGlobal => e instanceof WasmGlobal);
  const state = runDifferential(bytes, {
    seed: 0, exactState: true,
    afterInstantiate: (inst) => { const g = globals(inst).find((x) => x.type.type === ValType.F64)!; g.value = 2.5; },
  });
  assert.ok(state.divergence, 'a changed global diverges');

  const result = runDifferential(bytes, {
    seed: 0, exactState: true,
    afterInstantiate: (inst) => { const g = globals(inst).find((x) => x.type.type === ValType.I32)!; g.value = 99; },
  });
  assert.match(result.divergence?.what ?? '', /bump\(\): results/);
});

test('float rendering: exact bits for numbers, NaNs by class, -0 distinct from 0', () => {
  assert.equal(showExact(ValType.F32, 0x3f800000), showJs(ValType.F32, 1));
  assert.notEqual(showJs(ValType.F32, -0), showJs(ValType.F32, 0));
  assert.equal(showExact(ValType.F32, 0x7fa00001), showJs(ValType.F32, NaN));
  assert.equal(showExact(ValType.F64, -0x8000000000000000n), showJs(ValType.F64, -0));
  assert.equal(showExact(ValType.F64, 0x7ff0000000000001n), 'f64:nan');
  assert.ok(Object.is(f32FromBits(0x80000000 | 0), -0));
  assert.equal(f64FromBits(0x3ff0000000000000n), 1);
  assert.equal(showExact(ValType.I64, 0xffffffffffffffffn), showJs(ValType.I64, -1n));
});

test("V8's trap messages map to the spec's", () => {
  assert.deepEqual(specMessagesFor('unreachable'), ['unreachable']);
  assert.deepEqual(specMessagesFor('memory access out of bounds'), ['out of bounds memory access']);
  assert.deepEqual(specMessagesFor('divide by zero'), ['integer divide by zero']);
  assert.ok(specMessagesFor('float unrepresentable in integer range')!.includes('invalid conversion to integer'));
  assert.ok(specMessagesFor('null function or function signature mismatch')!.includes('indirect call type mismatch'));
  assert.deepEqual(specMessagesFor('Maximum call stack size exceeded'), ['call stack exhausted']);
  assert.equal(specMessagesFor('something new'), undefined);
});

test('NaN payloads from SIMD arithmetic may differ (the spec allows any arithmetic NaN); other bytes may not', () => {
  // f32x4.sqrt of NaNs with payloads: V8 propagates them, an engine may return the canonical NaN.
  const text = `(module (memory (export "memory") 1)
    (func (export "nan") (v128.store (i32.const 5) (f32x4.sqrt (v128.const i32x4 0 0x3f800000 0xffeaff99 0x7fa00001))))
    (func (export "plain") (i32.store (i32.const 64) (i32.const 0x7fc00000)))
    (func (export "lanes") (result i64) (i64x2.extract_lane 1 (f32x4.sqrt (v128.const i32x4 0 0 0xffeaff99 0x7fa00001)))))`;
  const assembled = assembleText(text);
  assert.ok(assembled.bytes);
  const r = runDifferential(assembled.bytes, { seed: 1, exactState: true });
  assert.equal(r.divergence, undefined, JSON.stringify(r.divergence));
  assert.equal(r.calls, 6);
  // An integer store of a NaN pattern is not arithmetic: changing it must still diverge.
  const changed = runDifferential(assembled.bytes, {
    seed: 1, exactState: true,
    afterInstantiate: (inst) => { (inst.exports.get('memory') as WasmMemory).bytes[70] = 1; },
  });
  assert.match(changed.divergence?.what ?? '', /memory/);
});

test('single-stepped triage counts NaNs from float arithmetic whose bits the spec leaves open', () => {
  // Reduced by wasm-reduce from seed 21848: sqrt of NaN lanes, then integer shifts of the bits.
  // V8 propagates the payload, wasmscope returns the canonical NaN: both conform.
  const bytes = assembleText(`(module (func (export "f") (result i64)
    (i64.shr_u (i64x2.extract_lane 0 (f32x4.sqrt (v128.const i32x4 0xfffffff4 0xffffffff 0 0x43f00000))) (i64.const 1))))`).bytes!;
  const r = runDifferential(bytes, { seed: 0, exactState: true, tier: 'stepped', stepBudget: Infinity, watchOpenNaNs: true });
  assert.ok((r.openNaNs ?? 0) >= 1, `openNaNs ${r.openNaNs}`);
  assert.ok((r.stops ?? 0) >= 4);
  // Abs of the same lanes is exact on every engine: not counted.
  const exact = assembleText(`(module (func (export "f") (result i64)
    (i64x2.extract_lane 0 (f32x4.abs (v128.const i32x4 0xfffffff4 0xffffffff 0 0)))))`).bytes!;
  const e = runDifferential(exact, { seed: 0, exactState: true, tier: 'stepped', stepBudget: Infinity, watchOpenNaNs: true });
  assert.equal(e.openNaNs, 0);
  assert.equal(e.divergence, undefined);
});
