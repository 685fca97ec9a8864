// The one instruction table for Wasm 2.0: every caller (decoder, validator, engine, text front end,
// printer, language-server hover) reads opcodes, immediates, fixed signatures and docs from here, so
// adding an instruction is a one-line change in one place.
//
// Codes follow Instr.op in types.ts: one byte for plain instructions, `(prefix << 8) + subopcode`
// for the 0xFC and 0xFD groups.
//
// Typed select (0x1C) shares the text name `select` with 0x1B: the text format spells it
// `select (result t)`. opByName('select') returns 0x1B; an assembler that sees a result annotation
// uses SELECT_TYPED instead.

import { ValType } from './types.js';

export type ImmKind = 'none' | 'blocktype' | 'label' | 'br_table' | 'func' | 'call_indirect' | 'local' | 'global'
  | 'table' | 'memarg' | 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'shuffle' | 'lane' | 'memarg_lane' | 'reftype'
  | 'select_types' | 'memory' | 'data' | 'elem' | 'table_init' | 'table_copy' | 'memory_init' | 'memory_copy';

export interface OpInfo {
  /** Text-format name, e.g. 'i32.add', 'v128.load8_lane', 'memory.init'. */
  name: string;
  /** As Instr.op: byte, or (prefix << 8) + subopcode. */
  code: number;
  imm: ImmKind;
  /** Operand and result types, for every instruction whose type does not depend on context. */
  sig?: { params: ValType[]; results: ValType[] };
  /** log2 of the access size, for memory instructions (the largest alignment allowed). */
  naturalAlign?: number;
  /** Lane-indexed SIMD instructions: number of lanes (lane immediates must be below it). */
  lanes?: number;
  doc: string;
}

export const PREFIX_MISC = 0xfc;
export const PREFIX_SIMD = 0xfd;
export const SELECT_TYPED = 0x1c;

const i32 = ValType.I32, i64 = ValType.I64, f32 = ValType.F32, f64 = ValType.F64, v128 = ValType.V128;
const funcref = ValType.FuncRef;

const ops: OpInfo[] = [];

function add(code: number, name: string, imm: ImmKind, params: ValType[] | null, results: ValType[] | null,
  doc: string, extra?: { naturalAlign?: number; lanes?: number }): void {
  // Every entry has every field, in one order: one hidden class, so the reads of `op.imm` and
  // `op.code` in the parser, resolver and assembler stay monomorphic (fields added to some entries
  // after creation gave the table several shapes).
  ops.push({
    name, code, imm, sig: params && results ? { params, results } : undefined,
    naturalAlign: extra?.naturalAlign, lanes: extra?.lanes, doc,
  });
}

const misc = (n: number): number => (PREFIX_MISC << 8) + n;
const simd = (n: number): number => (PREFIX_SIMD << 8) + n;

// ---- Control ------------------------------------------------------------------------------------
add(0x00, 'unreachable', 'none', null, null, 'Trap unconditionally.');
add(0x01, 'nop', 'none', [], [], 'Do nothing.');
add(0x02, 'block', 'blocktype', null, null, 'Begin a block; a branch to it jumps past its end.');
add(0x03, 'loop', 'blocktype', null, null, 'Begin a loop; a branch to it jumps back to its start.');
add(0x04, 'if', 'blocktype', null, null, 'Pop an i32; run the then-branch if non-zero, else the else-branch.');
add(0x05, 'else', 'none', null, null, 'Start the else-branch of an if.');
add(0x0b, 'end', 'none', null, null, 'End a block, loop, if, function body or constant expression.');
add(0x0c, 'br', 'label', null, null, 'Branch unconditionally to an enclosing label.');
add(0x0d, 'br_if', 'label', null, null, 'Pop an i32; branch to an enclosing label if it is non-zero.');
add(0x0e, 'br_table', 'br_table', null, null, 'Pop an i32 index; branch to the label it selects, or to the default.');
add(0x0f, 'return', 'none', null, null, 'Return from the current function.');
add(0x10, 'call', 'func', null, null, 'Call a function by index.');
add(0x11, 'call_indirect', 'call_indirect', null, null,
  'Pop a table index and call the function stored there, trapping if its type differs.');

// ---- Parametric ---------------------------------------------------------------------------------
add(0x1a, 'drop', 'none', null, null, 'Discard the top operand.');
add(0x1b, 'select', 'none', null, null, 'Pop a condition and two values; keep the first if non-zero, else the second.');
add(SELECT_TYPED, 'select', 'select_types', null, null,
  'Select with an explicit result type (needed for reference and vector operands).');

// ---- Variables and tables -----------------------------------------------------------------------
add(0x20, 'local.get', 'local', null, null, 'Push the value of a local.');
add(0x21, 'local.set', 'local', null, null, 'Pop a value into a local.');
add(0x22, 'local.tee', 'local', null, null, 'Store the top value into a local, keeping it on the stack.');
add(0x23, 'global.get', 'global', null, null, 'Push the value of a global.');
add(0x24, 'global.set', 'global', null, null, 'Pop a value into a mutable global.');
add(0x25, 'table.get', 'table', null, null, 'Push the reference at an index of a table (traps if out of bounds).');
add(0x26, 'table.set', 'table', null, null, 'Store a reference at an index of a table (traps if out of bounds).');

