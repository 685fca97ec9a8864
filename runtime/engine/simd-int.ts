// SIMD integer arithmetic: i8x16, i16x8, i32x4 and i64x2 lane-wise operations, comparisons, shifts,
// saturation, widening (extend, extmul, extadd_pairwise, dot), narrowing, and the lane reductions
// (all_true, bitmask). Lanes are read through the signed or unsigned view the operation calls for;
// stores into the result views wrap to the lane width, which is exactly Wasm's modular arithmetic.

import { A, B, R, LANE_COUNT, checkNumber, load, take, type NumLane, type V128 } from './simd-scratch.js';
import {
  binary, binary64, compare, compare64, instantiate, shift, unary, unary64, widener,
  type Binary, type Shift, type Unary,
} from './simd-lanewise.js';

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

function popcount8(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}

// ---- builders specific to integer lanes (instantiated per instruction: see simd-lanewise.ts) ----

const SCRATCH = { A, B, R, load, take };

const ALL_TRUE_LOOP = `return function (a) {
  load(A, a);
  const x = A[lane];
  for (let i = 0; i < n; i++) if (x[i] === 0) return 0;
  return 1;
};`;

function allTrue(lane: NumLane): (a: V128) => number {
  return instantiate(ALL_TRUE_LOOP, { ...SCRATCH, lane, n: LANE_COUNT[lane] });
}

const BITMASK_LOOP = `return function (a) {
  load(A, a);
  const x = A[lane];
  let m = 0;
  for (let i = 0; i < n; i++) if (x[i] < 0) m |= 1 << i;
  return m;
};`;

function bitmask(lane: NumLane): (a: V128) => number {
  return instantiate(BITMASK_LOOP, { ...SCRATCH, lane, n: LANE_COUNT[lane] });
}

/** *.extend_low/high: widen the low or high half of the lanes. */
function extend(src: NumLane, high: boolean): Unary {
  const widen = widener(src);
  const first = high ? LANE_COUNT[src] / 2 : 0;
  return (a) => {
    load(A, a);
    widen(first);
    return take();
  };
}

const NARROW_LOOP = `return function (a, b) {
  load(A, a);
  load(B, b);
  const x = A[src], y = B[src], r = R[dst];
  for (let i = 0; i < n; i++) {
    const u = x[i], v = y[i];
    r[i] = u < lo ? lo : u > hi ? hi : u;
    r[n + i] = v < lo ? lo : v > hi ? hi : v;
  }
  return take();
};`;

/** *.narrow_*: saturate the wider lanes of a then b into half-width lanes. */
function narrow(src: 'i16' | 'i32', dst: 'i8' | 'u8' | 'i16' | 'u16', lo: number, hi: number): Binary {
  return instantiate(NARROW_LOOP, { ...SCRATCH, src, dst, lo, hi, n: LANE_COUNT[src] });
}

const EXTMUL_LOOP = `return function (a, b) {
  load(A, a);
  load(B, b);
  const x = A[src], y = B[src], r = R[dst];
  for (let i = 0; i < n; i++) r[i] = x[first + i] * y[first + i];
  return take();
};`;

/** *.extmul_low/high: widen the half of a and b and multiply (exact: products fit the wide lane). */
function extmul(src: NumLane, dst: NumLane, high: boolean): Binary {
  const n = LANE_COUNT[src] / 2;
  return instantiate(EXTMUL_LOOP, { ...SCRATCH, src, dst, n, first: high ? n : 0 });
}

const EXTMUL64_LOOP = `return function (a, b) {
  load(A, a);
  load(B, b);
  const x = A[src], y = B[src];
  for (let i = 0; i < 2; i++) R.u64[i] = BigInt.asUintN(64, BigInt(x[first + i]) * BigInt(y[first + i]));
  return take();
};`;

/** i64x2.extmul_*_i32x4_*: 32×32→64 products need bigint to stay exact. */
function extmul64(signed: boolean, high: boolean): Binary {
  return instantiate(EXTMUL64_LOOP, { ...SCRATCH, src: signed ? 'i32' : 'u32', first: high ? 2 : 0 });
}

