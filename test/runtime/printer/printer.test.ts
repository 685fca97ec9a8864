import { test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusUnavailable, loadSpecCorpus } from '../binary/spec-corpus.js';
import { wat } from '../binary/wat.js';
import { singleFunctionModule } from '../binary/module-builder.js';
import { decodeModule } from '../../../runtime/binary/decode.js';
import { listSections } from '../../../runtime/binary/sections.js';
import { instructionPrinter, printModule } from '../../../runtime/text/printer.js';
import { formatF32, formatF64 } from '../../../runtime/text/printer-literals.js';
import { OPS, opByCode } from '../../../runtime/wasm/opcodes.js';
import type { Instr, Module } from '../../../runtime/wasm/types.js';

// The project's lib settings (ES2022, no DOM) do not declare the WebAssembly global Node provides.
const { WebAssembly } = globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } };

/** wat2wasm (wabt's JS build, in process: thousands of modules in seconds). */
const assemble = (text: string): Uint8Array => wat(text);

function codeSection(bytes: Uint8Array): string {
  const s = listSections(bytes).find((x) => x.id === 10);
  return s ? Buffer.from(bytes.subarray(s.payloadStart, s.end)).toString('hex') : '';
}

/** An instruction without its offset, for comparing code decoded from different encodings. */
function shape(i: Instr): string {
  const { offset: _offset, ...rest } = i;
  return JSON.stringify(rest, (_k, v: unknown) =>
    (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v));
}

function sameCode(a: Module, b: Module): boolean {
  if (a.funcs.length !== b.funcs.length) return false;
  return a.funcs.every((f, i) => {
    const g = b.funcs[i]!;
    return f.typeIndex === g.typeIndex && f.locals.join() === g.locals.join() && f.body.length === g.body.length
      && f.body.every((instr, k) => shape(instr) === shape(g.body[k]!));
  });
}

/** Every map entry points at the text of its instruction. */
function checkMap(m: Module, text: string, map: ReturnType<typeof printModule>['map']): void {
  const lines = text.split('\n');
  const instrs = new Map<number, Instr>();
  for (const f of m.funcs) for (const i of f.body) instrs.set(i.offset, i);
  assert.equal(map.length, instrs.size, 'one map entry per instruction');
  for (const loc of map) {
    const instr = instrs.get(loc.offset)!;
    const at = lines[loc.line]!.slice(loc.column);
    const isFinalEnd = m.funcs.some((f) => f.body[f.body.length - 1] === instr);
    const expected = isFinalEnd ? ')' : opByCode(instr.op)!.name;
    assert.ok(at.startsWith(expected), `offset ${loc.offset}: line ${loc.line} col ${loc.column} "${at}" starts with ${expected}`);
  }
}

test('floats print to text that reads back to the same bits', () => {
  assert.equal(formatF32(0x3fc00000), '1.5');
  assert.equal(formatF32(0x3dcccccd), '0.1');
  assert.equal(formatF32(0x80000000 | 0), '-0');
  assert.equal(formatF32(0x7fc00000), 'nan');
  assert.equal(formatF32(0xffa00001 | 0), '-nan:0x200001');
  assert.equal(formatF32(0x7f800000), 'inf');
  assert.equal(formatF32(1), '1e-45');
  assert.equal(formatF64(0x3fb999999999999an), '0.1');
  assert.equal(formatF64(-0x8000000000000000n), '-0');
  assert.equal(formatF64(0x7ff8000000000001n), 'nan:0x8000000000001');
  assert.equal(formatF64(0x7fefffffffffffffn), '1.7976931348623157e+308');
});