// ---- Memory -------------------------------------------------------------------------------------
function load(code: number, name: string, result: ValType, align: number, doc: string): void {
  add(code, name, 'memarg', [i32], [result], doc, { naturalAlign: align });
}
function store(code: number, name: string, value: ValType, align: number, doc: string): void {
  add(code, name, 'memarg', [i32, value], [], doc, { naturalAlign: align });
}
load(0x28, 'i32.load', i32, 2, 'Load 4 bytes as an i32.');
load(0x29, 'i64.load', i64, 3, 'Load 8 bytes as an i64.');
load(0x2a, 'f32.load', f32, 2, 'Load 4 bytes as an f32.');
load(0x2b, 'f64.load', f64, 3, 'Load 8 bytes as an f64.');
load(0x2c, 'i32.load8_s', i32, 0, 'Load 1 byte and sign-extend it to i32.');
load(0x2d, 'i32.load8_u', i32, 0, 'Load 1 byte and zero-extend it to i32.');
load(0x2e, 'i32.load16_s', i32, 1, 'Load 2 bytes and sign-extend them to i32.');
load(0x2f, 'i32.load16_u', i32, 1, 'Load 2 bytes and zero-extend them to i32.');
load(0x30, 'i64.load8_s', i64, 0, 'Load 1 byte and sign-extend it to i64.');
load(0x31, 'i64.load8_u', i64, 0, 'Load 1 byte and zero-extend it to i64.');
load(0x32, 'i64.load16_s', i64, 1, 'Load 2 bytes and sign-extend them to i64.');
load(0x33, 'i64.load16_u', i64, 1, 'Load 2 bytes and zero-extend them to i64.');
load(0x34, 'i64.load32_s', i64, 2, 'Load 4 bytes and sign-extend them to i64.');
load(0x35, 'i64.load32_u', i64, 2, 'Load 4 bytes and zero-extend them to i64.');
store(0x36, 'i32.store', i32, 2, 'Store an i32 as 4 bytes.');
store(0x37, 'i64.store', i64, 3, 'Store an i64 as 8 bytes.');
store(0x38, 'f32.store', f32, 2, 'Store an f32 as 4 bytes.');
store(0x39, 'f64.store', f64, 3, 'Store an f64 as 8 bytes.');
store(0x3a, 'i32.store8', i32, 0, 'Store the low byte of an i32.');
store(0x3b, 'i32.store16', i32, 1, 'Store the low 2 bytes of an i32.');
store(0x3c, 'i64.store8', i64, 0, 'Store the low byte of an i64.');
store(0x3d, 'i64.store16', i64, 1, 'Store the low 2 bytes of an i64.');
store(0x3e, 'i64.store32', i64, 2, 'Store the low 4 bytes of an i64.');
add(0x3f, 'memory.size', 'memory', [], [i32], 'Push the memory size in 64 KiB pages.');
add(0x40, 'memory.grow', 'memory', [i32], [i32],
  'Grow memory by a number of pages; push the old size, or -1 on failure.');

// ---- Constants ----------------------------------------------------------------------------------
add(0x41, 'i32.const', 'i32', [], [i32], 'Push a constant i32.');
add(0x42, 'i64.const', 'i64', [], [i64], 'Push a constant i64.');
add(0x43, 'f32.const', 'f32', [], [f32], 'Push a constant f32.');
add(0x44, 'f64.const', 'f64', [], [f64], 'Push a constant f64.');

// ---- Numeric ------------------------------------------------------------------------------------
// Descriptions of the numeric mnemonics shared by scalar and lane-wise forms.
const NUMERIC_DOC: Record<string, string> = {
  eqz: 'Test whether the value is zero (1 or 0).',
  eq: 'Compare for equality.',
  ne: 'Compare for inequality.',
  lt_s: 'Signed less-than comparison.', lt_u: 'Unsigned less-than comparison.', lt: 'Less-than comparison.',
  gt_s: 'Signed greater-than comparison.', gt_u: 'Unsigned greater-than comparison.', gt: 'Greater-than comparison.',
  le_s: 'Signed less-or-equal comparison.', le_u: 'Unsigned less-or-equal comparison.', le: 'Less-or-equal comparison.',
  ge_s: 'Signed greater-or-equal comparison.', ge_u: 'Unsigned greater-or-equal comparison.',
  ge: 'Greater-or-equal comparison.',
  clz: 'Count leading zero bits.', ctz: 'Count trailing zero bits.', popcnt: 'Count one bits.',
  add: 'Add, integers wrapping on overflow.', sub: 'Subtract, integers wrapping on overflow.',
  mul: 'Multiply, integers wrapping on overflow.',
  div_s: 'Signed division; traps on a zero divisor or on overflow.',
  div_u: 'Unsigned division; traps on a zero divisor.',
  rem_s: 'Signed remainder (sign of the dividend); traps on a zero divisor.',
  rem_u: 'Unsigned remainder; traps on a zero divisor.',
  and: 'Bitwise and.', or: 'Bitwise or.', xor: 'Bitwise exclusive or.',
  shl: 'Shift left (shift count taken modulo the bit width).',
  shr_s: 'Arithmetic shift right (shift count taken modulo the bit width).',
  shr_u: 'Logical shift right (shift count taken modulo the bit width).',
  rotl: 'Rotate left.', rotr: 'Rotate right.',
  abs: 'Absolute value.', neg: 'Negate.', ceil: 'Round up to an integer.', floor: 'Round down to an integer.',
  trunc: 'Round toward zero to an integer.', nearest: 'Round to the nearest integer, ties to even.',
  sqrt: 'Square root.', div: 'Divide (IEEE 754).', min: 'Minimum (NaN if either operand is NaN).',
  max: 'Maximum (NaN if either operand is NaN).', copysign: 'Magnitude of the first operand, sign of the second.',
  pmin: 'Pseudo-minimum: b < a ? b : a.', pmax: 'Pseudo-maximum: a < b ? b : a.',
  add_sat_s: 'Add with signed saturation.', add_sat_u: 'Add with unsigned saturation.',
  sub_sat_s: 'Subtract with signed saturation.', sub_sat_u: 'Subtract with unsigned saturation.',
  min_s: 'Signed minimum.', min_u: 'Unsigned minimum.', max_s: 'Signed maximum.', max_u: 'Unsigned maximum.',
  avgr_u: 'Unsigned rounding average.',
  all_true: 'Return 1 if every lane is non-zero, else 0.', bitmask: 'Collect the sign bit of every lane into an i32.',
  q15mulr_sat_s: 'Q15 fixed-point multiply with rounding and saturation.',
};

