// Differential test of the SIMD helpers against V8's own Wasm SIMD: one small module (built with
// Debian's wat2wasm at test time) exports one function per instruction (and per lane immediate or
// shuffle pattern), taking its operands from memory and storing its result to memory, since Node 20
// cannot pass v128 across the JS boundary. Inputs are seeded random and edge-case lanes; results are
// compared byte for byte, except float lanes of computing operations, where a NaN only has to be of
// the class the spec's nan:canonical / nan:arithmetic patterns accept.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as simd from '../../../runtime/engine/simd.js';
import { SIMD, simdFunction, type V128 } from '../../../runtime/engine/simd.js';

// Per exported function; raise it (e.g. SIMD_TEST_ITERATIONS=20000) for a longer hunt for rare mismatches.
const ITERATIONS = Number(process.env.SIMD_TEST_ITERATIONS ?? 250);
const SEED = Number(process.env.SIMD_TEST_SEED ?? 0x5eed);

// ---- the instruction table (written from the spec's opcode list, independently of the helpers) ----

type Kind =
  | 'unary' | 'binary' | 'ternary' | 'reduce' | 'shift' | 'splat' | 'extract' | 'replace' | 'shuffle'
  | 'load_lane' | 'store_lane' | 'load_scalar' | 'load_extend';
type Scalar = 'i32' | 'i64' | 'f32' | 'f64';

interface OpSpec {
  name: string;
  kind: Kind;
  /** The scalar operand (splat, replace, lane loads, splat/zero loads) or result (extract). */
  scalar?: Scalar;
  /** store_lane: the width stored. */
  stored?: 'i8' | 'i16' | 'i32' | 'i64';
  /** Float lanes of the result that are computed, so NaNs compare by class. */
  nan?: 'f32' | 'f64';
}

const words = (s: string): string[] => s.trim().split(/\s+/);
const ints = ['i8x16', 'i16x8', 'i32x4'];
const cmpInt = words('eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u');
const cmpFloat = words('eq ne lt gt le ge');

const UNARY = [
  'v128_not',
  ...['i8x16', 'i16x8', 'i32x4', 'i64x2'].flatMap((s) => [`${s}_abs`, `${s}_neg`]),
  'i8x16_popcnt',
  ...words('low high').flatMap((h) => words('s u').flatMap((u) => [
    `i16x8_extend_${h}_i8x16_${u}`, `i32x4_extend_${h}_i16x8_${u}`, `i64x2_extend_${h}_i32x4_${u}`])),
  ...words('s u').flatMap((u) => [`i16x8_extadd_pairwise_i8x16_${u}`, `i32x4_extadd_pairwise_i16x8_${u}`]),
  ...['f32x4', 'f64x2'].flatMap((s) => words('abs neg sqrt ceil floor trunc nearest').map((o) => `${s}_${o}`)),
  ...words('i32x4_trunc_sat_f32x4_s i32x4_trunc_sat_f32x4_u i32x4_trunc_sat_f64x2_s_zero i32x4_trunc_sat_f64x2_u_zero'),
  ...words('f32x4_convert_i32x4_s f32x4_convert_i32x4_u f64x2_convert_low_i32x4_s f64x2_convert_low_i32x4_u'),
  'f32x4_demote_f64x2_zero', 'f64x2_promote_low_f32x4',
];

const BINARY = [
  ...words('v128_and v128_andnot v128_or v128_xor i8x16_swizzle'),
  ...ints.flatMap((s) => cmpInt.map((c) => `${s}_${c}`)),
  ...words('eq ne lt_s gt_s le_s ge_s').map((c) => `i64x2_${c}`),
  ...['f32x4', 'f64x2'].flatMap((s) => cmpFloat.map((c) => `${s}_${c}`)),
  ...['i8x16', 'i16x8'].flatMap((s) => words('add_sat_s add_sat_u sub_sat_s sub_sat_u avgr_u').map((o) => `${s}_${o}`)),
  ...ints.flatMap((s) => words('add sub min_s min_u max_s max_u').map((o) => `${s}_${o}`)),
  'i64x2_add', 'i64x2_sub', 'i16x8_mul', 'i32x4_mul', 'i64x2_mul', 'i16x8_q15mulr_sat_s', 'i32x4_dot_i16x8_s',
  ...words('i8x16_narrow_i16x8_s i8x16_narrow_i16x8_u i16x8_narrow_i32x4_s i16x8_narrow_i32x4_u'),
  ...words('low high').flatMap((h) => words('s u').flatMap((u) => [
    `i16x8_extmul_${h}_i8x16_${u}`, `i32x4_extmul_${h}_i16x8_${u}`, `i64x2_extmul_${h}_i32x4_${u}`])),
  ...['f32x4', 'f64x2'].flatMap((s) => words('add sub mul div min max pmin pmax').map((o) => `${s}_${o}`)),
];

