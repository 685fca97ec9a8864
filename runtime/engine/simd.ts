// Pure functions for every Wasm 2.0 SIMD (0xFD prefix) instruction that computes on values. The
// engine's compiler emits calls to them; memory access itself (address, bounds check, the load or
// store of bytes) and v128.const stay in the engine.
//
// Conventions the engine relies on:
// - `V128` is a Uint8Array of 16 bytes, lanes little-endian. Every function returns a new array and
//   never mutates its inputs (inputs may be subarrays of any buffer).
// - Scalars travel as the engine carries them: i32 as a JS number (int32), i64 as bigint, f32 as its
//   int32 bit pattern, f64 as a JS number.
// - Lane immediates are extra trailing number arguments: `i8x16_extract_lane_s(a, lane)`,
//   `i32x4_replace_lane(a, x, lane)`, `i8x16_shuffle(a, b, lanes: Uint8Array)` (16 indices 0..31).
// - f32/f64 lanes keep their exact bits wherever the operation only moves or flips bits (abs, neg,
//   pmin, pmax, lane moves, extract/replace, splat, shuffles, bitwise ops). Operations that compute
//   return the canonical NaN (0x7fc00000 / 0x7ff8000000000000) for every NaN result: Wasm allows
//   any arithmetic NaN when an input NaN is non-canonical and requires the canonical one otherwise,
//   so this is always correct and makes results reproducible across hosts.
// - Shift counts are taken modulo the lane width; i8/i16 scalars are truncated to the lane.
// - Bad arguments (not a 16-byte Uint8Array, lane index out of range, wrong scalar type) throw a
//   TypeError/RangeError naming the instruction or operand; valid code never hits them.
// - Memory instructions get helpers for their value half: `v128_load8_lane(vec, byte, lane)` …
//   `v128_load64_lane(vec, i64, lane)`, `v128_store8_lane(vec, lane)` → the scalar to store,
//   `v128_loadN_splat(scalar)`, `v128_load32_zero(i32)`, `v128_load64_zero(i64)`, and the extending
//   loads `v128_load8x8_s(bytes, offset = 0)` etc., which read 8 bytes from any Uint8Array (the
//   memory itself or a V128) without slicing.
//
// `SIMD` maps every instruction's text name with `.` replaced by `_` to its function
// (`SIMD.i32x4_add`, `SIMD.v128_bitselect`). The functions are also exported by name.

import * as lanes from './simd-lanes.js';
import * as ints from './simd-int.js';
import * as floats from './simd-float.js';
import type { V128 } from './simd-scratch.js';

export type { V128 } from './simd-scratch.js';
export * from './simd-lanes.js';
export * from './simd-int.js';
export * from './simd-float.js';

/** A SIMD helper as the engine calls it from generated code. */
// Arguments are v128s, scalars and lane immediates in instruction-specific combinations; generated
// code calls by name, so a single precise signature does not exist. `any` keeps the table callable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SimdFunction = (...args: any[]) => V128 | number | bigint;

/**
 * Every SIMD helper keyed by instruction name (`.` → `_`). Null-prototype so a name that is not an
 * instruction (`toString`, `constructor`) is simply absent.
 */
export const SIMD: Readonly<Record<string, SimdFunction>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, SimdFunction>, lanes, ints, floats),
);

/** The helper for instruction text name `name` (`'i32x4.add'` or `'i32x4_add'`), or undefined. */
export function simdFunction(name: string): SimdFunction | undefined {
  return SIMD[name.replace('.', '_')];
}