function numericDoc(mnemonic: string): string {
  const doc = NUMERIC_DOC[mnemonic];
  if (doc === undefined) throw new Error(`opcodes: no description for ${mnemonic}`);
  return doc;
}

/** A run of instructions on one type with consecutive codes. */
function family(first: number, type: string, mnemonics: string[], params: ValType[], results: ValType[],
  code: (n: number) => number = (n) => n): void {
  mnemonics.forEach((m, i) => add(code(first + i), `${type}.${m}`, 'none', params, results,
    (results[0] === v128 ? `Lane-wise (${type}): ` : '') + numericDoc(m)));
}

const intCmp = ['eq', 'ne', 'lt_s', 'lt_u', 'gt_s', 'gt_u', 'le_s', 'le_u', 'ge_s', 'ge_u'];
const floatCmp = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'];
const intUn = ['clz', 'ctz', 'popcnt'];
const intBin = ['add', 'sub', 'mul', 'div_s', 'div_u', 'rem_s', 'rem_u', 'and', 'or', 'xor', 'shl', 'shr_s', 'shr_u',
  'rotl', 'rotr'];
const floatUn = ['abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt'];
const floatBin = ['add', 'sub', 'mul', 'div', 'min', 'max', 'copysign'];

family(0x45, 'i32', ['eqz'], [i32], [i32]);
family(0x46, 'i32', intCmp, [i32, i32], [i32]);
family(0x50, 'i64', ['eqz'], [i64], [i32]);
family(0x51, 'i64', intCmp, [i64, i64], [i32]);
family(0x5b, 'f32', floatCmp, [f32, f32], [i32]);
family(0x61, 'f64', floatCmp, [f64, f64], [i32]);
family(0x67, 'i32', intUn, [i32], [i32]);
family(0x6a, 'i32', intBin, [i32, i32], [i32]);
family(0x79, 'i64', intUn, [i64], [i64]);
family(0x7c, 'i64', intBin, [i64, i64], [i64]);
family(0x8b, 'f32', floatUn, [f32], [f32]);
family(0x92, 'f32', floatBin, [f32, f32], [f32]);
family(0x99, 'f64', floatUn, [f64], [f64]);
family(0xa0, 'f64', floatBin, [f64, f64], [f64]);

// ---- Conversions --------------------------------------------------------------------------------
function convert(code: number, name: string, from: ValType, to: ValType, doc: string): void {
  add(code, name, 'none', [from], [to], doc);
}
convert(0xa7, 'i32.wrap_i64', i64, i32, 'Keep the low 32 bits of an i64.');
convert(0xa8, 'i32.trunc_f32_s', f32, i32, 'Truncate an f32 to a signed i32; traps on NaN or overflow.');
convert(0xa9, 'i32.trunc_f32_u', f32, i32, 'Truncate an f32 to an unsigned i32; traps on NaN or overflow.');
convert(0xaa, 'i32.trunc_f64_s', f64, i32, 'Truncate an f64 to a signed i32; traps on NaN or overflow.');
convert(0xab, 'i32.trunc_f64_u', f64, i32, 'Truncate an f64 to an unsigned i32; traps on NaN or overflow.');
convert(0xac, 'i64.extend_i32_s', i32, i64, 'Sign-extend an i32 to i64.');
convert(0xad, 'i64.extend_i32_u', i32, i64, 'Zero-extend an i32 to i64.');
convert(0xae, 'i64.trunc_f32_s', f32, i64, 'Truncate an f32 to a signed i64; traps on NaN or overflow.');
convert(0xaf, 'i64.trunc_f32_u', f32, i64, 'Truncate an f32 to an unsigned i64; traps on NaN or overflow.');
convert(0xb0, 'i64.trunc_f64_s', f64, i64, 'Truncate an f64 to a signed i64; traps on NaN or overflow.');
convert(0xb1, 'i64.trunc_f64_u', f64, i64, 'Truncate an f64 to an unsigned i64; traps on NaN or overflow.');
convert(0xb2, 'f32.convert_i32_s', i32, f32, 'Convert a signed i32 to the nearest f32.');
convert(0xb3, 'f32.convert_i32_u', i32, f32, 'Convert an unsigned i32 to the nearest f32.');
convert(0xb4, 'f32.convert_i64_s', i64, f32, 'Convert a signed i64 to the nearest f32.');
convert(0xb5, 'f32.convert_i64_u', i64, f32, 'Convert an unsigned i64 to the nearest f32.');
convert(0xb6, 'f32.demote_f64', f64, f32, 'Round an f64 to the nearest f32.');
convert(0xb7, 'f64.convert_i32_s', i32, f64, 'Convert a signed i32 to f64 (exact).');
convert(0xb8, 'f64.convert_i32_u', i32, f64, 'Convert an unsigned i32 to f64 (exact).');
convert(0xb9, 'f64.convert_i64_s', i64, f64, 'Convert a signed i64 to the nearest f64.');
convert(0xba, 'f64.convert_i64_u', i64, f64, 'Convert an unsigned i64 to the nearest f64.');
convert(0xbb, 'f64.promote_f32', f32, f64, 'Widen an f32 to f64 (exact).');
convert(0xbc, 'i32.reinterpret_f32', f32, i32, 'Reinterpret the bits of an f32 as an i32.');
convert(0xbd, 'i64.reinterpret_f64', f64, i64, 'Reinterpret the bits of an f64 as an i64.');
convert(0xbe, 'f32.reinterpret_i32', i32, f32, 'Reinterpret the bits of an i32 as an f32.');
convert(0xbf, 'f64.reinterpret_i64', i64, f64, 'Reinterpret the bits of an i64 as an f64.');
convert(0xc0, 'i32.extend8_s', i32, i32, 'Sign-extend the low 8 bits of an i32.');
convert(0xc1, 'i32.extend16_s', i32, i32, 'Sign-extend the low 16 bits of an i32.');
convert(0xc2, 'i64.extend8_s', i64, i64, 'Sign-extend the low 8 bits of an i64.');
convert(0xc3, 'i64.extend16_s', i64, i64, 'Sign-extend the low 16 bits of an i64.');
convert(0xc4, 'i64.extend32_s', i64, i64, 'Sign-extend the low 32 bits of an i64.');

