// Differential execution against V8 on a fixed set of binaryen -ttf modules (seeds 0..299), plus
// proofs that the comparator notices each kind of divergence it claims to check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCampaign } from '../../fuzz/campaign.js';
import { runDifferential } from '../../fuzz/differential.js';
import { specMessagesFor } from '../../fuzz/trap-map.js';
import { showExact, showJs, f32FromBits, f64FromBits } from '../../fuzz/values.js';
import { generateTtfModule, wasmOptAvailable } from '../../fuzz/ttf.js';
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

test('the comparator sees a changed memory byte and a changed global', { skip: noWasmOpt }, () => {
  // Seed 0's module exports memory and has globals (checked below, so the test cannot pass vacuously).
  const bytes = generateTtfModule(0);
  const clean = runDifferential(bytes, { seed: 0, exactState: true });
  assert.equal(clean.divergence, undefined);
  assert.ok(clean.calls > 0);

  const memory = runDifferential(bytes, {
    seed: 0, exactState: true,
    afterInstantiate: (inst) => {
      const mem = [...inst.exports.values()].find((e): e is WasmMemory => e instanceof WasmMemory);
      assert.ok(mem && mem.bytes.length > 0, 'seed 0 exports a memory');
      mem.bytes[mem.bytes.length - 1]! ^= 0xff;
    },
  });
  assert.match(memory.divergence?.what ?? '', /memory/);

  const global = runDifferential(bytes, {
    seed: 0, exactState: true,
    afterInstantiate: (inst) => {
      const g = [...inst.exports.values()].find((e): e is WasmGlobal => e instanceof WasmGlobal && e.type.mutable && e.type.type === ValType.I32);
      assert.ok(g, 'seed 0 has a mutable i32 global');
      g.value = ((g.value as number) ^ 0x5a5a) | 0;
    },
  });
  assert.ok(global.divergence, 'a changed global diverges');
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
    (func (export "plain") (i32.store (i32.const 64) (i32.const 0x7fc00000))))`;
  const assembled = assembleText(text);
  assert.ok(assembled.bytes);
  const r = runDifferential(assembled.bytes, { seed: 1, exactState: true });
  assert.equal(r.divergence, undefined, JSON.stringify(r.divergence));
  assert.equal(r.calls, 4);
  // An integer store of a NaN pattern is not arithmetic: changing it must still diverge.
  const changed = runDifferential(assembled.bytes, {
    seed: 1, exactState: true,
    afterInstantiate: (inst) => { (inst.exports.get('memory') as WasmMemory).bytes[70] = 1; },
  });
  assert.match(changed.divergence?.what ?? '', /memory/);
});