const REDUCE = ['v128_any_true', ...['i8x16', 'i16x8', 'i32x4', 'i64x2'].flatMap((s) => [`${s}_all_true`, `${s}_bitmask`])];
const SHIFT = ['i8x16', 'i16x8', 'i32x4', 'i64x2'].flatMap((s) => words('shl shr_s shr_u').map((o) => `${s}_${o}`));
const SHAPE_SCALAR: Record<string, Scalar> = { i8x16: 'i32', i16x8: 'i32', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64' };

/** Computing float ops: the result lanes that may be NaN of any allowed class. */
const NAN_F32 = new Set([...words('sqrt add sub mul div min max ceil floor trunc nearest').map((o) => `f32x4_${o}`), 'f32x4_demote_f64x2_zero']);
const NAN_F64 = new Set([...words('sqrt add sub mul div min max ceil floor trunc nearest').map((o) => `f64x2_${o}`), 'f64x2_promote_low_f32x4']);

function buildOps(): OpSpec[] {
  const ops: OpSpec[] = [];
  const add = (name: string, kind: Kind, extra: Partial<OpSpec> = {}): void => {
    const nan = NAN_F32.has(name) ? 'f32' : NAN_F64.has(name) ? 'f64' : undefined;
    ops.push({ name, kind, nan, ...extra });
  };
  UNARY.forEach((n) => add(n, 'unary'));
  BINARY.forEach((n) => add(n, 'binary'));
  add('v128_bitselect', 'ternary');
  REDUCE.forEach((n) => add(n, 'reduce'));
  SHIFT.forEach((n) => add(n, 'shift'));
  add('i8x16_shuffle', 'shuffle');
  for (const [shape, scalar] of Object.entries(SHAPE_SCALAR)) {
    add(`${shape}_splat`, 'splat', { scalar });
    add(`${shape}_replace_lane`, 'replace', { scalar });
    if (shape === 'i8x16' || shape === 'i16x8') {
      add(`${shape}_extract_lane_s`, 'extract', { scalar });
      add(`${shape}_extract_lane_u`, 'extract', { scalar });
    } else {
      add(`${shape}_extract_lane`, 'extract', { scalar });
    }
  }
  for (const [bits, scalar] of [[8, 'i32'], [16, 'i32'], [32, 'i32'], [64, 'i64']] as const) {
    add(`v128_load${bits}_lane`, 'load_lane', { scalar });
    add(`v128_store${bits}_lane`, 'store_lane', { stored: `i${bits}` });
    add(`v128_load${bits}_splat`, 'load_scalar', { scalar });
    if (bits >= 32) add(`v128_load${bits}_zero`, 'load_scalar', { scalar });
  }
  for (const e of words('8x8_s 8x8_u 16x4_s 16x4_u 32x2_s 32x2_u')) add(`v128_load${e}`, 'load_extend');
  return ops;
}

const OPS = buildOps();

/** Text name: the first `_` is the `.` (no shape prefix contains an underscore). */
const textName = (name: string): string => name.replace('_', '.');

/** Number of lane immediates an op's lane index ranges over. */
function lanesOf(name: string): number {
  const m = /^(?:i8x16|v128_load8|v128_store8)_|^(i16x8|v128_load16|v128_store16)_|^(i32x4|f32x4|v128_load32|v128_store32)_/.exec(name);
  if (!m) return 2;
  return m[1] ? 8 : m[2] ? 4 : 16;
}

/** The lane shape an op's operands are best drawn from: the last shape named in it. */
function inputShape(name: string): string | undefined {
  const shapes = name.match(/i8x16|i16x8|i32x4|i64x2|f32x4|f64x2/g);
  return shapes ? shapes[shapes.length - 1] : undefined;
}
// ---- inputs: seeded random lanes mixed with edge cases ----------------------------------------

const f32Bits = (x: number): number => new Int32Array(new Float32Array([x]).buffer)[0];
const f64Bits = (x: number): bigint => new BigInt64Array(new Float64Array([x]).buffer)[0];

const F32_EDGES: number[] = [
  0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fc12345, 0x7fa00001, 0xff800001,
  0x7fffffff, 1, 0x80000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0xff7fffff,
].map((b) => b | 0).concat([
  1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 0.49999997, -0.99999994, 8388607.5, 8388608,
  -8388609, 16777216, 2147483520, 2147483648, -2147483648, -2147483904, 4294967040, 4294967296, 65535.5, 1e30, -1e-30,
].map(f32Bits));

const F64_EDGES: bigint[] = [
  0n, -0x8000000000000000n, 0x7ff0000000000000n, -0x10000000000000n, 0x7ff8000000000000n, -0x8000000000000n,
  0x7ff8000000000123n, 0x7ff0000000000001n, -0xfffffffffffffn, 1n, 0x000fffffffffffffn, 0x7fefffffffffffffn,
].concat([
  1, -1, 0.5, -0.5, 1.5, 2.5, -2.5, 4503599627370495.5, 4503599627370496, -4503599627370497, 2147483647.9,
  2147483648, -2147483648.9, -2147483649, 4294967295.9, 4294967296, -0.9, 3.4028234663852886e38,
  3.4028235677973366e38, 3.4028235677973362e38, 1.401298464324817e-45, 7.006492321624085e-46, 1e-310,
  16777217, 1.1754942106924411e-38, 1e300, -1e-300, 0.1,
].map(f64Bits));

/** Signed integer edges for a lane of `bits` bits (values wrap when stored). */
function intEdges(bits: number): number[] {
  const max = 2 ** (bits - 1) - 1, min = -(2 ** (bits - 1));
  return [0, 1, -1, 2, max, min, max - 1, min + 1, 0x40, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536];
}
const I64_EDGES = [0n, 1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffffn, 0x100000000n, -0x100000000n, 0x80000000n];
const SHIFT_COUNTS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, 256, -1, -8, -0x80000000, 0x7fffffff];
const SHAPES = ['i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2'];