// ---- Reference types ----------------------------------------------------------------------------
add(0xd0, 'ref.null', 'reftype', null, null, 'Push a null reference of the given type.');
add(0xd1, 'ref.is_null', 'none', null, null, 'Pop a reference; push 1 if it is null, else 0.');
add(0xd2, 'ref.func', 'func', [], [funcref], 'Push a reference to a function.');

// ---- 0xFC: saturating truncation, bulk memory, tables -------------------------------------------
const satDoc = (from: string, to: string, sign: string): string =>
  `Truncate an ${from} to ${sign === 's' ? 'a signed' : 'an unsigned'} ${to}, saturating instead of trapping.`;
add(misc(0), 'i32.trunc_sat_f32_s', 'none', [f32], [i32], satDoc('f32', 'i32', 's'));
add(misc(1), 'i32.trunc_sat_f32_u', 'none', [f32], [i32], satDoc('f32', 'i32', 'u'));
add(misc(2), 'i32.trunc_sat_f64_s', 'none', [f64], [i32], satDoc('f64', 'i32', 's'));
add(misc(3), 'i32.trunc_sat_f64_u', 'none', [f64], [i32], satDoc('f64', 'i32', 'u'));
add(misc(4), 'i64.trunc_sat_f32_s', 'none', [f32], [i64], satDoc('f32', 'i64', 's'));
add(misc(5), 'i64.trunc_sat_f32_u', 'none', [f32], [i64], satDoc('f32', 'i64', 'u'));
add(misc(6), 'i64.trunc_sat_f64_s', 'none', [f64], [i64], satDoc('f64', 'i64', 's'));
add(misc(7), 'i64.trunc_sat_f64_u', 'none', [f64], [i64], satDoc('f64', 'i64', 'u'));
add(misc(8), 'memory.init', 'memory_init', [i32, i32, i32], [],
  'Copy bytes from a passive data segment into memory (dest, src, length).');
add(misc(9), 'data.drop', 'data', [], [], 'Drop a data segment, freeing its bytes.');
add(misc(10), 'memory.copy', 'memory_copy', [i32, i32, i32], [],
  'Copy a byte range within memory; ranges may overlap (dest, src, length).');
add(misc(11), 'memory.fill', 'memory', [i32, i32, i32], [], 'Fill a byte range of memory with a value (dest, value, length).');
add(misc(12), 'table.init', 'table_init', [i32, i32, i32], [],
  'Copy references from a passive element segment into a table (dest, src, length).');
add(misc(13), 'elem.drop', 'elem', [], [], 'Drop an element segment.');
add(misc(14), 'table.copy', 'table_copy', [i32, i32, i32], [],
  'Copy references between tables; ranges may overlap (dest, src, length).');
add(misc(15), 'table.grow', 'table', null, null,
  'Grow a table by a number of entries filled with a reference; push the old size, or -1 on failure.');
add(misc(16), 'table.size', 'table', [], [i32], 'Push the number of entries in a table.');
add(misc(17), 'table.fill', 'table', null, null, 'Set a range of table entries to a reference (index, ref, length).');

