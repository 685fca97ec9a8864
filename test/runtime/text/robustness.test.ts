// Bad input gets diagnostics, never an exception or a hang: random mutations of real modules,
// truncations, and pathological nesting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../runtime/text/check.js';
import { parseWast } from '../../../runtime/text/wast.js';
import { flattenTokens } from '../../../runtime/text/sexpr.js';
import { analyzeModule } from '../../../runtime/text/module-text.js';

const SEED_MODULE = `(module
  (type $t (func (param i32) (result i32)))
  (import "env" "f" (func $imp (param i64)))
  (memory (export "mem") 1 2)
  (table $tab 3 funcref)
  (global $g (mut i32) (i32.const -5))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32) (local f64 v128)
    (i32.add (local.get $a) (local.get $b))
    (block $l (result i32) (br $l (i32.const 1)))
    drop
    f32.const 0x1.8p3 drop
    f64.const nan:0x123 drop
    v128.const i32x4 1 2 3 -4 drop
    (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 (local.get 3) (local.get 3)) drop
    (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))) drop
    (call_indirect $tab (type $t) (i32.const 0) (i32.const 0)) drop
    i32.load offset=4 align=2 (i32.const 0) drop
    (v128.load8_lane offset=1 3 (i32.const 0) (local.get 3)) drop
    (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)) drop
    (table.init $tab $e (i32.const 0) (i32.const 0) (i32.const 0))
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
  )
  (elem $e (i32.const 0) $add)
  (elem declare func $add)
  (data $d (i32.const 0) "hi\\00\\ff\\u{263a}")
  (; nested (; block ;) comment ;) (@custom "annotation" (x y))
)`;

/** Small deterministic PRNG (xorshift32), so failures reproduce. */
function rng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const PIECES = ['(', ')', '"', '$', ';;', '(;', ';)', ' ', '\n', '0x', 'nan:', '_', 'i32.add', '(func', '(@a', '\\', 'é', '\u{1F600}'];

test('the seed module is clean', () => {
  assert.deepEqual(checkText(SEED_MODULE).diagnostics, []);
});

test('random mutations never throw', () => {
  const random = rng(12345);
  for (let round = 0; round < 400; round++) {
    let text = SEED_MODULE;
    const edits = 1 + Math.floor(random() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(random() * text.length);
      const kind = random();
      if (kind < 0.4) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 8));
      else if (kind < 0.8) text = text.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + text.slice(at);
      else text = text.slice(0, at);
    }
    const result = checkText(text);
    for (const d of result.diagnostics) {
      assert.ok(d.message.length > 0);
      assert.ok(d.range.start.line <= d.range.end.line);
    }
    parseWast(text);
  }
});

test('pathological nesting is refused with a diagnostic, not a stack overflow', () => {
  const depth = 100_000;
  const text = `(module (func ${'(i32.eqz '.repeat(depth)}(i32.const 0)${')'.repeat(depth)}))`;
  const { diagnostics } = analyzeModule(text);
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0]!.message, /nested more than 1000 deep/);
  const tokens = flattenTokens(analyzeModule('('.repeat(depth)).parsed.tree);
  assert.equal(tokens.length, depth);
});

test('empty and whitespace-only inputs are empty modules', () => {
  for (const text of ['', '   \n\t', ';; only a comment', '(module)']) {
    const r = checkText(text);
    assert.deepEqual(r.diagnostics, [], JSON.stringify(text));
    assert.ok(r.bytes && r.bytes.length === 8);
  }
});

test('thousands of unknown instructions stay fast (suggestions are capped and memoised)', () => {
  const parts = ['(module (func'];
  for (let i = 0; i < 5000; i++) parts.push(`(i32.ad_${i} (local.get 0))`);
  parts.push('))');
  const started = performance.now();
  const { diagnostics } = analyzeModule(parts.join('\n'));
  const elapsed = performance.now() - started;
  assert.equal(diagnostics.length, 5000);
  assert.match(diagnostics[0]!.message, /did you mean `i32.add`/);
  // Uncapped, this took about 5 s; capped it is tens of milliseconds. 3 s leaves room for a loaded CI.
  assert.ok(elapsed < 3000, `took ${elapsed.toFixed(0)} ms`);
});
