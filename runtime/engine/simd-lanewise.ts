// Builders for the lane-by-lane SIMD operations: each takes the per-lane computation and returns
// the v128 helper. Typed-array stores do the wrapping (an Int8Array store of 200 keeps -56) and the
// f32 rounding (a Float32Array store rounds to nearest-even, like Math.fround), so the per-lane
// functions compute in plain JS numbers.
//
// Why the loops are instantiated from source: if every instruction shared one closure per builder,
// V8 would see every typed-array kind and every lane function at the same sites and keep them
// megamorphic (measured: i8x16.add ~800 ns per call). Giving each instruction its own copy of the
// loop makes every site monomorphic and lets V8 inline the lane function (~25 ns for the loop).
// The loop sources below are fixed strings; only values (views, lane functions) are passed in.

import {
  A, B, R, LANE_COUNT, canonicalizeF32, canonicalizeF64, checkNumber, load, take,
  type NumLane, type V128,
} from './simd-scratch.js';

export type Unary = (a: V128) => V128;
export type Binary = (a: V128, b: V128) => V128;
export type Shift = (a: V128, count: number) => V128;

let instances = 0;

/**
 * Evaluates `body` (which returns a function) with `env`'s entries as its free variables. The
 * unique trailing comment defeats V8's compilation cache, which would otherwise give every copy of
 * the same source the same shared function info, and so the same (megamorphic) type feedback.
 */
export function instantiate<T>(body: string, env: Record<string, unknown>): T {
  const names = Object.keys(env);
  const factory = new Function(...names, `'use strict';\n${body}\n// instance ${++instances}`) as (...values: unknown[]) => T;
  return factory(...names.map((k) => env[k]));
}

const SCRATCH = { A, B, R, load, take };
const nothing = (): void => {};

const UNARY_LOOP = `return function (a) {
  load(A, a);
  const x = A[inLane], r = R[outLane];
  for (let i = 0; i < n; i++) r[i] = f(x[i]);
  after();
  return take();
};`;

const BINARY_LOOP = `return function (a, b) {
  load(A, a);
  load(B, b);
  const x = A[inLane], y = B[inLane], r = R[outLane];
  for (let i = 0; i < n; i++) r[i] = f(x[i], y[i]);
  after();
  return take();
};`;

/** r[i] = f(a[i]); the result lanes have shape `outLane` and there are as many as input lanes. */
export function unary(inLane: NumLane, outLane: NumLane, f: (x: number) => number, after: () => void = nothing): Unary {
  return instantiate(UNARY_LOOP, { ...SCRATCH, inLane, outLane, n: LANE_COUNT[inLane], f, after });
}

/** r[i] = f(a[i], b[i]). */
export function binary(
  inLane: NumLane, outLane: NumLane, f: (x: number, y: number) => number, after: () => void = nothing,
): Binary {
  return instantiate(BINARY_LOOP, { ...SCRATCH, inLane, outLane, n: LANE_COUNT[inLane], f, after });
}

/** f32x4 arithmetic: lanes computed as doubles, rounded to f32 by the store, NaNs made canonical. */
export const unaryF32 = (f: (x: number) => number): Unary => unary('f32', 'f32', f, canonicalizeF32);
export const binaryF32 = (f: (x: number, y: number) => number): Binary => binary('f32', 'f32', f, canonicalizeF32);
export const unaryF64 = (f: (x: number) => number): Unary => unary('f64', 'f64', f, canonicalizeF64);
export const binaryF64 = (f: (x: number, y: number) => number): Binary => binary('f64', 'f64', f, canonicalizeF64);

const COMPARE_LOOP = `return function (a, b) {
  load(A, a);
  load(B, b);
  const x = A[inLane], y = B[inLane], m = R[maskLane];
  for (let i = 0; i < n; i++) {
    const v = pred(x[i], y[i]) ? -1 : 0;
    for (let j = 0; j < stride; j++) m[i * stride + j] = v;
  }
  return take();
};`;

/**
 * Lane-wise comparison producing an all-ones / all-zeros mask per lane, written through the
 * signed view of the same lane width (f32 → i32; each f64 lane as two i32 halves).
 */
export function compare(inLane: NumLane, pred: (x: number, y: number) => boolean): Binary {
  const n = LANE_COUNT[inLane];
  const width = inLane === 'f64' ? 64 : 128 / n;
  const maskLane = width === 8 ? 'i8' : width === 16 ? 'i16' : 'i32';
  return instantiate(COMPARE_LOOP, { ...SCRATCH, inLane, maskLane, n, stride: width === 64 ? 2 : 1, pred });
}

const SHIFT_LOOP = `return function (a, count) {
  checkNumber(count, name);
  load(A, a);
  const x = A[lane], r = R[lane];
  const c = count & mask;
  for (let i = 0; i < n; i++) r[i] = f(x[i], c);
  return take();
};`;

/** Shifts: Wasm takes the count modulo the lane width. `f` gets the lane and the reduced count. */
export function shift(lane: NumLane, f: (x: number, count: number) => number): Shift {
  const n = LANE_COUNT[lane];
  return instantiate(SHIFT_LOOP, { ...SCRATCH, checkNumber, name: 'shift', lane, n, mask: 128 / n - 1, f });
}

const UNARY64_LOOP = `return function (a) {
  load(A, a);
  for (let i = 0; i < 2; i++) R.i64[i] = f(A.i64[i]);
  return take();
};`;

const BINARY64_LOOP = `return function (a, b) {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 2; i++) R.i64[i] = f(A.i64[i], B.i64[i]);
  return take();
};`;

const COMPARE64_LOOP = `return function (a, b) {
  load(A, a);
  load(B, b);
  for (let i = 0; i < 2; i++) R.i64[i] = pred(A.i64[i], B.i64[i]) ? -1n : 0n;
  return take();
};`;

/** i64x2 lane-wise operations (bigint lanes; BigInt64Array stores wrap to 64 bits). */
export function unary64(f: (x: bigint) => bigint): Unary {
  return instantiate(UNARY64_LOOP, { ...SCRATCH, f });
}

export function binary64(f: (x: bigint, y: bigint) => bigint): Binary {
  return instantiate(BINARY64_LOOP, { ...SCRATCH, f });
}

export function compare64(pred: (x: bigint, y: bigint) => boolean): Binary {
  return instantiate(COMPARE64_LOOP, { ...SCRATCH, pred });
}

const WIDEN_LOOP = `return function (first) {
  const x = A[src];
  if (to64) {
    for (let i = 0; i < 2; i++) {
      const v = x[first + i];
      R.u32[2 * i] = v;
      R.i32[2 * i + 1] = signed && v < 0 ? -1 : 0;
    }
  } else {
    const r = R[dst];
    for (let i = 0; i < n; i++) r[i] = x[first + i];
  }
};`;

/**
 * A function widening half the lanes of the A scratch (from lane `first`) into R: the shared core
 * of `*.extend_low/high_*` and the `v128.load*x*_*` extending loads. 32→64 widening writes each
 * i64 as two i32 halves (sign or zero fill) to avoid bigint work.
 */
export function widener(src: NumLane): (first: number) => void {
  const to64 = src === 'i32' || src === 'u32';
  const dst = src === 'i8' || src === 'u8' ? 'i16' : 'i32';
  return instantiate(WIDEN_LOOP, { A, R, src, dst, n: LANE_COUNT[src] / 2, to64, signed: src === 'i32' });
}
