// SIMD lane moves and bitwise operations: splat, extract/replace lane, shuffle, swizzle, the v128
// bitwise group, and the value half of the memory instructions (lane loads/stores, splat loads,
// zero loads, extending loads). None of these computes on floats, so f32/f64 lanes keep their exact
// bits (NaN payloads included) wherever they only move.

import {
  A, B, C, R, checkBigInt, checkLane, checkNumber, clearResult, load, take, type V128,
} from './simd-scratch.js';
import { widener } from './simd-lanewise.js';

// ---- splat -------------------------------------------------------------------------------------

/** i8x16.splat: the low 8 bits of an i32 in every lane. */
export function i8x16_splat(x: number): V128 {
  checkNumber(x, 'i8x16.splat');
  R.u8.fill(x & 0xff);
  return take();
}

export function i16x8_splat(x: number): V128 {
  checkNumber(x, 'i16x8.splat');
  R.u16.fill(x & 0xffff);
  return take();
}

export function i32x4_splat(x: number): V128 {
  checkNumber(x, 'i32x4.splat');
  R.i32.fill(x | 0);
  return take();
}

export function i64x2_splat(x: bigint): V128 {
  checkBigInt(x, 'i64x2.splat');
  R.i64.fill(BigInt.asIntN(64, x));
  return take();
}

/** f32x4.splat of an f32 given as its int32 bit pattern (bits kept exactly). */
export function f32x4_splat(bits: number): V128 {
  checkNumber(bits, 'f32x4.splat');
  R.i32.fill(bits | 0);
  return take();
}

export function f64x2_splat(x: number): V128 {
  checkNumber(x, 'f64x2.splat');
  R.f64.fill(x);
  return take();
}

// ---- extract / replace lane --------------------------------------------------------------------

export function i8x16_extract_lane_s(a: V128, lane: number): number {
  checkLane(lane, 16);
  load(A, a);
  return A.i8[lane];
}

export function i8x16_extract_lane_u(a: V128, lane: number): number {
  checkLane(lane, 16);
  load(A, a);
  return A.u8[lane];
}

export function i16x8_extract_lane_s(a: V128, lane: number): number {
  checkLane(lane, 8);
  load(A, a);
  return A.i16[lane];
}

export function i16x8_extract_lane_u(a: V128, lane: number): number {
  checkLane(lane, 8);
  load(A, a);
  return A.u16[lane];
}

export function i32x4_extract_lane(a: V128, lane: number): number {
  checkLane(lane, 4);
  load(A, a);
  return A.i32[lane];
}

export function i64x2_extract_lane(a: V128, lane: number): bigint {
  checkLane(lane, 2);
  load(A, a);
  return A.i64[lane];
}

/** f32x4.extract_lane: the lane's int32 bit pattern. */
export function f32x4_extract_lane(a: V128, lane: number): number {
  checkLane(lane, 4);
  load(A, a);
  return A.i32[lane];
}

export function f64x2_extract_lane(a: V128, lane: number): number {
  checkLane(lane, 2);
  load(A, a);
  return A.f64[lane];
}

export function i8x16_replace_lane(a: V128, x: number, lane: number): V128 {
  checkLane(lane, 16);
  checkNumber(x, 'i8x16.replace_lane');
  load(R, a);
  R.u8[lane] = x & 0xff;
  return take();
}

export function i16x8_replace_lane(a: V128, x: number, lane: number): V128 {
  checkLane(lane, 8);
  checkNumber(x, 'i16x8.replace_lane');
  load(R, a);
  R.u16[lane] = x & 0xffff;
  return take();
}

export function i32x4_replace_lane(a: V128, x: number, lane: number): V128 {
  checkLane(lane, 4);
  checkNumber(x, 'i32x4.replace_lane');
  load(R, a);
  R.i32[lane] = x | 0;
  return take();
}

export function i64x2_replace_lane(a: V128, x: bigint, lane: number): V128 {
  checkLane(lane, 2);
  checkBigInt(x, 'i64x2.replace_lane');
  load(R, a);
  R.i64[lane] = BigInt.asIntN(64, x);
  return take();
}

/** f32x4.replace_lane with the f32 given as its int32 bit pattern. */
export function f32x4_replace_lane(a: V128, bits: number, lane: number): V128 {
  checkLane(lane, 4);
  checkNumber(bits, 'f32x4.replace_lane');
  load(R, a);
  R.i32[lane] = bits | 0;
  return take();
}

export function f64x2_replace_lane(a: V128, x: number, lane: number): V128 {
  checkLane(lane, 2);
  checkNumber(x, 'f64x2.replace_lane');
  load(R, a);
  R.f64[lane] = x;
  return take();
}

// ---- shuffle / swizzle -------------------------------------------------------------------------

/** i8x16.shuffle: result byte i is byte lanes[i] of the 32-byte concatenation a ‖ b. */
export function i8x16_shuffle(a: V128, b: V128, lanes: Uint8Array): V128 {
  if (!(lanes instanceof Uint8Array) || lanes.length !== 16) {
    throw new TypeError('i8x16.shuffle expects 16 lane indices as a Uint8Array');
  }
  load(A, a);
  load(B, b);
  for (let i = 0; i < 16; i++) {
    const l = lanes[i];
    if (l >= 32) throw new RangeError(`i8x16.shuffle lane index ${l} out of range 0..31`);
    R.u8[i] = l < 16 ? A.u8[l] : B.u8[l - 16];
  }
  return take();
}

