// Builders for the lane-by-lane SIMD operations: each takes the per-lane computation and returns
// the v128 helper. Typed-array stores do the wrapping (an Int8Array store of 200 keeps -56) and the
// f32 rounding (a Float32Array store rounds to nearest-even, like Math.fround), so the per-lane
// functions compute in plain JS numbers.

import {
  A, B, R, LANE_COUNT, canonicalizeF32, canonicalizeF64, checkNumber, load, take,
  type NumLane, type V128,
} from './simd-scratch.js';

export type Unary = (a: V128) => V128;
export type Binary = (a: V128, b: V128) => V128;
export type Shift = (a: V128, count: number) => V128;

/** r[i] = f(a[i]); the result lanes have shape `outLane` and there are as many as input lanes. */
export function unary(inLane: NumLane, outLane: NumLane, f: (x: number) => number): Unary {
  const n = LANE_COUNT[inLane];
  return (a) => {
    load(A, a);
    const x = A[inLane], r = R[outLane];
    for (let i = 0; i < n; i++) r[i] = f(x[i]);
    return take();
  };
}

/** r[i] = f(a[i], b[i]). */
export function binary(inLane: NumLane, outLane: NumLane, f: (x: number, y: number) => number): Binary {
  const n = LANE_COUNT[inLane];
  return (a, b) => {
    load(A, a);
    load(B, b);
    const x = A[inLane], y = B[inLane], r = R[outLane];
    for (let i = 0; i < n; i++) r[i] = f(x[i], y[i]);
    return take();
  };
}

/** f32x4 arithmetic: lanes computed as doubles, rounded to f32 by the store, NaNs made canonical. */
export function unaryF32(f: (x: number) => number): Unary {
  return (a) => {
    load(A, a);
    for (let i = 0; i < 4; i++) R.f32[i] = f(A.f32[i]);
    canonicalizeF32();
    return take();
  };
}

export function binaryF32(f: (x: number, y: number) => number): Binary {
  return (a, b) => {
    load(A, a);
    load(B, b);
    for (let i = 0; i < 4; i++) R.f32[i] = f(A.f32[i], B.f32[i]);
    canonicalizeF32();
    return take();
  };
}

export function unaryF64(f: (x: number) => number): Unary {
  return (a) => {
    load(A, a);
    for (let i = 0; i < 2; i++) R.f64[i] = f(A.f64[i]);
    canonicalizeF64();
    return take();
  };
}

export function binaryF64(f: (x: number, y: number) => number): Binary {
  return (a, b) => {
    load(A, a);
    load(B, b);
    for (let i = 0; i < 2; i++) R.f64[i] = f(A.f64[i], B.f64[i]);
    canonicalizeF64();
    return take();
  };
}

/**
 * Lane-wise comparison producing an all-ones / all-zeros mask per lane. The mask is written
 * through the signed view of the same lane width (f32 → i32; f64 as two i32 halves).
 */
export function compare(inLane: NumLane, pred: (x: number, y: number) => boolean): Binary {
  const n = LANE_COUNT[inLane];
  const width = inLane === 'f64' ? 64 : 128 / n;
  return (a, b) => {
    load(A, a);
    load(B, b);
    const x = A[inLane], y = B[inLane];
    if (width === 64) {
      for (let i = 0; i < 2; i++) R.i32[2 * i] = R.i32[2 * i + 1] = pred(x[i], y[i]) ? -1 : 0;
    } else {
      const r = width === 8 ? R.i8 : width === 16 ? R.i16 : R.i32;
      for (let i = 0; i < n; i++) r[i] = pred(x[i], y[i]) ? -1 : 0;
    }
    return take();
  };
}

/** Shifts: Wasm takes the count modulo the lane width. `f` gets the lane and the reduced count. */
export function shift(lane: NumLane, f: (x: number, count: number) => number): Shift {
  const n = LANE_COUNT[lane];
  const mask = 128 / n - 1;
  return (a, count) => {
    checkNumber(count, 'shift');
    load(A, a);
    const x = A[lane], r = R[lane];
    const c = count & mask;
    for (let i = 0; i < n; i++) r[i] = f(x[i], c);
    return take();
  };
}

/** i64x2 lane-wise operations (bigint lanes; BigInt64Array stores wrap to 64 bits). */
export function unary64(f: (x: bigint) => bigint): Unary {
  return (a) => {
    load(A, a);
    for (let i = 0; i < 2; i++) R.i64[i] = f(A.i64[i]);
    return take();
  };
}

export function binary64(f: (x: bigint, y: bigint) => bigint): Binary {
  return (a, b) => {
    load(A, a);
    load(B, b);
    for (let i = 0; i < 2; i++) R.i64[i] = f(A.i64[i], B.i64[i]);
    return take();
  };
}

export function compare64(pred: (x: bigint, y: bigint) => boolean): Binary {
  return (a, b) => {
    load(A, a);
    load(B, b);
    for (let i = 0; i < 2; i++) R.i64[i] = pred(A.i64[i], B.i64[i]) ? -1n : 0n;
    return take();
  };
}

/**
 * Widens half the lanes of the A scratch (from lane `first`) into R: the shared core of
 * `*.extend_low/high_*` and the `v128.load*x*_*` extending loads. 32→64 widening writes each i64
 * as two i32 halves (sign or zero fill) to avoid bigint work.
 */
export function widenFromA(src: NumLane, first: number): void {
  const n = LANE_COUNT[src] / 2;
  const x = A[src];
  if (src === 'i32' || src === 'u32') {
    for (let i = 0; i < 2; i++) {
      const v = x[first + i];
      R.u32[2 * i] = v;
      R.i32[2 * i + 1] = src === 'i32' && v < 0 ? -1 : 0;
    }
    return;
  }
  const r = src === 'i8' || src === 'u8' ? R.i16 : R.i32;
  for (let i = 0; i < n; i++) r[i] = x[first + i];
}