class Inputs {
  private state: number;
  private readonly view = new DataView(new ArrayBuffer(16));

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  /** xorshift32: reproducible, so a failure message can be replayed by seed. */
  bits32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return x | 0;
  }

  int(n: number): number {
    return (this.bits32() >>> 0) % n;
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  private chance(p: number): boolean {
    return this.int(1000) < p * 1000;
  }

  /** A random float in a range where arithmetic is interesting (not just huge or tiny). */
  private moderateF32(): number {
    return f32Bits((this.chance(0.5) ? -1 : 1) * (1 + (this.bits32() >>> 9) / 2 ** 23) * 2 ** (this.int(80) - 40));
  }

  private moderateF64(): bigint {
    const mant = (this.bits32() >>> 0) / 2 ** 32 + (this.bits32() >>> 12) / 2 ** 52;
    return f64Bits((this.chance(0.5) ? -1 : 1) * (1 + mant) * 2 ** (this.int(140) - 70));
  }

  /** Fills 16 bytes at `dst[at..]` with lanes of `shape`, each an edge case or random. */
  fillVector(dst: Uint8Array, at: number, shape: string | undefined): void {
    const v = this.view;
    const s = shape ?? this.pick(SHAPES);
    for (let i = 0; i < 16; i += 4) v.setInt32(i, this.bits32(), true);
    const edge = (): boolean => this.chance(0.55);
    switch (s) {
      case 'i8x16': for (let i = 0; i < 16; i++) if (edge()) v.setInt8(i, this.pick(intEdges(8))); break;
      case 'i16x8': for (let i = 0; i < 16; i += 2) if (edge()) v.setInt16(i, this.pick(intEdges(16)), true); break;
      case 'i32x4': for (let i = 0; i < 16; i += 4) if (edge()) v.setInt32(i, this.pick(intEdges(32)), true); break;
      case 'i64x2': for (let i = 0; i < 16; i += 8) if (edge()) v.setBigInt64(i, this.pick(I64_EDGES), true); break;
      case 'f32x4':
        for (let i = 0; i < 16; i += 4) v.setInt32(i, edge() ? this.pick(F32_EDGES) : this.moderateF32(), true);
        break;
      case 'f64x2':
        for (let i = 0; i < 16; i += 8) v.setBigInt64(i, edge() ? this.pick(F64_EDGES) : this.moderateF64(), true);
        break;
    }
    for (let i = 0; i < 16; i++) dst[at + i] = v.getUint8(i);
  }

  /** Writes the operands an op reads: three vectors and the scalar slot. */
  fillOperands(mem: Uint8Array, op: OpSpec, a: number, b: number, c: number, scalarAt: number): void {
    const own = inputShape(op.name);
    const shape = (): string | undefined => (own && this.chance(0.7) ? own : undefined);
    this.fillVector(mem, a, shape());
    this.fillVector(mem, b, shape());
    this.fillVector(mem, c, shape());
    // Equal and partly equal operands exercise eq/ne/min/max ties and x - x.
    if (this.chance(0.15)) mem.copyWithin(b, a, a + 16);
    else if (this.chance(0.15)) mem.copyWithin(b, a, a + 8);
    const v = new DataView(mem.buffer, mem.byteOffset + scalarAt, 8);
    v.setInt32(0, this.bits32(), true);
    v.setInt32(4, this.bits32(), true);
    if (op.kind === 'shift') {
      if (this.chance(0.8)) v.setInt32(0, this.pick(SHIFT_COUNTS), true);
    } else if (op.scalar === 'f32') {
      if (this.chance(0.7)) v.setInt32(0, this.pick(F32_EDGES), true);
    } else if (op.scalar === 'f64') {
      v.setBigInt64(0, this.chance(0.7) ? this.pick(F64_EDGES) : this.moderateF64(), true);
    } else if (op.scalar === 'i64') {
      if (this.chance(0.5)) v.setBigInt64(0, this.pick(I64_EDGES), true);
    } else if (this.chance(0.5)) {
      v.setInt32(0, this.pick(intEdges(this.pick([8, 16, 32]))), true);
    }
  }
}

