import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../../../runtime/text/check.js';
import { instrAtOffset, instrsOnLine, nextCodeLine, spanForOffset } from '../../../runtime/text/source-map.js';

const SOURCE = `(module
  (memory 1)
  (func $f (param $n i32) (result i32)
    (if (result i32) (local.get $n)
      (then (i32.const 1))
      (else (i32.mul (local.get $n) (i32.const 2)))))
  (func $g
    i32.const 0
    i32.const 5
    i32.store offset=8
    block
      br 0
    end)
  (global i32 (i32.const 7))
  (elem declare func $f))`;

test('every decoded instruction offset maps back to the text that produced it', () => {
  const r = checkText(SOURCE);
  assert.deepEqual(r.diagnostics, []);
  const { module, sourceMap } = r;
  assert.ok(module && sourceMap);
  const byOffset = new Map(sourceMap.instrs.map((m) => [m.offset, m]));
  let checked = 0;
  module.funcs.forEach((func, i) => {
    const fm = sourceMap.funcs[i]!;
    assert.equal(fm.funcIndex, i);
    assert.equal(fm.start, func.start);
    assert.equal(fm.codeStart, func.codeStart);
    assert.equal(fm.end, func.end);
    for (const instr of func.body) {
      const m = byOffset.get(instr.offset);
      assert.ok(m, `instruction at 0x${instr.offset.toString(16)} is mapped`);
      assert.equal(m.funcIndex, i);
      checked++;
    }
  });
  assert.ok(checked > 15);
  const textAt = (needle: string): string => {
    const m = sourceMap.instrs.find((x) => SOURCE.slice(x.span.start, x.span.end) === needle);
    assert.ok(m, `a mapping for ${needle}`);
    return SOURCE.slice(m.span.start, m.span.end);
  };
  assert.equal(textAt('i32.store offset=8'), 'i32.store offset=8');
  assert.equal(textAt('i32.mul'), 'i32.mul');
  assert.equal(textAt('br 0'), 'br 0');
  // Global initialisers are mapped too (funcIndex -1).
  const globalInit = sourceMap.instrs.find((x) => x.funcIndex === -1 && SOURCE.slice(x.span.start, x.span.end) === 'i32.const 7');
  assert.ok(globalInit);
  assert.equal(module.globals[0]!.init[0]!.offset, globalInit.offset);
});

test('section entries map to their fields', () => {
  const r = checkText(SOURCE);
  const memOffset = r.sourceMap!.entries.find((e) => SOURCE.slice(e.span.start, e.span.end) === '(memory 1)');
  assert.ok(memOffset);
  const span = spanForOffset(r.sourceMap!, memOffset.offset + 1)!;
  assert.equal(SOURCE.slice(span.start, span.end), '(memory 1)');
});

test('validation errors land on the offending instruction in flat and folded code', () => {
  const text = `(module
  (func (result i32)
    i32.const 1
    i64.const 2
    i32.add)
  (func (result i32)
    (i32.sub (i32.const 1) (f64.const 2))))`;
  const { diagnostics } = checkText(text);
  assert.equal(diagnostics.length, 2);
  assert.deepEqual(diagnostics.map((d) => [d.range.start.line, d.range.start.character, d.message]), [
    [4, 4, 'type mismatch in i32.add: expected [i32 i32], found [i32 i64]'],
    [6, 5, 'type mismatch in i32.sub: expected [i32 i32], found [i32 f64]'],
  ]);
});

test('breakpoint queries: instructions on a line, sliding to the next code line', () => {
  const r = checkText(SOURCE);
  const lines = r.analysis.lines;
  const map = r.sourceMap!;
  // Line 9 (0-based) is "    i32.store offset=8".
  const onStore = instrsOnLine(map, lines, 9);
  assert.equal(onStore.length, 1);
  assert.equal(SOURCE.slice(onStore[0]!.span.start, onStore[0]!.span.end), 'i32.store offset=8');
  assert.equal(instrAtOffset(map, onStore[0]!.offset), onStore[0]);
  // Line 6 is "(func $g" (no code): a breakpoint there slides to line 7.
  assert.deepEqual(instrsOnLine(map, lines, 6), []);
  assert.equal(nextCodeLine(map, lines, 6), 7);
  // Folded code: line 3 holds local.get $n and the `if`.
  assert.deepEqual(instrsOnLine(map, lines, 3).map((m) => SOURCE.slice(m.span.start, m.span.end)), ['local.get $n', 'if (result i32)']);
});
