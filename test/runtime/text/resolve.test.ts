import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeModule, assembleText } from '../../../runtime/text/module-text.js';
import type { Span } from '../../../runtime/text/diagnostics.js';

const slice = (text: string, span: Span): string => text.slice(span.start, span.end);

const SOURCE = `(module
  (type $sig (func (param i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (global $count (mut i32) (i32.const 0))
  (func $inc (type $sig) (param $x i32) (result i32) (local $tmp i32)
    (local.set $tmp (i32.add (local.get $x) (i32.const 1)))
    (global.set $count (local.get $tmp))
    (block $out
      (loop $again
        (br_if $out (local.get $tmp))
        (br $again)))
    (call $log (local.get $tmp))
    (local.get $tmp))
  (func $main (export "main") (result i32)
    (call $inc (i32.const 41)))
  (export "inc" (func $inc))
  (export "first" (func 0)))`;

test('symbol table: definitions, references and indices in every space', () => {
  const a = analyzeModule(SOURCE);
  assert.deepEqual(a.diagnostics, []);
  const { symbols } = a.resolved;
  const inc = symbols.inSpace('func').find((s) => s.name === '$inc')!;
  assert.equal(inc.index, 1); // after the import
  assert.equal(slice(SOURCE, inc.defSpan), '$inc');
  assert.deepEqual(inc.references.map((r) => slice(SOURCE, r)), ['$inc', '$inc']);
  const log = symbols.lookup('func', 0)!;
  assert.equal(log.name, '$log');
  assert.equal(log.references.length, 2); // `call $log` and `(func 0)`
  const tmp = symbols.inSpace('local', 1).find((s) => s.name === '$tmp')!;
  assert.equal(tmp.index, 1);
  assert.equal(tmp.references.length, 5);
  const x = symbols.inSpace('local', 1).find((s) => s.name === '$x')!;
  assert.equal(x.index, 0);
  const sig = symbols.lookup('type', 0)!;
  assert.equal(sig.references.length, 1);
  const labels = symbols.inSpace('label', 1);
  assert.deepEqual(labels.map((l) => [l.name, l.references.length]), [['$out', 1], ['$again', 1]]);
});

test('symbolAt finds the symbol under the cursor, at a definition or a reference', () => {
  const a = analyzeModule(SOURCE);
  const useOffset = SOURCE.indexOf('call $inc') + 'call $'.length;
  const hit = a.resolved.symbols.symbolAt(useOffset)!;
  assert.equal(hit.isDefinition, false);
  assert.equal(hit.symbol.name, '$inc');
  const defOffset = SOURCE.indexOf('(global $count') + '(global $c'.length;
  const def = a.resolved.symbols.symbolAt(defOffset)!;
  assert.equal(def.isDefinition, true);
  assert.equal(def.symbol.space, 'global');
  assert.equal(a.resolved.symbols.symbolAt(SOURCE.indexOf('i32.const 41')), undefined);
});

test('label indices count outward from the innermost block', () => {
  const r = assembleText(`(module (func
    (block $a (block $b (loop $c (br $a) (br $b) (br $c) (br 0))))))`);
  assert.ok(r.bytes);
  const body = r.analysis.module.fields[0]!;
  assert.equal(body.kind, 'func');
  if (body.kind !== 'func') return;
  const brs = body.body.nodes().filter((i) => i.op.name === 'br').map((i) => i.ref!.index);
  assert.deepEqual(brs, [2, 1, 0, 0]);
});

test('implicit types are appended after explicit ones and deduplicated, as wat2wasm does', () => {
  const r = assembleText(`(module
    (func (param i64))
    (type $t (func (param i32)))
    (func (param i32))
    (func (param i64))
    (func (call_indirect (param f32) (i32.const 0)))
    (table 1 funcref))`);
  assert.ok(r.bytes);
  const types = r.analysis.resolved.types.map((t) => `${t.params.join(',')}>${t.results.join(',')}`);
  // explicit (i32) first, then implicit (i64), (), (f32) in order of first use
  assert.deepEqual(types, ['127>', '126>', '>', '125>']);
});