// ---- the reference module ----------------------------------------------------------------------

// Memory layout: three operand vectors, the result, and one scalar operand.
const SLOT_A = 0, SLOT_B = 16, SLOT_C = 32, SLOT_RESULT = 48, SLOT_SCALAR = 64;
const SENTINEL = 0xaa;

/** One exported function: the op plus its lane immediate or shuffle pattern. */
interface Case {
  export: string;
  op: OpSpec;
  lane?: number;
  shuffle?: Uint8Array;
}

function body(c: Case): string {
  const t = textName(c.op.name);
  const L = c.lane ?? 0;
  const v = (slot: number): string => `(v128.load (i32.const ${slot}))`;
  const res = `(i32.const ${SLOT_RESULT})`;
  const scalar = `(${c.op.scalar ?? 'i32'}.load (i32.const ${SLOT_SCALAR}))`;
  switch (c.op.kind) {
    case 'unary': return `(v128.store ${res} (${t} ${v(SLOT_A)}))`;
    case 'binary': return `(v128.store ${res} (${t} ${v(SLOT_A)} ${v(SLOT_B)}))`;
    case 'ternary': return `(v128.store ${res} (${t} ${v(SLOT_A)} ${v(SLOT_B)} ${v(SLOT_C)}))`;
    case 'reduce': return `(i32.store ${res} (${t} ${v(SLOT_A)}))`;
    case 'shift': return `(v128.store ${res} (${t} ${v(SLOT_A)} ${scalar}))`;
    case 'splat': return `(v128.store ${res} (${t} ${scalar}))`;
    case 'extract': return `(${c.op.scalar}.store ${res} (${t} ${L} ${v(SLOT_A)}))`;
    case 'replace': return `(v128.store ${res} (${t} ${L} ${v(SLOT_A)} ${scalar}))`;
    case 'shuffle': return `(v128.store ${res} (${t} ${[...c.shuffle!].join(' ')} ${v(SLOT_A)} ${v(SLOT_B)}))`;
    case 'load_lane': return `(v128.store ${res} (${t} ${L} (i32.const ${SLOT_SCALAR}) ${v(SLOT_A)}))`;
    case 'store_lane': return `(${t} ${L} ${res} ${v(SLOT_A)})`;
    case 'load_scalar': return `(v128.store ${res} (${t} (i32.const ${SLOT_SCALAR})))`;
    case 'load_extend': return `(v128.store ${res} (${t} (i32.const ${SLOT_A})))`;
  }
}