const EXTADD_LOOP = `return function (a) {
  load(A, a);
  const x = A[src], r = R[dst];
  for (let i = 0; i < n; i++) r[i] = x[2 * i] + x[2 * i + 1];
  return take();
};`;

/** *.extadd_pairwise: sum adjacent lane pairs into one wider lane. */
function extaddPairwise(src: NumLane, dst: NumLane): Unary {
  return instantiate(EXTADD_LOOP, { ...SCRATCH, src, dst, n: LANE_COUNT[src] / 2 });
}

const SHIFT64_LOOP = `return function (a, count) {
  checkNumber(count, 'shift');
  load(A, a);
  const c = BigInt(count & 63);
  const x = unsigned ? A.u64 : A.i64;
  for (let i = 0; i < 2; i++) R.i64[i] = f(x[i], c);
  return take();
};`;

function shift64(f: (x: bigint, count: bigint) => bigint, unsigned = false): Shift {
  return instantiate(SHIFT64_LOOP, { ...SCRATCH, checkNumber, f, unsigned });
}

// ---- i8x16 -------------------------------------------------------------------------------------

export const i8x16_abs = unary('i8', 'i8', (x) => (x < 0 ? -x : x));
export const i8x16_neg = unary('i8', 'i8', (x) => -x);
export const i8x16_popcnt = unary('u8', 'u8', popcount8);
export const i8x16_all_true = allTrue('u8');
export const i8x16_bitmask = bitmask('i8');
export const i8x16_narrow_i16x8_s = narrow('i16', 'i8', -0x80, 0x7f);
export const i8x16_narrow_i16x8_u = narrow('i16', 'u8', 0, 0xff);
export const i8x16_shl = shift('i8', (x, c) => x << c);
export const i8x16_shr_s = shift('i8', (x, c) => x >> c);
export const i8x16_shr_u = shift('u8', (x, c) => x >>> c);
export const i8x16_add = binary('i8', 'i8', (x, y) => x + y);
export const i8x16_add_sat_s = binary('i8', 'i8', (x, y) => clamp(x + y, -0x80, 0x7f));
export const i8x16_add_sat_u = binary('u8', 'u8', (x, y) => clamp(x + y, 0, 0xff));
export const i8x16_sub = binary('i8', 'i8', (x, y) => x - y);
export const i8x16_sub_sat_s = binary('i8', 'i8', (x, y) => clamp(x - y, -0x80, 0x7f));
export const i8x16_sub_sat_u = binary('u8', 'u8', (x, y) => clamp(x - y, 0, 0xff));
export const i8x16_min_s = binary('i8', 'i8', Math.min);
export const i8x16_min_u = binary('u8', 'u8', Math.min);
export const i8x16_max_s = binary('i8', 'i8', Math.max);
export const i8x16_max_u = binary('u8', 'u8', Math.max);
export const i8x16_avgr_u = binary('u8', 'u8', (x, y) => (x + y + 1) >>> 1);

export const i8x16_eq = compare('i8', (x, y) => x === y);
export const i8x16_ne = compare('i8', (x, y) => x !== y);
export const i8x16_lt_s = compare('i8', (x, y) => x < y);
export const i8x16_lt_u = compare('u8', (x, y) => x < y);
export const i8x16_gt_s = compare('i8', (x, y) => x > y);
export const i8x16_gt_u = compare('u8', (x, y) => x > y);
export const i8x16_le_s = compare('i8', (x, y) => x <= y);
export const i8x16_le_u = compare('u8', (x, y) => x <= y);
export const i8x16_ge_s = compare('i8', (x, y) => x >= y);
export const i8x16_ge_u = compare('u8', (x, y) => x >= y);

// ---- i16x8 -------------------------------------------------------------------------------------

