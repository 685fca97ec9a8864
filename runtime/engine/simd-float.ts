// SIMD floating-point operations: f32x4 and f64x2 arithmetic, min/max, pseudo-min/max, rounding,
// comparisons, and the conversions between float and integer lanes.
//
// f32 lanes are computed in doubles and rounded once by the Float32Array store; for +, -, *, / and
// sqrt of f32 operands that double rounding is provably the correctly rounded f32 result (53 ≥ 2·24+2).
// Arithmetic NaN results are written as the canonical NaN (see canonicalizeF32). Operations that
// only move or flip bits (abs, neg, pmin, pmax) work on the raw bits so NaN payloads survive.

import { A, B, R, canonicalizeF32, canonicalizeF64, clearResult, load, take, type V128 } from './simd-scratch.js';
import { binaryF32, binaryF64, compare, unaryF32, unaryF64, type Binary, type Unary } from './simd-lanewise.js';

const TWO_POW_31 = 2147483648;
const TWO_POW_32 = 4294967296;

/** Round half to even. Math.round rounds ties up, so step back one where it landed on an odd tie. */
function nearest(x: number): number {
  const r = Math.round(x);
  // For |x| ≥ 2^52 every double is an integer and r === x, so r - x is exact whenever it can be 0.5.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function truncSatS32(x: number): number {
  if (x !== x) return 0;
  if (x <= -TWO_POW_31) return -TWO_POW_31;
  if (x >= TWO_POW_31) return TWO_POW_31 - 1;
  return Math.trunc(x) | 0;
}

function truncSatU32(x: number): number {
  if (!(x > -1)) return 0; // NaN and everything that truncates below zero
  if (x >= TWO_POW_32) return TWO_POW_32 - 1;
  return Math.trunc(x) >>> 0;
}

// ---- bit-level: abs, neg, pmin, pmax ------------------------------------------------------------

export function f32x4_abs(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 4; i++) R.u32[i] = A.u32[i] & 0x7fffffff;
  return take();
}

export function f32x4_neg(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 4; i++) R.u32[i] = A.u32[i] ^ 0x80000000;
  return take();
}

export function f64x2_abs(a: V128): V128 {
  load(R, a);
  R.u32[1] &= 0x7fffffff;
  R.u32[3] &= 0x7fffffff;
  return take();
}

export function f64x2_neg(a: V128): V128 {
  load(R, a);
  R.u32[1] ^= 0x80000000;
  R.u32[3] ^= 0x80000000;
  return take();
}

/** f32x4.pmin: b < a ? b : a, choosing the operand's exact bits (so NaNs pass through unchanged). */
export function f32x4_pmin(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 4; i++) R.u32[i] = B.f32[i] < A.f32[i] ? B.u32[i] : A.u32[i];
  return take();
}

/** f32x4.pmax: a < b ? b : a, bits preserved. */
export function f32x4_pmax(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 4; i++) R.u32[i] = A.f32[i] < B.f32[i] ? B.u32[i] : A.u32[i];
  return take();
}

export function f64x2_pmin(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 2; i++) {
    const src = B.f64[i] < A.f64[i] ? B : A;
    R.u32[2 * i] = src.u32[2 * i];
    R.u32[2 * i + 1] = src.u32[2 * i + 1];
  }
  return take();
}

export function f64x2_pmax(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 2; i++) {
    const src = A.f64[i] < B.f64[i] ? B : A;
    R.u32[2 * i] = src.u32[2 * i];
    R.u32[2 * i + 1] = src.u32[2 * i + 1];
  }
  return take();
}

// ---- f32x4 arithmetic --------------------------------------------------------------------------

export const f32x4_sqrt: Unary = unaryF32(Math.sqrt);
export const f32x4_add: Binary = binaryF32((x, y) => x + y);
export const f32x4_sub: Binary = binaryF32((x, y) => x - y);
export const f32x4_mul: Binary = binaryF32((x, y) => x * y);
export const f32x4_div: Binary = binaryF32((x, y) => x / y);
/** Math.min/max already match Wasm: NaN if either is NaN, and -0 below +0. */
export const f32x4_min: Binary = binaryF32(Math.min);
export const f32x4_max: Binary = binaryF32(Math.max);
export const f32x4_ceil: Unary = unaryF32(Math.ceil);
export const f32x4_floor: Unary = unaryF32(Math.floor);
export const f32x4_trunc: Unary = unaryF32(Math.trunc);
export const f32x4_nearest: Unary = unaryF32(nearest);