function shufflePatterns(inputs: Inputs): Uint8Array[] {
  const patterns = [
    Uint8Array.from({ length: 16 }, (_, i) => i),
    Uint8Array.from({ length: 16 }, (_, i) => 16 + i),
    Uint8Array.from({ length: 16 }, (_, i) => 31 - i),
    Uint8Array.from({ length: 16 }, (_, i) => (i % 2 ? 16 : 0) + (i >> 1)),
    new Uint8Array(16).fill(31),
  ];
  for (let k = 0; k < 15; k++) patterns.push(Uint8Array.from({ length: 16 }, () => inputs.int(32)));
  return patterns;
}

function buildCases(inputs: Inputs): Case[] {
  const cases: Case[] = [];
  for (const op of OPS) {
    if (op.kind === 'shuffle') {
      shufflePatterns(inputs).forEach((p, k) => cases.push({ export: `${op.name}/${k}`, op, shuffle: p }));
    } else if (op.kind === 'extract' || op.kind === 'replace' || op.kind === 'load_lane' || op.kind === 'store_lane') {
      for (let lane = 0; lane < lanesOf(op.name); lane++) cases.push({ export: `${op.name}/${lane}`, op, lane });
    } else {
      cases.push({ export: op.name, op });
    }
  }
  return cases;
}