test('end/else labels must match their block', () => {
  const a = analyzeModule('(module (func block $a end $b))');
  assert.equal(a.diagnostics.length, 1);
  assert.match(a.diagnostics[0]!.message, /mismatching label/);
});

test('a label repeated after end/else is a reference of that label', () => {
  const text = '(module (func (param i32) (if $c (local.get 0) (then)) block $b br $b end $b))';
  const a = analyzeModule(text);
  assert.deepEqual(a.diagnostics, []);
  const b = a.resolved.symbols.inSpace('label').find((l) => l.name === '$b')!;
  assert.deepEqual(b.references.map((r) => r.start), [text.indexOf('br $b') + 3, text.indexOf('end $b') + 4]);
});

test('instruction rows read back as nodes with every immediate, after resolution', () => {
  const text = `(module
  (type $t (func (param i32) (result i32)))
  (table $tab 2 funcref) (memory 1)
  (elem $e func $f)
  (func $f (type $t) (local.get 0))
  (func $g (param $p i32) (result i32)
    block $b (result i32)
      (i32.load offset=4 align=2 (local.get $p))
      (br_table $b $b (local.get $p))
      drop
      (call_indirect $tab (type $t) (i32.const 7) (i32.const 0))
      (table.init $tab $e (i32.const 0) (i32.const 0) (i32.const 0))
      (drop (i64.const -5))
      (drop (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))
      (drop (ref.null func))
      (call $f (f32.const 1.5))
    end $b)
  (func $h (call $undefined)))`;
  const a = analyzeModule(text);
  const g = a.module.fields.find((f) => f.kind === 'func' && f.id?.name === '$g');
  assert.ok(g && g.kind === 'func');
  const nodes = g.body.nodes();
  assert.equal(nodes, g.body.nodes(), 'built once');
  const find = (name: string) => nodes.find((n) => n.op.name === name)!;
  const block = find('block');
  assert.deepEqual([block.label?.name, slice(text, block.label!.span), block.blockType?.results], ['$b', '$b', [0x7f]]);
  assert.deepEqual(find('i32.load').memarg, { offset: 4, align: 1 });
  assert.deepEqual(find('local.get').ref, { start: text.indexOf('$p)'), end: text.indexOf('$p)') + 2, name: '$p', index: 0 });
  assert.deepEqual(find('br_table').labels!.map((l) => [l.name, l.index]), [['$b', 0], ['$b', 0]]);
  const ci = find('call_indirect');
  assert.deepEqual([ci.ref2?.name, ci.ref2?.index, ci.typeUse?.ref?.name, ci.typeUse?.typeIndex], ['$tab', 0, '$t', 0]);
  const ti = find('table.init');
  assert.deepEqual([ti.ref?.name, ti.ref?.index, ti.ref2?.name, ti.ref2?.index], ['$e', 0, '$tab', 0]);
  assert.equal(find('i64.const').i64, -5n);
  assert.deepEqual(find('select').types, [0x7f]);
  assert.equal(find('ref.null').refType, 0x70);
  assert.equal(find('f32.const').i32, 0x3fc00000);
  assert.deepEqual([find('call').ref?.name, find('call').ref?.index], ['$f', 0]);
  const ends = nodes.filter((n) => n.op.name === 'end');
  assert.deepEqual(ends.map((n) => [n.label?.name, n.implicit ?? false]), [['$b', false]]);
  assert.ok(nodes.filter((n) => n.implicit).length === 0, 'the block is flat: no implicit end');
  // A name that did not resolve has no index.
  const h = a.module.fields.find((f) => f.kind === 'func' && f.id?.name === '$h');
  assert.ok(h && h.kind === 'func');
  assert.deepEqual(h.body.nodes().map((n) => [n.op.name, n.ref?.name, n.ref?.index]), [['call', '$undefined', undefined]]);
  assert.ok(a.diagnostics.some((d) => d.message === 'undefined function `$undefined`'));
});