// ---- 0xFD: 128-bit SIMD -------------------------------------------------------------------------
function vload(n: number, name: string, align: number, doc: string): void {
  add(simd(n), name, 'memarg', [i32], [v128], doc, { naturalAlign: align });
}
vload(0, 'v128.load', 4, 'Load 16 bytes as a v128.');
vload(1, 'v128.load8x8_s', 3, 'Load 8 bytes and sign-extend each to an i16 lane.');
vload(2, 'v128.load8x8_u', 3, 'Load 8 bytes and zero-extend each to an i16 lane.');
vload(3, 'v128.load16x4_s', 3, 'Load 4 i16 values and sign-extend each to an i32 lane.');
vload(4, 'v128.load16x4_u', 3, 'Load 4 i16 values and zero-extend each to an i32 lane.');
vload(5, 'v128.load32x2_s', 3, 'Load 2 i32 values and sign-extend each to an i64 lane.');
vload(6, 'v128.load32x2_u', 3, 'Load 2 i32 values and zero-extend each to an i64 lane.');
vload(7, 'v128.load8_splat', 0, 'Load 1 byte and copy it into all 16 lanes.');
vload(8, 'v128.load16_splat', 1, 'Load 2 bytes and copy them into all 8 lanes.');
vload(9, 'v128.load32_splat', 2, 'Load 4 bytes and copy them into all 4 lanes.');
vload(10, 'v128.load64_splat', 3, 'Load 8 bytes and copy them into both lanes.');
add(simd(11), 'v128.store', 'memarg', [i32, v128], [], 'Store a v128 as 16 bytes.', { naturalAlign: 4 });
add(simd(12), 'v128.const', 'v128', [], [v128], 'Push a constant v128.');
add(simd(13), 'i8x16.shuffle', 'shuffle', [v128, v128], [v128],
  'Build a vector from 16 byte lanes chosen from two vectors by constant indices (0-31).');
add(simd(14), 'i8x16.swizzle', 'none', [v128, v128], [v128],
  'Select bytes of the first vector by the lanes of the second; out-of-range indices give 0.');

const SHAPES = [
  { name: 'i8x16', scalar: i32, lanes: 16 }, { name: 'i16x8', scalar: i32, lanes: 8 },
  { name: 'i32x4', scalar: i32, lanes: 4 }, { name: 'i64x2', scalar: i64, lanes: 2 },
  { name: 'f32x4', scalar: f32, lanes: 4 }, { name: 'f64x2', scalar: f64, lanes: 2 },
];
SHAPES.forEach((s, i) => add(simd(15 + i), `${s.name}.splat`, 'none', [s.scalar], [v128],
  `Copy a scalar into all ${s.lanes} lanes of an ${s.name} vector.`));

function extract(n: number, shapeIndex: number, suffix: string, doc: string): void {
  const s = SHAPES[shapeIndex]!;
  add(simd(n), `${s.name}.extract_lane${suffix}`, 'lane', [v128], [s.scalar], doc, { lanes: s.lanes });
}
function replace(n: number, shapeIndex: number): void {
  const s = SHAPES[shapeIndex]!;
  add(simd(n), `${s.name}.replace_lane`, 'lane', [v128, s.scalar], [v128],
    `Replace one lane of an ${s.name} vector with a scalar.`, { lanes: s.lanes });
}
extract(21, 0, '_s', 'Extract an i8 lane, sign-extended to i32.');
extract(22, 0, '_u', 'Extract an i8 lane, zero-extended to i32.');
replace(23, 0);
extract(24, 1, '_s', 'Extract an i16 lane, sign-extended to i32.');
extract(25, 1, '_u', 'Extract an i16 lane, zero-extended to i32.');
replace(26, 1);
extract(27, 2, '', 'Extract an i32 lane.');
replace(28, 2);
extract(29, 3, '', 'Extract an i64 lane.');
replace(30, 3);
extract(31, 4, '', 'Extract an f32 lane.');
replace(32, 4);
extract(33, 5, '', 'Extract an f64 lane.');
replace(34, 5);

const vv_v: [ValType[], ValType[]] = [[v128, v128], [v128]];
const v_v: [ValType[], ValType[]] = [[v128], [v128]];
family(35, 'i8x16', intCmp, ...vv_v, simd);
family(45, 'i16x8', intCmp, ...vv_v, simd);
family(55, 'i32x4', intCmp, ...vv_v, simd);
family(65, 'f32x4', floatCmp, ...vv_v, simd);
family(71, 'f64x2', floatCmp, ...vv_v, simd);

add(simd(77), 'v128.not', 'none', ...v_v, 'Bitwise not of a vector.');
add(simd(78), 'v128.and', 'none', ...vv_v, 'Bitwise and of two vectors.');
add(simd(79), 'v128.andnot', 'none', ...vv_v, 'Bitwise and of the first vector with the not of the second.');
add(simd(80), 'v128.or', 'none', ...vv_v, 'Bitwise or of two vectors.');
add(simd(81), 'v128.xor', 'none', ...vv_v, 'Bitwise exclusive or of two vectors.');
add(simd(82), 'v128.bitselect', 'none', [v128, v128, v128], [v128],
  'Take bits from the first vector where the mask (third) is 1, else from the second.');
add(simd(83), 'v128.any_true', 'none', [v128], [i32], 'Return 1 if any bit of the vector is set, else 0.');

