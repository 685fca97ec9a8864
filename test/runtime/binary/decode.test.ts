import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../runtime/binary/decode.js';
import { DecodeError } from '../../../runtime/wasm/errors.js';
import { wat } from './wat.js';
import { arithmeticModule } from './module-builder.js';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { assembleText, checkText } from '../../../runtime/text/index.js';
import type { Module } from '../../../runtime/wasm/types.js';
import { validateModule } from '../../../runtime/validate/module.js';

const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function expectDecodeError(bytes: number[] | Uint8Array, message: string, offset?: number, funcIndex?: number): void {
  assert.throws(() => decodeModule(Uint8Array.from(bytes)), (e: unknown) => {
    assert.ok(e instanceof DecodeError, `expected DecodeError, got ${String(e)}`);
    assert.ok(e.message.startsWith(message), `message "${e.message}" should start with "${message}"`);
    if (offset !== undefined) assert.equal(e.location?.offset, offset, 'offset');
    if (funcIndex !== undefined) assert.equal(e.location?.funcIndex, funcIndex, 'function index');
    return true;
  });
}

const sample = wat(`(module $demo
  (import "env" "log" (func $log (param i32)))
  (import "env" "g" (global $imported i64))
  (memory (export "mem") 1 2)
  (table 2 funcref)
  (global $counter (mut i32) (i32.const 7))
  (func $main (export "main") (param $x i32) (result i32) (local $a i64) (local $b i64) (local $c f32)
    (block $out (result i32)
      (if (result i32) (local.get $x)
        (then (i32.const 1))
        (else (br $out (i32.const 2)))))
    (loop $again (br_if $again (i32.const 0)))
    (f32.const nan:0x200001) (drop)
    (i64.const -9223372036854775808) (drop)
    (f64.const -0x1.8p+1) (drop)
    (i32.load8_u offset=5 align=1 (i32.const 0)) (drop)
    (br_table 0 0 0 (i32.const 0))
  )
  (func $other (type 0) (call $log (local.get 0)))
  (elem (i32.const 0) $main $other)
  (data (i32.const 16) "hi")
)`, { debugNames: true });

test('decodes every section into the IR', () => {
  const m = decodeModule(sample);
  assert.equal(m.imports.length, 2);
  assert.deepEqual(m.imports[0]!.desc, { kind: 'func', typeIndex: 0 });
  assert.deepEqual(m.imports[1]!.desc, { kind: 'global', type: { type: 0x7e, mutable: false } });
  assert.deepEqual(m.memories, [{ min: 1, max: 2 }]);
  assert.deepEqual(m.tables, [{ elem: 0x70, limits: { min: 2 } }]);
  assert.equal(m.globals[0]!.type.mutable, true);
  assert.equal(m.globals[0]!.init[0]!.i32, 7);
  assert.deepEqual(m.exports.map((e) => [e.name, e.kind, e.index]), [['mem', 'memory', 0], ['main', 'func', 1]]);
  assert.equal(m.elems[0]!.mode, 'active');
  assert.deepEqual(m.elems[0]!.init.map((e) => [e[0]!.op, e[0]!.index]), [[0xd2, 1], [0xd2, 2]]);
  assert.deepEqual([...m.datas[0]!.bytes], [0x68, 0x69]);
  assert.equal(m.funcs.length, 2);
  assert.deepEqual(m.funcs[0]!.locals, [0x7e, 0x7e, 0x7d], 'locals expanded, params excluded');
  assert.equal(m.bytes, sample);
  // A view into a larger buffer decodes the same (offsets stay relative to the view).
  const padded = new Uint8Array(sample.length + 5);
  padded.set(sample, 5);
  const again = decodeModule(padded.subarray(5));
  assert.deepEqual(again.funcs.map((f) => f.body.map((i) => [i.op, i.offset, i.i32, i.i64])),
    m.funcs.map((f) => f.body.map((i) => [i.op, i.offset, i.i32, i.i64])));
});