function wat2wasmAvailable(): boolean {
  try {
    execFileSync('wat2wasm', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// tsconfig's lib is ES2022 without DOM, so TypeScript knows no WebAssembly types: declare the few
// this test uses.
interface WasmInstance {
  exports: Record<string, unknown>;
}
const Wasm = (globalThis as unknown as {
  WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object) => WasmInstance };
}).WebAssembly;

function compile(wat: string): WasmInstance {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-simd-'));
  try {
    writeFileSync(join(dir, 'ops.wat'), wat);
    execFileSync('wat2wasm', [join(dir, 'ops.wat'), '-o', join(dir, 'ops.wasm')], { stdio: 'pipe' });
    return new Wasm.Instance(new Wasm.Module(readFileSync(join(dir, 'ops.wasm'))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---- running our helpers on the same operands ---------------------------------------------------

/** Calls our helper for `c` on the operands in `mem`; returns its result laid out as the result slot. */
function runOurs(c: Case, mem: Uint8Array): Uint8Array {
  const view = new DataView(mem.buffer, mem.byteOffset);
  const a = mem.slice(SLOT_A, SLOT_A + 16), b = mem.slice(SLOT_B, SLOT_B + 16), cc = mem.slice(SLOT_C, SLOT_C + 16);
  const scalar = (): number | bigint =>
    c.op.scalar === 'i64' ? view.getBigInt64(SLOT_SCALAR, true)
      : c.op.scalar === 'f64' ? view.getFloat64(SLOT_SCALAR, true)
        : view.getInt32(SLOT_SCALAR, true); // i32, and f32 as its bit pattern
  const fn = SIMD[c.op.name];
  assert.equal(typeof fn, 'function', `SIMD.${c.op.name} missing`);
  const L = c.lane ?? 0;
  let result: V128 | number | bigint;
  switch (c.op.kind) {
    case 'unary': case 'reduce': case 'load_extend': result = fn(a); break;
    case 'binary': result = fn(a, b); break;
    case 'ternary': result = fn(a, b, cc); break;
    case 'shift': result = fn(a, view.getInt32(SLOT_SCALAR, true)); break;
    case 'splat': case 'load_scalar': result = fn(scalar()); break;
    case 'extract': case 'store_lane': result = fn(a, L); break;
    case 'replace': case 'load_lane': result = fn(a, scalar(), L); break;
    case 'shuffle': result = fn(a, b, c.shuffle); break;
  }
  assert.deepEqual([a, b, cc], [mem.slice(SLOT_A, SLOT_A + 16), mem.slice(SLOT_B, SLOT_B + 16), mem.slice(SLOT_C, SLOT_C + 16)],
    `${c.export} mutated an input`);

  const out = new Uint8Array(16).fill(SENTINEL);
  const ov = new DataView(out.buffer);
  const stored = c.op.kind === 'extract' ? c.op.scalar : c.op.kind === 'store_lane' ? c.op.stored
    : c.op.kind === 'reduce' ? 'i32' : 'v128';
  if (stored === 'v128') {
    assert.ok(result instanceof Uint8Array && result.length === 16, `${c.export} must return a 16-byte V128`);
    assert.notEqual(result, a, `${c.export} must return a new array`);
    out.set(result);
  } else if (stored === 'i64') {
    assert.equal(typeof result, 'bigint', `${c.export} must return a bigint`);
    ov.setBigInt64(0, result as bigint, true);
  } else {
    assert.equal(typeof result, 'number', `${c.export} must return a number`);
    const n = result as number;
    if (stored === 'f64') ov.setFloat64(0, n, true);
    else {
      assert.ok(n === (n | 0), `${c.export} must return an int32, got ${n}`);
      if (stored === 'i8') assert.ok(n >= 0 && n <= 0xff, `${c.export} must return a byte, got ${n}`);
      if (stored === 'i16') assert.ok(n >= 0 && n <= 0xffff, `${c.export} must return a u16, got ${n}`);
      if (stored === 'i8') ov.setUint8(0, n);
      else if (stored === 'i16') ov.setUint16(0, n, true);
      else ov.setInt32(0, n, true);
    }
  }
  return out;
}

// ---- NaN classes (spec: nan:canonical has only the quiet bit; nan:arithmetic has the quiet bit) ----

const isNaN32 = (b: number): boolean => (b & 0x7f800000) === 0x7f800000 && (b & 0x007fffff) !== 0;
const isArithmeticNaN32 = (b: number): boolean => (b & 0x7fc00000) === 0x7fc00000;
const isCanonicalNaN32 = (b: number): boolean => (b & 0x7fffffff) === 0x7fc00000;
const isNaN64 = (b: bigint): boolean =>
  (b & 0x7ff0000000000000n) === 0x7ff0000000000000n && (b & 0x000fffffffffffffn) !== 0n;
const isArithmeticNaN64 = (b: bigint): boolean => (b & 0x7ff8000000000000n) === 0x7ff8000000000000n;
const isCanonicalNaN64 = (b: bigint): boolean => (b & 0x7fffffffffffffffn) === 0x7ff8000000000000n;

/**
 * Lane-by-lane match. For computed float lanes a NaN from V8 must be matched by an arithmetic NaN,
 * and a canonical one by a canonical one (V8 may return a payload NaN where the spec allows it).
 */
function matches(expected: Uint8Array, actual: Uint8Array, nan: OpSpec['nan']): boolean {
  if (!nan) return expected.every((x, i) => x === actual[i]);
  const e = new DataView(expected.buffer, expected.byteOffset, 16);
  const a = new DataView(actual.buffer, actual.byteOffset, 16);
  if (nan === 'f32') {
    for (let i = 0; i < 16; i += 4) {
      const x = e.getUint32(i, true) | 0, y = a.getUint32(i, true) | 0;
      if (x === y) continue;
      if (!isNaN32(x) || !isArithmeticNaN32(y)) return false;
      if (isCanonicalNaN32(x) && !isCanonicalNaN32(y)) return false;
    }
    return true;
  }
  for (let i = 0; i < 16; i += 8) {
    const x = e.getBigUint64(i, true), y = a.getBigUint64(i, true);
    if (x === y) continue;
    if (!isNaN64(x) || !isArithmeticNaN64(y)) return false;
    if (isCanonicalNaN64(x) && !isCanonicalNaN64(y)) return false;
  }
  return true;
}

const hex = (bytes: Uint8Array): string => [...bytes].map((x) => x.toString(16).padStart(2, '0')).join(' ');

// ---- tests -------------------------------------------------------------------------------------

test('SIMD table covers exactly the Wasm 2.0 SIMD value instructions', () => {
  const expected = OPS.map((op) => op.name).sort();
  assert.equal(expected.length, 233); // the 236 SIMD instructions minus v128.load, v128.store, v128.const
  assert.deepEqual(Object.keys(SIMD).sort(), expected);
  for (const name of expected) {
    assert.equal((simd as Record<string, unknown>)[name], SIMD[name], `${name} is also a named export`);
  }
  assert.equal(simdFunction('i32x4.add'), SIMD.i32x4_add);
  assert.equal(simdFunction('f32x4_extract_lane'), SIMD.f32x4_extract_lane);
  assert.equal(simdFunction('toString'), undefined);
});

test('SIMD helpers agree with V8 on random and edge-case inputs', (t) => {
  if (!wat2wasmAvailable()) {
    t.skip('wat2wasm (Debian package wabt) is not installed: cannot build the V8 reference module');
    return;
  }
  const inputs = new Inputs(SEED);
  const cases = buildCases(inputs);
  const wat = `(module\n  (memory (export "mem") 1)\n${cases.map((c) => `  (func (export "${c.export}") ${body(c)})`).join('\n')}\n)\n`;
  const instance = compile(wat);
  const mem = new Uint8Array((instance.exports.mem as { buffer: ArrayBuffer }).buffer, 0, 128);
  const failures: string[] = [];
  for (const c of cases) {
    const reference = instance.exports[c.export] as () => void;
    let failed = 0;
    for (let it = 0; it < ITERATIONS && failed < 2; it++) {
      inputs.fillOperands(mem, c.op, SLOT_A, SLOT_B, SLOT_C, SLOT_SCALAR);
      mem.fill(SENTINEL, SLOT_RESULT, SLOT_RESULT + 16);
      reference();
      const expected = mem.slice(SLOT_RESULT, SLOT_RESULT + 16);
      const actual = runOurs(c, mem);
      if (!matches(expected, actual, c.op.nan)) {
        failed++;
        failures.push(
          `${c.export}: a=${hex(mem.subarray(SLOT_A, SLOT_A + 16))} b=${hex(mem.subarray(SLOT_B, SLOT_B + 16))} ` +
            `c=${hex(mem.subarray(SLOT_C, SLOT_C + 16))} scalar=${hex(mem.subarray(SLOT_SCALAR, SLOT_SCALAR + 8))}\n` +
            `      V8: ${hex(expected)}\n    ours: ${hex(actual)}`,
        );
      }
    }
  }
  assert.equal(failures.length, 0, `${failures.length} mismatches:\n${failures.slice(0, 40).join('\n')}`);
});

test('SIMD helpers read operands at any offset and extending loads read straight from memory', () => {
  const memory = new Uint8Array(64);
  for (let i = 0; i < memory.length; i++) memory[i] = (i * 37 + 11) & 0xff;
  const a = memory.subarray(3, 19), b = memory.subarray(21, 37); // unaligned views into one buffer
  assert.deepEqual(simd.i32x4_add(a, b), simd.i32x4_add(a.slice(), b.slice()));
  assert.deepEqual(simd.f64x2_extract_lane(a, 1), new DataView(a.slice().buffer).getFloat64(8, true));
  // v128.load16x4_s at address 45 = the 8 bytes there, sign-extended.
  const expected = new Uint8Array(16);
  const ev = new DataView(expected.buffer), mv = new DataView(memory.buffer);
  for (let i = 0; i < 4; i++) ev.setInt32(4 * i, mv.getInt16(45 + 2 * i, true), true);
  assert.deepEqual(simd.v128_load16x4_s(memory, 45), expected);
  assert.deepEqual(simd.v128_load16x4_s(memory.slice(45, 53)), expected);
  assert.throws(() => simd.v128_load8x8_u(memory, 57), RangeError);
  assert.throws(() => simd.v128_load8x8_u(memory, -1), RangeError);
  assert.throws(() => simd.v128_load32x2_s(new Uint8Array(7)), RangeError);
});

test('SIMD helpers reject bad arguments with a clear error instead of computing garbage', () => {
  const v = new Uint8Array(16);
  assert.throws(() => simd.i8x16_add(new Uint8Array(15), v), { name: 'TypeError', message: /16-byte Uint8Array.*length 15/ });
  assert.throws(() => SIMD.v128_not([0, 0, 0, 0]), { name: 'TypeError', message: /16-byte Uint8Array.*Array/ });
  assert.throws(() => SIMD.v128_and(v, undefined), TypeError);
  assert.throws(() => simd.i8x16_extract_lane_s(v, 16), { name: 'RangeError', message: /lane index 16 out of range 0\.\.15/ });
  assert.throws(() => simd.i64x2_replace_lane(v, 1n, 2), RangeError);
  assert.throws(() => simd.f32x4_extract_lane(v, 1.5), RangeError);
  assert.throws(() => simd.i8x16_shuffle(v, v, new Uint8Array(16).fill(32)), { name: 'RangeError', message: /32/ });
  assert.throws(() => simd.i8x16_shuffle(v, v, new Uint8Array(15)), TypeError);
  assert.throws(() => SIMD.i64x2_splat(1), { name: 'TypeError', message: /bigint/ });
  assert.throws(() => SIMD.i32x4_splat(1n), TypeError);
  assert.throws(() => SIMD.i32x4_shl(v, 1n), TypeError);
  assert.throws(() => SIMD.i64x2_shl(v, 1n), TypeError);
});