function laneMem(n: number, name: string, bits: number, isStore: boolean): void {
  const align = Math.log2(bits / 8);
  add(simd(n), name, 'memarg_lane', [i32, v128], isStore ? [] : [v128],
    isStore ? `Store one ${bits}-bit lane of a vector to memory.`
      : `Load ${bits} bits from memory into one lane of a vector, keeping the other lanes.`,
    { naturalAlign: align, lanes: 128 / bits });
}
laneMem(84, 'v128.load8_lane', 8, false);
laneMem(85, 'v128.load16_lane', 16, false);
laneMem(86, 'v128.load32_lane', 32, false);
laneMem(87, 'v128.load64_lane', 64, false);
laneMem(88, 'v128.store8_lane', 8, true);
laneMem(89, 'v128.store16_lane', 16, true);
laneMem(90, 'v128.store32_lane', 32, true);
laneMem(91, 'v128.store64_lane', 64, true);
vload(92, 'v128.load32_zero', 2, 'Load 4 bytes into lane 0 and zero the other lanes.');
vload(93, 'v128.load64_zero', 3, 'Load 8 bytes into lane 0 and zero the other lane.');
add(simd(94), 'f32x4.demote_f64x2_zero', 'none', ...v_v, 'Round both f64 lanes to f32 in the low lanes; zero the high lanes.');
add(simd(95), 'f64x2.promote_low_f32x4', 'none', ...v_v, 'Widen the two low f32 lanes to f64.');

// Lane-wise SIMD operations, listed as [subopcode, name, operand count or special shape].
// 'shift' takes a vector and an i32 count; 'test' returns an i32.
type SimdShape = 'unary' | 'binary' | 'shift' | 'test';
function lanewise(n: number, name: string, shape: SimdShape, doc?: string): void {
  const [type, mnemonic] = name.split('.') as [string, string];
  const params = shape === 'unary' || shape === 'test' ? [v128] : shape === 'shift' ? [v128, i32] : [v128, v128];
  const results = shape === 'test' ? [i32] : [v128];
  add(simd(n), name, 'none', params, results, doc ?? `Lane-wise (${type}): ${numericDoc(mnemonic)}`);
}
const narrowDoc = (from: string, to: string, sign: string): string =>
  `Narrow the ${from} lanes of two vectors to ${to} with ${sign === 's' ? 'signed' : 'unsigned'} saturation.`;
const extendDoc = (half: string, from: string, sign: string): string =>
  `${sign === 's' ? 'Sign' : 'Zero'}-extend the ${half} half of the ${from} lanes to double width.`;
const extmulDoc = (half: string, from: string, sign: string): string =>
  `Multiply the ${half} halves of two ${from} vectors ${sign === 's' ? 'signed' : 'unsigned'}, at double width.`;
const extaddDoc = (from: string, sign: string): string =>
  `Add adjacent pairs of ${sign === 's' ? 'signed' : 'unsigned'} ${from} lanes, at double width.`;

