// Deterministic arguments and exact value comparison for the differential fuzzer. Values are kept
// in one neutral form, `Bits`, so both engines' results compare the same way: integers exactly,
// floats by their bit patterns, except that any two NaNs are equal (V8 hands NaNs to JS as doubles,
// so their payload is not observable on its side: NaNs compare by class only).

import { ValType } from '../runtime/wasm/types.js';
import { Rng } from './rng.js';

const f32 = new Float32Array(1);
const f32Bits = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigInt64Array(f64.buffer);

export function f32FromBits(bits: number): number { f32Bits[0] = bits; return f32[0]!; }
export function f32ToBits(v: number): number { f32[0] = v; return f32Bits[0]!; }
export function f64FromBits(bits: bigint): number { f64Bits[0] = bits; return f64[0]!; }
export function f64ToBits(v: number): bigint { f64[0] = v; return f64Bits[0]!; }

/** One argument in both engines' conventions. */
export interface Arg {
  /** For wasmscope's invokeExact (f32 as int32 bits, f64 as bigint bits). */
  exact: unknown;
  /** For V8's exported function (f32/f64 as numbers, i64 as bigint). */
  js: unknown;
}

const I32_EDGES = [0, 1, -1, 2, 7, 0x7fffffff, -0x80000000, 0x10000, 0xffff, 1024];
const I64_EDGES = [0n, 1n, -1n, 2n, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffffn, 0x100000000n];
// No signalling NaNs: V8 cannot pass them from JS. The canonical NaN is the same on both sides.
const F32_EDGES = [0, 0x80000000 | 0, 0x3f800000, 0xbf800000 | 0, 0x7f800000, 0xff800000 | 0, 0x7f7fffff, 1, 0x4f000000, 0x7fc00000];
const F64_EDGES = [0n, -0x8000000000000000n, 0x3ff0000000000000n, -0x4010000000000000n, 0x7ff0000000000000n,
  -0x10000000000000n, 0x7fefffffffffffffn, 1n, 0x41e0000000000000n, 0x7ff8000000000000n];

export function makeArg(t: ValType, rng: Rng): Arg | undefined {
  const edge = rng.chance(0.6);
  switch (t) {
    case ValType.I32: {
      const v = edge ? rng.pick(I32_EDGES) : rng.u32() | 0;
      return { exact: v, js: v };
    }
    case ValType.I64: {
      const v = edge ? rng.pick(I64_EDGES) : BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()));
      return { exact: v, js: v };
    }
    case ValType.F32: {
      let bits = edge ? rng.pick(F32_EDGES) : rng.u32() | 0;
      if (Number.isNaN(f32FromBits(bits))) bits = 0x7fc00000;
      return { exact: bits, js: f32FromBits(bits) };
    }
    case ValType.F64: {
      let bits = edge ? rng.pick(F64_EDGES) : BigInt.asIntN(64, (BigInt(rng.u32()) << 32n) | BigInt(rng.u32()));
      if (Number.isNaN(f64FromBits(bits))) bits = 0x7ff8000000000000n;
      return { exact: bits, js: f64FromBits(bits) };
    }
    case ValType.FuncRef:
    case ValType.ExternRef:
      return { exact: null, js: null };
    default:
      return undefined; // v128 cannot cross the JS boundary in V8
  }
}

/** A value as a string that is equal for equal Wasm values (NaNs by class only). */
export function showExact(t: ValType, v: unknown): string {
  switch (t) {
    case ValType.I32: return `i32:${(v as number) | 0}`;
    case ValType.I64: return `i64:${BigInt.asIntN(64, v as bigint)}`;
    case ValType.F32: {
      const bits = (v as number) | 0;
      return Number.isNaN(f32FromBits(bits)) ? 'f32:nan' : `f32:0x${(bits >>> 0).toString(16)}`;
    }
    case ValType.F64: {
      const bits = BigInt.asUintN(64, v as bigint);
      return Number.isNaN(f64FromBits(BigInt.asIntN(64, bits))) ? 'f64:nan' : `f64:0x${bits.toString(16)}`;
    }
    default: return v === null ? 'ref:null' : 'ref:non-null';
  }
}

/** The same rendering for a value V8 returned to JS. */
export function showJs(t: ValType, v: unknown): string {
  switch (t) {
    case ValType.F32: return showExact(t, f32ToBits(v as number));
    case ValType.F64: return showExact(t, f64ToBits(v as number));
    default: return showExact(t, v);
  }
}

/** A host-convention value (what an import receives) as a comparable string. */
export function showHost(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return Number.isNaN(v) ? 'nan' : Object.is(v, -0) ? '-0' : String(v);
  if (v === null || v === undefined) return 'null';
  return typeof v === 'function' || typeof v === 'object' ? 'ref' : String(v);
}