/** i8x16.swizzle: byte i is a[s[i]], or 0 when the index is 16 or more. */
export function i8x16_swizzle(a: V128, s: V128): V128 {
  load(A, a);
  load(B, s);
  for (let i = 0; i < 16; i++) {
    const l = B.u8[i];
    R.u8[i] = l < 16 ? A.u8[l] : 0;
  }
  return take();
}

// ---- bitwise -----------------------------------------------------------------------------------

export function v128_not(a: V128): V128 {
  load(A, a);
  for (let i = 0; i < 4; i++) R.i32[i] = ~A.i32[i];
  return take();
}

export function v128_and(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 4; i++) R.i32[i] = A.i32[i] & B.i32[i];
  return take();
}

/** v128.andnot: a & ~b. */
export function v128_andnot(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 4; i++) R.i32[i] = A.i32[i] & ~B.i32[i];
  return take();
}

export function v128_or(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 4; i++) R.i32[i] = A.i32[i] | B.i32[i];
  return take();
}

export function v128_xor(a: V128, b: V128): V128 {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 4; i++) R.i32[i] = A.i32[i] ^ B.i32[i];
  return take();
}

/** v128.bitselect: bits of a where the mask c is 1, bits of b where it is 0. */
export function v128_bitselect(a: V128, b: V128, c: V128): V128 {
  load(A, a);
  load(B, b);
  load(C, c);
  for (let i = 0; i < 4; i++) R.i32[i] = (A.i32[i] & C.i32[i]) | (B.i32[i] & ~C.i32[i]);
  return take();
}

/** v128.any_true: 1 if any bit is set. */
export function v128_any_true(a: V128): number {
  load(A, a);
  return (A.i32[0] | A.i32[1] | A.i32[2] | A.i32[3]) !== 0 ? 1 : 0;
}

// ---- the value half of memory instructions -----------------------------------------------------
// The engine does the address computation and bounds check, loads the scalar (or the bytes), and
// passes it here; stores get the scalar to write back.

/** v128.load8_lane: `vec` with lane `lane` replaced by the loaded byte (low 8 bits of `byte`). */
export const v128_load8_lane: (vec: V128, byte: number, lane: number) => V128 = i8x16_replace_lane;
export const v128_load16_lane: (vec: V128, value: number, lane: number) => V128 = i16x8_replace_lane;
export const v128_load32_lane: (vec: V128, value: number, lane: number) => V128 = i32x4_replace_lane;
export const v128_load64_lane: (vec: V128, value: bigint, lane: number) => V128 = i64x2_replace_lane;

/** v128.store8_lane: the byte to store (0..255). */
export const v128_store8_lane: (vec: V128, lane: number) => number = i8x16_extract_lane_u;
/** v128.store16_lane: the 16-bit value to store (0..65535). */
export const v128_store16_lane: (vec: V128, lane: number) => number = i16x8_extract_lane_u;
/** v128.store32_lane: the i32 to store. */
export const v128_store32_lane: (vec: V128, lane: number) => number = i32x4_extract_lane;
/** v128.store64_lane: the i64 to store. */
export const v128_store64_lane: (vec: V128, lane: number) => bigint = i64x2_extract_lane;

/** v128.loadN_splat: the loaded scalar (as i32, or i64 bigint for 64) in every lane. */
export const v128_load8_splat: (value: number) => V128 = i8x16_splat;
export const v128_load16_splat: (value: number) => V128 = i16x8_splat;
export const v128_load32_splat: (value: number) => V128 = i32x4_splat;
export const v128_load64_splat: (value: bigint) => V128 = i64x2_splat;

/** v128.load32_zero: the loaded i32 in lane 0, other lanes zero. */
export function v128_load32_zero(value: number): V128 {
  checkNumber(value, 'v128.load32_zero');
  clearResult();
  R.i32[0] = value | 0;
  return take();
}

/** v128.load64_zero: the loaded i64 in lane 0, lane 1 zero. */
export function v128_load64_zero(value: bigint): V128 {
  checkBigInt(value, 'v128.load64_zero');
  clearResult();
  R.i64[0] = BigInt.asIntN(64, value);
  return take();
}

/**
 * Copies the 8 loaded bytes at `bytes[offset..offset+8)` into the A scratch. `bytes` may be the
 * memory itself (no slicing needed) or any V128/Uint8Array holding the bytes.
 */
function loadEightBytes(bytes: Uint8Array, offset: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${what} expects a Uint8Array`);
  if (!Number.isInteger(offset) || offset < 0 || offset + 8 > bytes.length) {
    throw new RangeError(`${what}: bytes ${String(offset)}..${String(offset)}+8 out of range 0..${bytes.length}`);
  }
  for (let i = 0; i < 8; i++) A.u8[i] = bytes[offset + i];
}

function extendingLoad(src: 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32', what: string) {
  const widen = widener(src);
  return (bytes: Uint8Array, offset = 0): V128 => {
    loadEightBytes(bytes, offset, what);
    widen(0);
    return take();
  };
}

/** v128.load8x8_s etc.: widen the 8 loaded bytes (at `offset` in `bytes`, default 0). */
export const v128_load8x8_s = extendingLoad('i8', 'v128.load8x8_s');
export const v128_load8x8_u = extendingLoad('u8', 'v128.load8x8_u');
export const v128_load16x4_s = extendingLoad('i16', 'v128.load16x4_s');
export const v128_load16x4_u = extendingLoad('u16', 'v128.load16x4_u');
export const v128_load32x2_s = extendingLoad('i32', 'v128.load32x2_s');
export const v128_load32x2_u = extendingLoad('u32', 'v128.load32x2_u');