test('structured instructions know their else and end; offsets are absolute', () => {
  const m = decodeModule(sample);
  const f = m.funcs[0]!;
  const body = f.body;
  assert.equal(sample[f.codeStart], body[0]!.op, 'codeStart points at the first instruction');
  assert.equal(f.end, f.codeStart + (f.end - f.codeStart));
  for (const instr of body) {
    const first = sample[instr.offset]!;
    assert.equal(instr.op > 0xff ? instr.op >> 8 : instr.op, first, `offset of op 0x${instr.op.toString(16)}`);
  }
  const block = body[0]!;
  assert.equal(block.op, 0x02);
  assert.equal(block.blockType, -1);
  const iff = body.find((i) => i.op === 0x04)!;
  assert.equal(body[iff.else!]!.op, 0x05);
  assert.equal(body[iff.end!]!.op, 0x0b);
  assert.equal(body[block.end!]!.op, 0x0b);
  assert.ok(block.end! > iff.end!);
  assert.equal(body[body.length - 1]!.op, 0x0b, 'the body keeps its final end');
  assert.equal(body[body.length - 1]!.offset, f.end - 1);
  const brTable = body.find((i) => i.op === 0x0e)!;
  assert.deepEqual(brTable.labels, [0, 0]);
  assert.equal(brTable.index, 0);
});

test('constants keep their exact bits', () => {
  const body = decodeModule(sample).funcs[0]!.body;
  const f32 = body.find((i) => i.op === 0x43)!;
  assert.equal(f32.i32! >>> 0, 0x7fa00001);
  const i64 = body.find((i) => i.op === 0x42)!;
  assert.equal(i64.i64, -9223372036854775808n);
  const f64 = body.find((i) => i.op === 0x44)!;
  const view = new DataView(new ArrayBuffer(8));
  view.setBigInt64(0, f64.i64!, true);
  assert.equal(view.getFloat64(0, true), -3);
  const load = body.find((i) => i.op === 0x2d)!;
  assert.equal(load.memOffset, 5);
  assert.equal(load.align, 0);
});

test('name section: module, functions, locals, globals', () => {
  const m = decodeModule(sample);
  assert.equal(m.names.module, 'demo');
  assert.equal(m.names.funcs.get(0), 'log');
  assert.equal(m.names.funcs.get(1), 'main');
  assert.equal(m.names.locals.get(1)?.get(0), 'x');
  assert.equal(m.names.locals.get(1)?.get(2), 'b');
  assert.ok(m.customs.some((c) => c.name === 'name'));
});

test('malformed input: spec messages with absolute offsets and function index', () => {
  expectDecodeError([], 'unexpected end', 0);
  expectDecodeError([0x00, 0x61, 0x73, 0x6e, 1, 0, 0, 0], 'magic header not detected', 0);
  expectDecodeError([...header.slice(0, 4), 2, 0, 0, 0], 'unknown binary version', 4);
  expectDecodeError([...header, 13, 0], 'malformed section id', 8);
  expectDecodeError([...header, 1, 5, 1, 0x60, 0, 0], 'length out of bounds', 9);
  expectDecodeError([...header, 1, 5, 1, 0x60, 0, 0, 0, 0], 'section size mismatch');
  expectDecodeError([...header, 3, 1, 0, 1, 1, 0], 'unexpected content after last section', 11);
  // Type, function, code: body `i32.const` with a 6-byte LEB.
  const type = [1, 4, 1, 0x60, 0, 0];
  const fn = [3, 2, 1, 0];
  expectDecodeError([...header, ...type, ...fn, 10, 10, 1, 8, 0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00],
    'integer representation too long', 28, 0);
  expectDecodeError([...header, ...type, ...fn, 10, 9, 1, 7, 0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x70],
    'integer too large', 28, 0);
  expectDecodeError([...header, ...type, ...fn, 10, 5, 1, 3, 0, 0xff, 0x0b], 'illegal opcode', 23, 0);
  expectDecodeError([...header, ...type, ...fn, 10, 6, 1, 4, 0, 0x3f, 0x01, 0x0b], 'zero byte expected', 24, 0);
  expectDecodeError([...header, ...type, ...fn, 10, 4, 1, 2, 0, 0x01], 'unexpected end', undefined, 0);
  expectDecodeError([...header, ...type, ...fn], 'function and code section have inconsistent lengths');
  expectDecodeError([...header, ...type, ...fn, 10, 10, 1, 8, 1, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x0b],
    'too many locals', undefined, 0);
  expectDecodeError([...header, 2, 8, 1, 1, 0x61, 2, 0xc0, 0x80, 0, 0], 'malformed UTF-8 encoding', 13);
  expectDecodeError([...header, 6, 6, 1, 0x7f, 2, 0x41, 0, 0x0b], 'malformed mutability', 12);
  expectDecodeError([...header, 4, 4, 1, 0x71, 0, 0], 'malformed reference type', 11);
  expectDecodeError([...header, ...type, ...fn, 10, 7, 1, 5, 0, 0xfc, 9, 0, 0x0b], 'data count section required', undefined, 0);
  expectDecodeError([...header, 12, 1, 1], 'data count and data section have inconsistent lengths');
});