lanewise(96, 'i8x16.abs', 'unary');
lanewise(97, 'i8x16.neg', 'unary');
lanewise(98, 'i8x16.popcnt', 'unary');
lanewise(99, 'i8x16.all_true', 'test');
lanewise(100, 'i8x16.bitmask', 'test');
lanewise(101, 'i8x16.narrow_i16x8_s', 'binary', narrowDoc('i16', 'i8', 's'));
lanewise(102, 'i8x16.narrow_i16x8_u', 'binary', narrowDoc('i16', 'i8', 'u'));
lanewise(103, 'f32x4.ceil', 'unary');
lanewise(104, 'f32x4.floor', 'unary');
lanewise(105, 'f32x4.trunc', 'unary');
lanewise(106, 'f32x4.nearest', 'unary');
lanewise(107, 'i8x16.shl', 'shift');
lanewise(108, 'i8x16.shr_s', 'shift');
lanewise(109, 'i8x16.shr_u', 'shift');
lanewise(110, 'i8x16.add', 'binary');
lanewise(111, 'i8x16.add_sat_s', 'binary');
lanewise(112, 'i8x16.add_sat_u', 'binary');
lanewise(113, 'i8x16.sub', 'binary');
lanewise(114, 'i8x16.sub_sat_s', 'binary');
lanewise(115, 'i8x16.sub_sat_u', 'binary');
lanewise(116, 'f64x2.ceil', 'unary');
lanewise(117, 'f64x2.floor', 'unary');
lanewise(118, 'i8x16.min_s', 'binary');
lanewise(119, 'i8x16.min_u', 'binary');
lanewise(120, 'i8x16.max_s', 'binary');
lanewise(121, 'i8x16.max_u', 'binary');
lanewise(122, 'f64x2.trunc', 'unary');
lanewise(123, 'i8x16.avgr_u', 'binary');
lanewise(124, 'i16x8.extadd_pairwise_i8x16_s', 'unary', extaddDoc('i8', 's'));
lanewise(125, 'i16x8.extadd_pairwise_i8x16_u', 'unary', extaddDoc('i8', 'u'));
lanewise(126, 'i32x4.extadd_pairwise_i16x8_s', 'unary', extaddDoc('i16', 's'));
lanewise(127, 'i32x4.extadd_pairwise_i16x8_u', 'unary', extaddDoc('i16', 'u'));
lanewise(128, 'i16x8.abs', 'unary');
lanewise(129, 'i16x8.neg', 'unary');
lanewise(130, 'i16x8.q15mulr_sat_s', 'binary');
lanewise(131, 'i16x8.all_true', 'test');
lanewise(132, 'i16x8.bitmask', 'test');
lanewise(133, 'i16x8.narrow_i32x4_s', 'binary', narrowDoc('i32', 'i16', 's'));
lanewise(134, 'i16x8.narrow_i32x4_u', 'binary', narrowDoc('i32', 'i16', 'u'));
lanewise(135, 'i16x8.extend_low_i8x16_s', 'unary', extendDoc('low', 'i8', 's'));
lanewise(136, 'i16x8.extend_high_i8x16_s', 'unary', extendDoc('high', 'i8', 's'));
lanewise(137, 'i16x8.extend_low_i8x16_u', 'unary', extendDoc('low', 'i8', 'u'));
lanewise(138, 'i16x8.extend_high_i8x16_u', 'unary', extendDoc('high', 'i8', 'u'));
lanewise(139, 'i16x8.shl', 'shift');
lanewise(140, 'i16x8.shr_s', 'shift');
lanewise(141, 'i16x8.shr_u', 'shift');
lanewise(142, 'i16x8.add', 'binary');
lanewise(143, 'i16x8.add_sat_s', 'binary');
lanewise(144, 'i16x8.add_sat_u', 'binary');
lanewise(145, 'i16x8.sub', 'binary');
lanewise(146, 'i16x8.sub_sat_s', 'binary');
lanewise(147, 'i16x8.sub_sat_u', 'binary');
lanewise(148, 'f64x2.nearest', 'unary');
lanewise(149, 'i16x8.mul', 'binary');
lanewise(150, 'i16x8.min_s', 'binary');
lanewise(151, 'i16x8.min_u', 'binary');
lanewise(152, 'i16x8.max_s', 'binary');
lanewise(153, 'i16x8.max_u', 'binary');
lanewise(155, 'i16x8.avgr_u', 'binary');
lanewise(156, 'i16x8.extmul_low_i8x16_s', 'binary', extmulDoc('low', 'i8x16', 's'));
lanewise(157, 'i16x8.extmul_high_i8x16_s', 'binary', extmulDoc('high', 'i8x16', 's'));
lanewise(158, 'i16x8.extmul_low_i8x16_u', 'binary', extmulDoc('low', 'i8x16', 'u'));
lanewise(159, 'i16x8.extmul_high_i8x16_u', 'binary', extmulDoc('high', 'i8x16', 'u'));
lanewise(160, 'i32x4.abs', 'unary');
lanewise(161, 'i32x4.neg', 'unary');
lanewise(163, 'i32x4.all_true', 'test');
lanewise(164, 'i32x4.bitmask', 'test');
lanewise(167, 'i32x4.extend_low_i16x8_s', 'unary', extendDoc('low', 'i16', 's'));
lanewise(168, 'i32x4.extend_high_i16x8_s', 'unary', extendDoc('high', 'i16', 's'));
lanewise(169, 'i32x4.extend_low_i16x8_u', 'unary', extendDoc('low', 'i16', 'u'));
lanewise(170, 'i32x4.extend_high_i16x8_u', 'unary', extendDoc('high', 'i16', 'u'));
lanewise(171, 'i32x4.shl', 'shift');
lanewise(172, 'i32x4.shr_s', 'shift');
lanewise(173, 'i32x4.shr_u', 'shift');
lanewise(174, 'i32x4.add', 'binary');
lanewise(177, 'i32x4.sub', 'binary');
lanewise(181, 'i32x4.mul', 'binary');
lanewise(182, 'i32x4.min_s', 'binary');
lanewise(183, 'i32x4.min_u', 'binary');
lanewise(184, 'i32x4.max_s', 'binary');
lanewise(185, 'i32x4.max_u', 'binary');
lanewise(186, 'i32x4.dot_i16x8_s', 'binary', 'Multiply signed i16 lanes and add adjacent pairs of products into i32 lanes.');
lanewise(188, 'i32x4.extmul_low_i16x8_s', 'binary', extmulDoc('low', 'i16x8', 's'));
lanewise(189, 'i32x4.extmul_high_i16x8_s', 'binary', extmulDoc('high', 'i16x8', 's'));
lanewise(190, 'i32x4.extmul_low_i16x8_u', 'binary', extmulDoc('low', 'i16x8', 'u'));
lanewise(191, 'i32x4.extmul_high_i16x8_u', 'binary', extmulDoc('high', 'i16x8', 'u'));
lanewise(192, 'i64x2.abs', 'unary');
lanewise(193, 'i64x2.neg', 'unary');
lanewise(195, 'i64x2.all_true', 'test');
lanewise(196, 'i64x2.bitmask', 'test');
lanewise(199, 'i64x2.extend_low_i32x4_s', 'unary', extendDoc('low', 'i32', 's'));
lanewise(200, 'i64x2.extend_high_i32x4_s', 'unary', extendDoc('high', 'i32', 's'));
lanewise(201, 'i64x2.extend_low_i32x4_u', 'unary', extendDoc('low', 'i32', 'u'));
lanewise(202, 'i64x2.extend_high_i32x4_u', 'unary', extendDoc('high', 'i32', 'u'));
lanewise(203, 'i64x2.shl', 'shift');
lanewise(204, 'i64x2.shr_s', 'shift');
lanewise(205, 'i64x2.shr_u', 'shift');
lanewise(206, 'i64x2.add', 'binary');
lanewise(209, 'i64x2.sub', 'binary');
lanewise(213, 'i64x2.mul', 'binary');
lanewise(214, 'i64x2.eq', 'binary');
lanewise(215, 'i64x2.ne', 'binary');
lanewise(216, 'i64x2.lt_s', 'binary');
lanewise(217, 'i64x2.gt_s', 'binary');
lanewise(218, 'i64x2.le_s', 'binary');
lanewise(219, 'i64x2.ge_s', 'binary');
lanewise(220, 'i64x2.extmul_low_i32x4_s', 'binary', extmulDoc('low', 'i32x4', 's'));
lanewise(221, 'i64x2.extmul_high_i32x4_s', 'binary', extmulDoc('high', 'i32x4', 's'));
lanewise(222, 'i64x2.extmul_low_i32x4_u', 'binary', extmulDoc('low', 'i32x4', 'u'));
lanewise(223, 'i64x2.extmul_high_i32x4_u', 'binary', extmulDoc('high', 'i32x4', 'u'));
lanewise(224, 'f32x4.abs', 'unary');
lanewise(225, 'f32x4.neg', 'unary');
lanewise(227, 'f32x4.sqrt', 'unary');
lanewise(228, 'f32x4.add', 'binary');
lanewise(229, 'f32x4.sub', 'binary');
lanewise(230, 'f32x4.mul', 'binary');
lanewise(231, 'f32x4.div', 'binary');
lanewise(232, 'f32x4.min', 'binary');
lanewise(233, 'f32x4.max', 'binary');
lanewise(234, 'f32x4.pmin', 'binary');
lanewise(235, 'f32x4.pmax', 'binary');
lanewise(236, 'f64x2.abs', 'unary');
lanewise(237, 'f64x2.neg', 'unary');
lanewise(239, 'f64x2.sqrt', 'unary');
lanewise(240, 'f64x2.add', 'binary');
lanewise(241, 'f64x2.sub', 'binary');
lanewise(242, 'f64x2.mul', 'binary');
lanewise(243, 'f64x2.div', 'binary');
lanewise(244, 'f64x2.min', 'binary');
lanewise(245, 'f64x2.max', 'binary');
lanewise(246, 'f64x2.pmin', 'binary');
lanewise(247, 'f64x2.pmax', 'binary');
lanewise(248, 'i32x4.trunc_sat_f32x4_s', 'unary', 'Truncate f32 lanes to signed i32 lanes, saturating.');
lanewise(249, 'i32x4.trunc_sat_f32x4_u', 'unary', 'Truncate f32 lanes to unsigned i32 lanes, saturating.');
lanewise(250, 'f32x4.convert_i32x4_s', 'unary', 'Convert signed i32 lanes to f32.');
lanewise(251, 'f32x4.convert_i32x4_u', 'unary', 'Convert unsigned i32 lanes to f32.');
lanewise(252, 'i32x4.trunc_sat_f64x2_s_zero', 'unary',
  'Truncate both f64 lanes to signed i32 in the low lanes, saturating; zero the high lanes.');
