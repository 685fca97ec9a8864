// PrintedLines (a .wasm's line table printed one function at a time) must answer every line
// question exactly as the table of the whole listing does, and the printer's per-function entry
// points must reproduce printModule's text and map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModule } from '../../runtime/binary/decode.js';
import { assembleText } from '../../runtime/text/index.js';
import { functionLayout, functionPrinter, printModule } from '../../runtime/text/printer.js';
import type { Module } from '../../runtime/wasm/types.js';
import { PrintedLines } from '../../debug-adapter/printed-lines.js';
import { listModule } from '../../debug-adapter/wasm-listing.js';
import { SourceLines } from '../../debug-adapter/source-lines.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

function fromFile(path: string): Module {
  return decodeModule(new Uint8Array(readFileSync(join(fixtures, path))));
}

function fromText(text: string): Module {
  const out = assembleText(text, { debugNames: true });
  assert.ok(out.bytes, out.diagnostics.map((d) => d.message).join('\n'));
  return decodeModule(out.bytes);
}

const modules: [string, () => Module][] = [
  ['C program with DWARF (imports, many functions)', () => fromFile('dwarf/program-O0.wasm')],
  ['WASI files fixture', () => fromFile('wasi/files.wasm')],
  ['dap loop.wasm', () => fromFile('dap/loop.wasm')],
  // Nesting, named labels, locals, functions after module fields, an export after the code.
  ['hand-written nesting', () => fromText(`(module
    (type $t (func (param i32) (result i32)))
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory 1)
    (global $g (mut i32) (i32.const 0))
    (func $a (param $n i32) (result i32) (local $x i32) (local i64)
      (block $out (loop $top
        (br_if $out (i32.eqz (local.get $n)))
        (if (i32.gt_s (local.get $n) (i32.const 3)) (then (local.set $x (i32.const 1))) (else nop))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $top)))
      (local.get $x))
    (func $b nop)
    (func $c (result i32) (call $a (i32.const 5)))
    (export "a" (func $a))
    (data (i32.const 0) "hi"))`)],
];

for (const [name, load] of modules) {
  test(`per-function printing reproduces printModule: ${name}`, () => {
    const m = load();
    const whole = printModule(m);
    const lines = whole.text.split('\n');
    const layout = functionLayout(m);
    assert.deepEqual(layout, whole.functions);
    const print = functionPrinter(m);
    const map = [];
    for (const f of layout) {
      const one = print(f.funcIndex, f.startLine);
      assert.deepEqual(one.extent, f);
      assert.deepEqual(one.lines, lines.slice(f.startLine, f.endLine + 1), `function ${f.funcIndex}`);
      map.push(...one.map);
    }
    assert.deepEqual(map, whole.map);
  });

  test(`PrintedLines answers as the whole listing's table: ${name}`, () => {
    const m = load();
    const listing = listModule(m);
    const full = new SourceLines(listing.entries, listing.functions);
    const lazy = new PrintedLines(m);
    const lineCount = listing.text.split('\n').length;
    assert.deepEqual(lazy.functions, listing.functions);
    const offsets = new Set<number>([0, m.bytes.length + 10]);
    for (const e of full.entries) { offsets.add(e.offset); offsets.add(e.offset + 1); }
    for (const f of listing.functions) { offsets.add(f.codeStart - 1); offsets.add(f.end); }
    for (const offset of offsets) {
      assert.deepEqual(lazy.locate(offset), full.locate(offset), `locate(${offset})`);
      assert.deepEqual(lazy.functionAt(offset), full.functionAt(offset), `functionAt(${offset})`);
    }
    for (let line = -1; line <= lineCount + 1; line++) {
      assert.deepEqual(lazy.onLine(line), full.onLine(line), `onLine(${line})`);
      assert.deepEqual(lazy.place(line), full.place(line), `place(${line})`);
      for (const column of [0, 4, 9, 30]) {
        assert.deepEqual(lazy.place(line, column), full.place(line, column), `place(${line}, ${column})`);
      }
    }
    for (const [from, to] of [[0, lineCount], [0, 3], [5, 40], [lineCount - 10, lineCount + 5]] as const) {
      assert.deepEqual(lazy.linesWithCode(from, to), full.linesWithCode(from, to), `linesWithCode(${from}, ${to})`);
    }
  });
}