test('every truncation and many byte flips of a real module give only DecodeError', () => {
  for (let n = 0; n < sample.length; n++) {
    try {
      decodeModule(sample.subarray(0, n));
    } catch (e) {
      assert.ok(e instanceof DecodeError, `truncated at ${n}: ${String(e)}`);
    }
  }
  // Deterministic pseudo-random flips (a fixed LCG), so failures reproduce.
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) >>> 0);
  for (let i = 0; i < 3000; i++) {
    const copy = sample.slice();
    for (let k = 0; k < 3; k++) copy[next() % copy.length] = next() & 0xff;
    try {
      decodeModule(copy);
    } catch (e) {
      assert.ok(e instanceof DecodeError, `flip ${i}: ${String(e)}`);
    }
  }
});

test('decodes a 1 MB module fast', () => {
  const bytes = arithmeticModule(200, 700);
  assert.ok(bytes.length > 1_000_000);
  decodeModule(bytes); // warm up the JIT
  // CPU time of this process, not wall time: other jobs on a shared 2-core machine must not fail us.
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = process.cpuUsage();
    const m = decodeModule(bytes);
    const used = process.cpuUsage(before);
    times.push((used.user + used.system) / 1000);
    assert.equal(m.funcs.length, 200);
  }
  times.sort((a, b) => a - b);
  console.log(`decode ${(bytes.length / 1e6).toFixed(2)} MB: median ${times[2]!.toFixed(1)} ms CPU`);
  // Typical is ~40 ms; the bound leaves room for slow CI machines and GC threads.
  assert.ok(times[2]! < 250, `median ${times[2]} ms`);
});

test('tiny bodies declaring many locals cannot exhaust memory', () => {
  // 2,000 bodies of 7 bytes, each declaring 50,000 i32 locals (100 million in all).
  const funcs = 2000;
  const body = [6, 1, 0xd0, 0x86, 0x03, 0x7f, 0x0b];
  const funcSection = [0xd0, 0x0f, ...new Array<number>(funcs).fill(0)];
  const code = [0xd0, 0x0f];
  for (let i = 0; i < funcs; i++) code.push(...body);
  const uleb = (n: number): number[] => (n < 128 ? [n] : [(n & 0x7f) | 0x80, ...uleb(n >>> 7)]);
  const bytes = [...header, 1, 4, 1, 0x60, 0, 0, 3, ...uleb(funcSection.length), ...funcSection,
    10, ...uleb(code.length), ...code];
  expectDecodeError(bytes, 'too many locals');
});

test('a decoded module, once dropped, is collected: the decoder keeps nothing of it', async () => {
  // v128.const immediates are views of the module's bytes, so a kept instruction would pin them all.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let bytes: Uint8Array | undefined = assembleText(`(module (func ${'(drop (v128.const i32x4 1 2 3 4)) '.repeat(2000)}))`).bytes;
  assert.ok(bytes);
  let module: Module | undefined = decodeModule(bytes);
  const instr = new WeakRef(module.funcs[0]!.body[5]!);
  const buffer = new WeakRef(bytes.buffer);
  module = undefined;
  bytes = undefined;
  // WeakRef targets stay alive until the current job ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  assert.equal(instr.deref(), undefined, 'an instruction object outlived its module');
  assert.equal(buffer.deref(), undefined, "the module's bytes outlived it");
});