export const f32x4_eq = compare('f32', (x, y) => x === y);
export const f32x4_ne = compare('f32', (x, y) => x !== y);
export const f32x4_lt = compare('f32', (x, y) => x < y);
export const f32x4_gt = compare('f32', (x, y) => x > y);
export const f32x4_le = compare('f32', (x, y) => x <= y);
export const f32x4_ge = compare('f32', (x, y) => x >= y);

// ---- f64x2 arithmetic --------------------------------------------------------------------------

export const f64x2_sqrt: Unary = unaryF64(Math.sqrt);
export const f64x2_add: Binary = binaryF64((x, y) => x + y);
export const f64x2_sub: Binary = binaryF64((x, y) => x - y);
export const f64x2_mul: Binary = binaryF64((x, y) => x * y);
export const f64x2_div: Binary = binaryF64((x, y) => x / y);
export const f64x2_min: Binary = binaryF64(Math.min);
export const f64x2_max: Binary = binaryF64(Math.max);
export const f64x2_ceil: Unary = unaryF64(Math.ceil);
export const f64x2_floor: Unary = unaryF64(Math.floor);
export const f64x2_trunc: Unary = unaryF64(Math.trunc);
export const f64x2_nearest: Unary = unaryF64(nearest);

export const f64x2_eq = compare('f64', (x, y) => x === y);
export const f64x2_ne = compare('f64', (x, y) => x !== y);
export const f64x2_lt = compare('f64', (x, y) => x < y);
export const f64x2_gt = compare('f64', (x, y) => x > y);
export const f64x2_le = compare('f64', (x, y) => x <= y);
export const f64x2_ge = compare('f64', (x, y) => x >= y);

// ---- conversions -------------------------------------------------------------------------------

export function i32x4_trunc_sat_f32x4_s(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 4; i++) R.i32[i] = truncSatS32(A.f32[i]);
  return take();
}

export function i32x4_trunc_sat_f32x4_u(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 4; i++) R.u32[i] = truncSatU32(A.f32[i]);
  return take();
}

/** The two f64 lanes saturated into i32 lanes 0 and 1; lanes 2 and 3 are zero. */
export function i32x4_trunc_sat_f64x2_s_zero(a: V128): V128 {
  load(A, a);
  clearResult();
  for (let i = 0; i < 2; i++) R.i32[i] = truncSatS32(A.f64[i]);
  return take();
}

export function i32x4_trunc_sat_f64x2_u_zero(a: V128): V128 {
  load(A, a);
  clearResult();
  for (let i = 0; i < 2; i++) R.u32[i] = truncSatU32(A.f64[i]);
  return take();
}

/** i32 → f32 rounds to nearest-even in the Float32Array store (an int32 is exact as a double first). */
export function f32x4_convert_i32x4_s(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 4; i++) R.f32[i] = A.i32[i];
  return take();
}

export function f32x4_convert_i32x4_u(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 4; i++) R.f32[i] = A.u32[i];
  return take();
}

export function f64x2_convert_low_i32x4_s(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 2; i++) R.f64[i] = A.i32[i];
  return take();
}

export function f64x2_convert_low_i32x4_u(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 2; i++) R.f64[i] = A.u32[i];
  return take();
}

/** The two f64 lanes rounded to f32 in lanes 0 and 1; lanes 2 and 3 are zero. */
export function f32x4_demote_f64x2_zero(a: V128): V128 {
  load(A, a);
  clearResult();
  for (let i = 0; i < 2; i++) R.f32[i] = A.f64[i];
  canonicalizeF32();
  return take();
}

export function f64x2_promote_low_f32x4(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 2; i++) R.f64[i] = A.f32[i];
  canonicalizeF64();
  return take();
}