export const i16x8_abs = unary('i16', 'i16', (x) => (x < 0 ? -x : x));
export const i16x8_neg = unary('i16', 'i16', (x) => -x);
/** Q15 rounding multiply: (x*y + 2^14) >> 15, saturated (only -32768 * -32768 overflows). */
export const i16x8_q15mulr_sat_s = binary('i16', 'i16', (x, y) => Math.min((x * y + 0x4000) >> 15, 0x7fff));
export const i16x8_all_true = allTrue('u16');
export const i16x8_bitmask = bitmask('i16');
export const i16x8_narrow_i32x4_s = narrow('i32', 'i16', -0x8000, 0x7fff);
export const i16x8_narrow_i32x4_u = narrow('i32', 'u16', 0, 0xffff);
export const i16x8_extend_low_i8x16_s = extend('i8', false);
export const i16x8_extend_high_i8x16_s = extend('i8', true);
export const i16x8_extend_low_i8x16_u = extend('u8', false);
export const i16x8_extend_high_i8x16_u = extend('u8', true);
export const i16x8_shl = shift('i16', (x, c) => x << c);
export const i16x8_shr_s = shift('i16', (x, c) => x >> c);
export const i16x8_shr_u = shift('u16', (x, c) => x >>> c);
export const i16x8_add = binary('i16', 'i16', (x, y) => x + y);
export const i16x8_add_sat_s = binary('i16', 'i16', (x, y) => clamp(x + y, -0x8000, 0x7fff));
export const i16x8_add_sat_u = binary('u16', 'u16', (x, y) => clamp(x + y, 0, 0xffff));
export const i16x8_sub = binary('i16', 'i16', (x, y) => x - y);
export const i16x8_sub_sat_s = binary('i16', 'i16', (x, y) => clamp(x - y, -0x8000, 0x7fff));
export const i16x8_sub_sat_u = binary('u16', 'u16', (x, y) => clamp(x - y, 0, 0xffff));
export const i16x8_mul = binary('i16', 'i16', (x, y) => x * y);
export const i16x8_min_s = binary('i16', 'i16', Math.min);
export const i16x8_min_u = binary('u16', 'u16', Math.min);
export const i16x8_max_s = binary('i16', 'i16', Math.max);
export const i16x8_max_u = binary('u16', 'u16', Math.max);
export const i16x8_avgr_u = binary('u16', 'u16', (x, y) => (x + y + 1) >>> 1);
export const i16x8_extmul_low_i8x16_s = extmul('i8', 'i16', false);
export const i16x8_extmul_high_i8x16_s = extmul('i8', 'i16', true);
export const i16x8_extmul_low_i8x16_u = extmul('u8', 'u16', false);
export const i16x8_extmul_high_i8x16_u = extmul('u8', 'u16', true);
export const i16x8_extadd_pairwise_i8x16_s = extaddPairwise('i8', 'i16');
export const i16x8_extadd_pairwise_i8x16_u = extaddPairwise('u8', 'u16');

export const i16x8_eq = compare('i16', (x, y) => x === y);
export const i16x8_ne = compare('i16', (x, y) => x !== y);
export const i16x8_lt_s = compare('i16', (x, y) => x < y);
export const i16x8_lt_u = compare('u16', (x, y) => x < y);
export const i16x8_gt_s = compare('i16', (x, y) => x > y);
export const i16x8_gt_u = compare('u16', (x, y) => x > y);
export const i16x8_le_s = compare('i16', (x, y) => x <= y);
export const i16x8_le_u = compare('u16', (x, y) => x <= y);
export const i16x8_ge_s = compare('i16', (x, y) => x >= y);
export const i16x8_ge_u = compare('u16', (x, y) => x >= y);

// ---- i32x4 -------------------------------------------------------------------------------------