test('bodies on demand: the same instructions as kept bodies, decoded when read and kept from then on', () => {
  const text = `(module (memory 1) (global $g (mut i32) (i32.const 0))
    (func $f (param i32) (result i32) (block (result i32) (br_if 0 (local.get 0) (local.get 0)) (drop) (i32.const 7)))
    (func (export "g") (result i32) (global.set $g (call $f (i32.load offset=8 (i32.const 0)))) (global.get $g))
    (func (result i32) (i64.const 1)))`;
  const bytes = assembleText(text).bytes;
  assert.ok(bytes);
  const kept = decodeModule(bytes);
  const onDemand = decodeModule(bytes, { bodies: 'on-demand' });
  assert.equal(onDemand.funcs.length, kept.funcs.length);
  onDemand.funcs.forEach((f, i) => {
    const k = kept.funcs[i]!;
    assert.deepEqual([f.typeIndex, f.locals, f.start, f.codeStart, f.end], [k.typeIndex, k.locals, k.start, k.codeStart, k.end]);
    assert.deepEqual(f.body, k.body);
    assert.equal(f.body, f.body, 'decoded once, then kept');
  });
  // The validator reads on-demand bodies without keeping them, and finds the same error.
  const fresh = decodeModule(bytes, { bodies: 'on-demand' });
  const errors = validateModule(fresh).map((e) => [e.message, e.location?.offset]);
  assert.deepEqual(errors, validateModule(kept).map((e) => [e.message, e.location?.offset]));
  assert.match(String(errors[0]?.[0]), /type mismatch/);
});

test('bodies on demand: a malformed body is reported by validation, with the error eager decoding throws', () => {
  // The second function's `else` has no `if`: malformed. The third is merely invalid.
  const bytes = assembleText('(module (func) (func nop else end) (func (result i32) (i64.const 0)))').bytes;
  assert.ok(bytes);
  let eager: DecodeError | undefined;
  try {
    decodeModule(bytes);
  } catch (e) {
    if (e instanceof DecodeError) eager = e;
  }
  assert.ok(eager, 'eager decoding throws');
  const module = decodeModule(bytes, { bodies: 'on-demand' });
  const errors = validateModule(module);
  assert.deepEqual(errors.map((e) => [e.kind, e.message, e.location?.offset, e.location?.funcIndex]), [
    ['malformed', eager.message, eager.location?.offset, eager.location?.funcIndex],
    ['invalid', 'type mismatch in end: expected [i32], found [i64]', errors[1]?.location?.offset, 2],
  ]);
  assert.throws(() => module.funcs[1]!.body, DecodeError);
  // checkText (which decodes on demand) reports it on the text of the second function.
  const text = '(module (func) (func nop else end))';
  const check = checkText(text);
  assert.deepEqual(check.diagnostics.map((d) => [d.code, d.message]), [['malformed', eager.message]]);
  assert.ok(check.diagnostics[0]!.range.start.character >= text.indexOf('(func nop'));
});

test('bodies on demand: when decoding fails later, a malformed body before that point is still the error', () => {
  // Function 0's `else` has no `if`; function 1 declares more locals than any engine accepts.
  const bytes = assembleText(`(module (func nop else) (func (local ${'i32 '.repeat(50_001)})))`).bytes;
  assert.ok(bytes);
  const failure = (bodies: 'keep' | 'on-demand'): [string, number | undefined, number | undefined] => {
    try {
      decodeModule(bytes, { bodies });
    } catch (e) {
      if (e instanceof DecodeError) return [e.message, e.location?.offset, e.location?.funcIndex];
      throw e;
    }
    return ['no error', undefined, undefined];
  };
  assert.equal(failure('keep')[0], 'else without matching if');
  assert.deepEqual(failure('on-demand'), failure('keep'));
});