test('names, index comments and the source map', () => {
  const bytes = wat(`(module $demo
    (import "env" "log" (func $log (param i32)))
    (global $g (mut i32) (i32.const 7))
    (func $main (export "main") (param $x i32) (result i32) (local $acc i64)
      (block $out
        (if (local.get $x) (then (call $log (local.get $x)) (br $out))))
      (global.set $g (i32.const -3))
      (global.get $g)))`, { debugNames: true });
  const m = decodeModule(bytes);
  // wabt 1.0.32 writes no label names (an extended-name-section subsection): add one by hand.
  m.names.labels.set(1, new Map([[0, 'out']]));
  const { text, map } = printModule(m);
  assert.match(text, /^\(module \$demo\n/);
  assert.match(text, /\(import "env" "log" \(func \$log \(;0;\) \(type 0\) \(param i32\)\)\)/);
  assert.match(text, /\(func \$main \(;1;\) \(type 1\) \(param \$x i32\) \(result i32\)\n {4}\(local \$acc i64\)/);
  assert.match(text, /\n {4}block \$out\n {6}local.get \$x\n {6}if\n {8}local.get \$x\n {8}call \$log\n {8}br 1\n {6}end\n {4}end\n/);
  assert.match(text, /global.set \$g/);
  checkMap(m, text, map);
  const [fn] = printModule(m).functions;
  const lines = text.split('\n');
  assert.equal(fn?.funcIndex, 1);
  assert.match(lines[fn!.startLine]!, /^ {2}\(func \$main/);
  assert.equal(lines[fn!.endLine], '  )');
  const format = instructionPrinter(m);
  const body = m.funcs[0]!.body;
  assert.equal(format(body.find((i) => i.op === 0x20)!, 1), 'local.get $x');
  assert.equal(format(body.find((i) => i.op === 0x20)!), 'local.get 0');
  assert.equal(format(body.find((i) => i.op === 0x10)!, 1), 'call $log');
  assert.equal(format(body.find((i) => i.op === 0x41)!, 1), 'i32.const -3');
  assert.equal(codeSection(assemble(text)), codeSection(bytes));
});

test('spec modules: printed text reassembles to the same code', { skip: corpusUnavailable() }, () => {
  let total = 0, sameBytes = 0;
  const failures: string[] = [];
  // Opcodes whose name, code and immediates wat2wasm confirmed by re-encoding them identically.
  const confirmed = new Set<number>();
  for (const spec of loadSpecCorpus().modules) {
    if (spec.expect !== 'valid') continue;
    total++;
    const where = `${spec.wast}:${spec.line}`;
    const m = decodeModule(spec.bytes);
    const { text, map } = printModule(m);
    checkMap(m, text, map);
    let out: Uint8Array;
    try {
      out = assemble(text);
    } catch (e) {
      failures.push(`${where}: wat2wasm rejected the printed text: ${String(e).slice(0, 200)}`);
      continue;
    }
    if (!WebAssembly.validate(out)) failures.push(`${where}: reassembled module does not validate`);
    else if (codeSection(out) === codeSection(spec.bytes)) {
      sameBytes++;
      for (const f of m.funcs) for (const i of f.body) confirmed.add(i.op);
    }
    // Hand-written spec binaries with over-long LEBs or split local groups re-encode differently,
    // but must still mean the same code.
    else if (!sameCode(m, decodeModule(out))) failures.push(`${where}: reassembled code differs`);
  }
  console.log(`printer: ${total} spec modules printed and reassembled, ${sameBytes} with byte-identical code sections`);
  assert.deepEqual(failures, []);
  assert.ok(sameBytes >= total - 10, `${total - sameBytes} code sections differ in bytes`);
  // So the printer round trip also checks the whole opcode table against wabt.
  assert.deepEqual(OPS.filter((op) => !confirmed.has(op.code)).map((op) => op.name), []);
});

test('deep nesting prints in linear space', () => {
  const depth = 20000;
  const code = [0, ...new Array<number>(depth).fill(0).flatMap(() => [0x02, 0x40]), ...new Array<number>(depth + 1).fill(0x0b)];
  const m = decodeModule(singleFunctionModule(code));
  const { text, map } = printModule(m);
  assert.equal(map.length, 2 * depth + 1);
  assert.ok(text.length < 200 * depth, `${text.length} characters`);
});