export const i32x4_abs = unary('i32', 'i32', (x) => (x < 0 ? -x : x));
export const i32x4_neg = unary('i32', 'i32', (x) => -x);
export const i32x4_all_true = allTrue('u32');
export const i32x4_bitmask = bitmask('i32');
export const i32x4_extend_low_i16x8_s = extend('i16', false);
export const i32x4_extend_high_i16x8_s = extend('i16', true);
export const i32x4_extend_low_i16x8_u = extend('u16', false);
export const i32x4_extend_high_i16x8_u = extend('u16', true);
export const i32x4_shl = shift('i32', (x, c) => x << c);
export const i32x4_shr_s = shift('i32', (x, c) => x >> c);
export const i32x4_shr_u = shift('u32', (x, c) => x >>> c);
export const i32x4_add = binary('i32', 'i32', (x, y) => x + y);
export const i32x4_sub = binary('i32', 'i32', (x, y) => x - y);
export const i32x4_mul = binary('i32', 'i32', Math.imul);
export const i32x4_min_s = binary('i32', 'i32', Math.min);
export const i32x4_min_u = binary('u32', 'u32', Math.min);
export const i32x4_max_s = binary('i32', 'i32', Math.max);
export const i32x4_max_u = binary('u32', 'u32', Math.max);
/** Sum of the two adjacent i16 products; wraps only for four -32768 lanes, as Wasm specifies. */
export function i32x4_dot_i16x8_s(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 4; i++) {
    R.i32[i] = A.i16[2 * i] * B.i16[2 * i] + A.i16[2 * i + 1] * B.i16[2 * i + 1];
  }
  return take();
}
export const i32x4_extmul_low_i16x8_s = extmul('i16', 'i32', false);
export const i32x4_extmul_high_i16x8_s = extmul('i16', 'i32', true);
export const i32x4_extmul_low_i16x8_u = extmul('u16', 'u32', false);
export const i32x4_extmul_high_i16x8_u = extmul('u16', 'u32', true);
export const i32x4_extadd_pairwise_i16x8_s = extaddPairwise('i16', 'i32');
export const i32x4_extadd_pairwise_i16x8_u = extaddPairwise('u16', 'u32');

export const i32x4_eq = compare('i32', (x, y) => x === y);
export const i32x4_ne = compare('i32', (x, y) => x !== y);
export const i32x4_lt_s = compare('i32', (x, y) => x < y);
export const i32x4_lt_u = compare('u32', (x, y) => x < y);
export const i32x4_gt_s = compare('i32', (x, y) => x > y);
export const i32x4_gt_u = compare('u32', (x, y) => x > y);
export const i32x4_le_s = compare('i32', (x, y) => x <= y);
export const i32x4_le_u = compare('u32', (x, y) => x <= y);
export const i32x4_ge_s = compare('i32', (x, y) => x >= y);
export const i32x4_ge_u = compare('u32', (x, y) => x >= y);

// ---- i64x2 -------------------------------------------------------------------------------------

export const i64x2_abs = unary64((x) => (x < 0n ? -x : x));
export const i64x2_neg = unary64((x) => -x);
export function i64x2_all_true(a: V128): number {
  load(A, a);
  return (A.i32[0] | A.i32[1]) !== 0 && (A.i32[2] | A.i32[3]) !== 0 ? 1 : 0;
}
export function i64x2_bitmask(a: V128): number {
  load(A, a);
  return (A.i32[1] < 0 ? 1 : 0) | (A.i32[3] < 0 ? 2 : 0);
}
export const i64x2_extend_low_i32x4_s = extend('i32', false);
export const i64x2_extend_high_i32x4_s = extend('i32', true);
export const i64x2_extend_low_i32x4_u = extend('u32', false);
export const i64x2_extend_high_i32x4_u = extend('u32', true);
export const i64x2_shl = shift64((x, c) => x << c);
export const i64x2_shr_s = shift64((x, c) => x >> c);
export const i64x2_shr_u = shift64((x, c) => x >> c, true);
export const i64x2_add = binary64((x, y) => x + y);
export const i64x2_sub = binary64((x, y) => x - y);
export const i64x2_mul = binary64((x, y) => x * y);
export const i64x2_extmul_low_i32x4_s = extmul64(true, false);
export const i64x2_extmul_high_i32x4_s = extmul64(true, true);
export const i64x2_extmul_low_i32x4_u = extmul64(false, false);
export const i64x2_extmul_high_i32x4_u = extmul64(false, true);

export const i64x2_eq = compare64((x, y) => x === y);
export const i64x2_ne = compare64((x, y) => x !== y);
export const i64x2_lt_s = compare64((x, y) => x < y);
export const i64x2_gt_s = compare64((x, y) => x > y);
export const i64x2_le_s = compare64((x, y) => x <= y);
export const i64x2_ge_s = compare64((x, y) => x >= y);