lanewise(253, 'i32x4.trunc_sat_f64x2_u_zero', 'unary',
  'Truncate both f64 lanes to unsigned i32 in the low lanes, saturating; zero the high lanes.');
lanewise(254, 'f64x2.convert_low_i32x4_s', 'unary', 'Convert the two low signed i32 lanes to f64.');
lanewise(255, 'f64x2.convert_low_i32x4_u', 'unary', 'Convert the two low unsigned i32 lanes to f64.');

export const OPS: readonly OpInfo[] = ops;

// Dense lookup: plain and 0xFC codes fit below 0xFD00; SIMD codes go up to 0xFDFF.
const byCode: (OpInfo | undefined)[] = new Array<OpInfo | undefined>(0xfe00).fill(undefined);
const byName = new Map<string, OpInfo>();
for (const op of ops) {
  byCode[op.code] = op;
  // The first entry with a name wins, so 'select' maps to the untyped 0x1B.
  if (!byName.has(op.name)) byName.set(op.name, op);
}

// Immediate kinds as small integers, indexed by opcode, so the loops over every instruction of a
// module (decoding, resolving, assembling) switch on numbers rather than on ImmKind strings.
export const enum Imm {
  Unknown = 0, None, BlockType, Label, BrTable, Func, CallIndirect, Local, Global, Table, MemArg, I32, I64, F32, F64,
  V128, Shuffle, Lane, MemArgLane, RefType, SelectTypes, Memory, Data, Elem, TableInit, TableCopy, MemoryInit,
  MemoryCopy,
}

const IMM_IDS: Record<ImmKind, Imm> = {
  none: Imm.None, blocktype: Imm.BlockType, label: Imm.Label, br_table: Imm.BrTable, func: Imm.Func,
  call_indirect: Imm.CallIndirect, local: Imm.Local, global: Imm.Global, table: Imm.Table, memarg: Imm.MemArg,
  i32: Imm.I32, i64: Imm.I64, f32: Imm.F32, f64: Imm.F64, v128: Imm.V128, shuffle: Imm.Shuffle, lane: Imm.Lane,
  memarg_lane: Imm.MemArgLane, reftype: Imm.RefType, select_types: Imm.SelectTypes, memory: Imm.Memory,
  data: Imm.Data, elem: Imm.Elem, table_init: Imm.TableInit, table_copy: Imm.TableCopy,
  memory_init: Imm.MemoryInit, memory_copy: Imm.MemoryCopy,
};

/** The immediate kind of each opcode (Imm.Unknown for codes that are no instruction). */
export const IMM_BY_CODE = new Uint8Array(0xfe00);
for (const op of ops) IMM_BY_CODE[op.code] = IMM_IDS[op.imm];

export function opByCode(code: number): OpInfo | undefined {
  return code >= 0 && code < byCode.length ? byCode[code] : undefined;
}

export function opByName(name: string): OpInfo | undefined {
  return byName.get(name);
}
