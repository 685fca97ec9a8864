// Shared plumbing for the SIMD helpers (see simd.ts for the conventions the engine relies on).
//
// Every helper copies its v128 operands into module-level scratch buffers that carry one typed view
// per lane shape, computes into a scratch result buffer, and returns a copy of it. That way reading
// lanes costs no allocation (the operands may be subarrays of any buffer, at any alignment), inputs
// are never mutated, and the only allocation is the returned 16-byte result.
//
// Helpers never call back into user code, so one set of scratch buffers is safe: no helper runs
// while another is half-way through.

/** A Wasm v128 value: 16 bytes, lanes little-endian. Helpers return a new array and never mutate inputs. */
export type V128 = Uint8Array;

// Typed-array views use the platform's byte order; the lane layout above assumes little-endian.
// Every platform Node 20 supports is little-endian, but say so loudly rather than compute garbage.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('wasmscope SIMD helpers require a little-endian platform');
}

/** One 16-byte buffer seen through every lane shape. */
export class LaneViews {
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly i64: BigInt64Array;
  readonly u64: BigUint64Array;

  constructor() {
    const buf = new ArrayBuffer(16);
    this.u8 = new Uint8Array(buf);
    this.i8 = new Int8Array(buf);
    this.u16 = new Uint16Array(buf);
    this.i16 = new Int16Array(buf);
    this.u32 = new Uint32Array(buf);
    this.i32 = new Int32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
    this.i64 = new BigInt64Array(buf);
    this.u64 = new BigUint64Array(buf);
  }
}

/** Scratch for the first, second and third operand, and for the result. */
export const A = new LaneViews();
export const B = new LaneViews();
export const C = new LaneViews();
export const R = new LaneViews();

/** Lane shapes whose elements are JS numbers. */
export type NumLane = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64';

export const LANE_COUNT: Readonly<Record<NumLane, number>> = {
  i8: 16, u8: 16, i16: 8, u16: 8, i32: 4, u32: 4, f32: 4, f64: 2,
};

/** Copies operand `v` into `dst`, rejecting anything that is not a 16-byte Uint8Array. */
export function load(dst: LaneViews, v: V128): void {
  if (!(v instanceof Uint8Array) || v.length !== 16) {
    throw new TypeError(`SIMD operand must be a 16-byte Uint8Array, got ${describe(v)}`);
  }
  dst.u8.set(v);
}

function describe(v: unknown): string {
  if (v instanceof Uint8Array) return `a Uint8Array of length ${v.length}`;
  if (v === null) return 'null';
  return typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v;
}

/** The result: a fresh copy of the scratch result buffer (the constructor copy is faster than slice()). */
export function take(): V128 {
  return new Uint8Array(R.u8);
}

/** Clears the scratch result so helpers that fill only some lanes start from zero. */
export function clearResult(): void {
  R.u8.fill(0);
}

/**
 * Rewrites every NaN f32 lane of the result as the canonical NaN 0x7fc00000. Wasm allows any
 * arithmetic NaN where an input NaN is not canonical and requires a canonical one otherwise;
 * always writing the canonical NaN satisfies both and makes results deterministic across hosts,
 * which a debugger showing values wants.
 */
export function canonicalizeF32(): void {
  const f = R.f32;
  for (let i = 0; i < 4; i++) if (f[i] !== f[i]) R.u32[i] = 0x7fc00000;
}

/** As canonicalizeF32, for f64 lanes (canonical NaN 0x7ff8000000000000). */
export function canonicalizeF64(): void {
  const f = R.f64;
  for (let i = 0; i < 2; i++) {
    if (f[i] !== f[i]) {
      R.u32[2 * i] = 0;
      R.u32[2 * i + 1] = 0x7ff80000;
    }
  }
}

/** Throws unless `lane` is an integer lane index below `count` (the validator guarantees it for valid code). */
export function checkLane(lane: number, count: number): void {
  if (!Number.isInteger(lane) || lane < 0 || lane >= count) {
    throw new RangeError(`SIMD lane index ${String(lane)} out of range 0..${count - 1}`);
  }
}

/** Throws unless `x` is a bigint (i64 scalars travel as bigint). */
export function checkBigInt(x: bigint, what: string): void {
  if (typeof x !== 'bigint') throw new TypeError(`${what} expects an i64 as bigint, got ${typeof x}`);
}

/** Throws unless `x` is a number (i32, f32 bits and f64 scalars travel as numbers). */
export function checkNumber(x: number, what: string): void {
  if (typeof x !== 'number') throw new TypeError(`${what} expects a number, got ${typeof x}`);
}
