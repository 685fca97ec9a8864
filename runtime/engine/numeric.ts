// Numeric helpers called by generated code, for the operations that are not one JS expression.
//
// Representation (the engine's internal convention, shared with simd.ts): i32 = number kept int32,
// i64 = bigint kept signed 64-bit, f32 = its bit pattern as int32 (a JS double cannot carry an f32
// signalling NaN, and the spec checks payloads through load/store/neg/abs/copysign), f64 = number
// (V8 keeps double NaN bits in locals, objects and typed arrays, but not in plain arrays).

const f32Buf = new Float32Array(1);
const f32Bits = new Int32Array(f32Buf.buffer);
const f64Buf = new Float64Array(1);
const f64Bits = new BigInt64Array(f64Buf.buffer);
const f64Words = new Int32Array(f64Buf.buffer);

/** f32 bits → the float value as a JS number. */
export function fv(bits: number): number {
  f32Bits[0] = bits;
  return f32Buf[0]!;
}

/** A JS number → f32 bits (rounding to nearest f32). */
export function fb(x: number): number {
  f32Buf[0] = x;
  return f32Bits[0]!;
}

export function f64FromBits(bits: bigint): number {
  f64Bits[0] = bits;
  return f64Buf[0]!;
}

export function f64ToBits(x: number): bigint {
  f64Buf[0] = x;
  return f64Bits[0]!;
}

// Sign operations as bit operations so NaN payloads survive (negating a double NaN with `-x` is
// not guaranteed to flip its sign bit in every V8 tier).
export function f64neg(x: number): number {
  f64Buf[0] = x;
  f64Words[1] = f64Words[1]! ^ 0x80000000;
  return f64Buf[0]!;
}

export function f64abs(x: number): number {
  f64Buf[0] = x;
  f64Words[1] = f64Words[1]! & 0x7fffffff;
  return f64Buf[0]!;
}

export function f64copysign(x: number, y: number): number {
  f64Buf[0] = y;
  const sign = f64Words[1]! & 0x80000000;
  f64Buf[0] = x;
  f64Words[1] = (f64Words[1]! & 0x7fffffff) | sign;
  return f64Buf[0]!;
}

/** Round to nearest, ties to even (Math.round rounds ties up). */
export function nearest(x: number): number {
  if (x !== x) return NaN; // quiet: the spec wants an arithmetic NaN back for a signalling one
  if (!Number.isFinite(x) || x === 0) return x;
  const t = Math.trunc(x);
  if (Math.abs(x - t) === 0.5) return 2 * Math.round(x / 2);
  const r = Math.round(x);
  return r === 0 && x < 0 ? -0 : r;
}

// Math.floor/ceil/trunc return a NaN argument unchanged, signalling bit and all.
export function floor(x: number): number {
  return x !== x ? NaN : Math.floor(x);
}

export function ceil(x: number): number {
  return x !== x ? NaN : Math.ceil(x);
}

export function trunc(x: number): number {
  return x !== x ? NaN : Math.trunc(x);
}

export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

export function rotl32(x: number, n: number): number {
  n &= 31;
  return (x << n) | (x >>> ((32 - n) & 31));
}

export function rotr32(x: number, n: number): number {
  n &= 31;
  return (x >>> n) | (x << ((32 - n) & 31));
}

const M64 = 0xffffffffffffffffn;

export function clz64(x: bigint): number {
  const hi = Number(BigInt.asIntN(32, x >> 32n));
  return hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(Number(BigInt.asIntN(32, x)));
}

export function ctz64(x: bigint): number {
  const lo = Number(BigInt.asIntN(32, x));
  return lo !== 0 ? ctz32(lo) : 32 + ctz32(Number(BigInt.asIntN(32, x >> 32n)));
}

export function popcnt64(x: bigint): number {
  return popcnt32(Number(BigInt.asIntN(32, x))) + popcnt32(Number(BigInt.asIntN(32, x >> 32n)));
}

export function rotl64(x: bigint, n: bigint): bigint {
  const u = x & M64;
  const k = n & 63n;
  return BigInt.asIntN(64, (u << k) | (u >> ((64n - k) & 63n)));
}

export function rotr64(x: bigint, n: bigint): bigint {
  const u = x & M64;
  const k = n & 63n;
  return BigInt.asIntN(64, (u >> k) | (u << ((64n - k) & 63n)));
}

/**
 * An integer (as bigint) → f32, rounded once. Number(big) would round to double first and the
 * second rounding to f32 can be wrong, so beyond 2^53 keep 53 bits plus a sticky bit.
 */
export function bigToF32(v: bigint): number {
  const neg = v < 0n;
  let u = neg ? -v : v;
  if (u < 0x20000000000000n) return fb(neg ? -Number(u) : Number(u));
  const shift = BigInt(u.toString(2).length - 53);
  const sticky = (u & ((1n << shift) - 1n)) !== 0n ? 1n : 0n;
  u = (u >> shift) | sticky;
  const x = Number(u) * 2 ** Number(shift);
  return fb(neg ? -x : x);
}

// Float → integer truncations. The trapping forms return undefined on failure and the caller
// raises the trap with the right message ("invalid conversion to integer" for NaN, "integer
// overflow" out of range), so these stay free of engine dependencies.

export const TRUNC_NAN = 1;
export const TRUNC_OVERFLOW = 2;

/** Returns the truncated value, or -TRUNC_NAN / -TRUNC_OVERFLOW codes via `truncStatus`. */
export let truncStatus = 0;

export function truncI32(x: number, unsigned: boolean): number {
  if (x !== x) { truncStatus = TRUNC_NAN; return 0; }
  const t = Math.trunc(x);
  if (unsigned ? (t < 0 || t > 4294967295) : (t < -2147483648 || t > 2147483647)) { truncStatus = TRUNC_OVERFLOW; return 0; }
  truncStatus = 0;
  return t | 0;
}

export function truncI64(x: number, unsigned: boolean): bigint {
  if (x !== x) { truncStatus = TRUNC_NAN; return 0n; }
  const t = Math.trunc(x);
  if (unsigned ? (t < 0 || t >= 18446744073709551616) : (t < -9223372036854775808 || t >= 9223372036854775808)) {
    truncStatus = TRUNC_OVERFLOW;
    return 0n;
  }
  truncStatus = 0;
  return BigInt.asIntN(64, BigInt(t));
}

export function truncSatI32(x: number, unsigned: boolean): number {
  if (x !== x) return 0;
  if (unsigned) return x <= 0 ? 0 : x >= 4294967295 ? -1 : Math.trunc(x) | 0;
  return x <= -2147483648 ? -2147483648 : x >= 2147483647 ? 2147483647 : Math.trunc(x) | 0;
}

export function truncSatI64(x: number, unsigned: boolean): bigint {
  if (x !== x) return 0n;
  if (unsigned) return x <= 0 ? 0n : x >= 18446744073709551616 ? -1n : BigInt.asIntN(64, BigInt(Math.trunc(x)));
  return x <= -9223372036854775808 ? -0x8000000000000000n : x >= 9223372036854775808 ? 0x7fffffffffffffffn
    : BigInt(Math.trunc(x));
}
