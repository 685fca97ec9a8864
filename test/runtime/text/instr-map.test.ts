import { test } from 'node:test';
import assert from 'node:assert/strict';
import { floorInstr, InstrMapBuilder } from '../../../runtime/text/instr-map.js';
import { assembleText } from '../../../runtime/text/index.js';
import { spanForOffset } from '../../../runtime/text/source-map.js';

test('columns grow past their capacity, rebase in place and sort stably when out of order', () => {
  const map = new InstrMapBuilder(2);
  const spans = Array.from({ length: 40 }, (_, i) => ({ start: i, end: i + 1 }));
  for (let i = 0; i < 20; i++) map.push(100 + i, spans[i]!.start, spans[i]!.end, -1);
  map.rebase(10, 20, 1000, 3);
  assert.equal(map.count, 20);
  assert.equal(map.offsets[9], 109);
  assert.equal(map.offsets[10], 1110);
  assert.equal(map.funcIndices[10], 3);
  assert.equal(map.funcIndices[9], -1);
  // Out of order, with a tie: sorting keeps the tied entries in insertion order.
  map.push(50, 30, 31, 7);
  map.push(50, 31, 32, 8);
  map.finish();
  assert.deepEqual([map.offsets[0], map.offsets[1], map.offsets[2]], [50, 50, 100]);
  assert.deepEqual([map.starts[0], map.ends[0]], [30, 31]);
  assert.deepEqual([map.starts[1], map.ends[1]], [31, 32]);
  assert.equal(map.funcIndices[1], 8);
  assert.deepEqual([map.starts[2], map.ends[2]], [0, 1]);
  assert.deepEqual([map.starts[19], map.ends[19]], [17, 18], 'rebased entries keep their spans');
  for (let i = 1; i < map.count; i++) assert.ok(map.offsets[i - 1]! <= map.offsets[i]!);
  assert.equal(floorInstr(map, 49), -1);
  assert.equal(floorInstr(map, 50), 1);
  assert.equal(floorInstr(map, 105), 7);
  assert.equal(floorInstr(map, 1_000_000), map.count - 1);
});

test('the object view of the source map matches its columns entry for entry', () => {
  const text = `(module
  (global i32 (i32.const 3))
  (func $f (param i32) (result i32) (i32.add (local.get 0) (global.get 0)))
  (func (export "g") (result i32) (call $f (i32.const 4))))`;
  const { bytes, sourceMap } = assembleText(text);
  assert.ok(bytes && sourceMap?.instrColumns);
  const columns = sourceMap.instrColumns;
  const objects = sourceMap.instrs;
  assert.equal(objects, sourceMap.instrs, 'built once');
  assert.equal(objects.length, columns.count);
  objects.forEach((m, i) => {
    assert.equal(m.offset, columns.offsets[i]);
    assert.equal(m.funcIndex, columns.funcIndices[i]);
    assert.deepEqual(m.span, { start: columns.starts[i], end: columns.ends[i] });
  });
  // The global initialiser is a constant expression (-1); both bodies belong to their function.
  assert.deepEqual([...new Set(objects.map((m) => m.funcIndex))], [-1, 0, 1]);
  const add = objects.find((m) => text.slice(m.span.start, m.span.end) === 'i32.add')!;
  assert.equal(bytes[add.offset], 0x6a);
  assert.deepEqual(spanForOffset(sourceMap, add.offset), add.span);
});
