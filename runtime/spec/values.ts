// Converting script constants to the engine's exact value convention (i32 number, i64 bigint,
// f32 as int32 bits, f64 as bigint bits, v128 Uint8Array, references as objects or null) and
// comparing results with expectations bit-exactly, including the spec's NaN classes.
import { WasmFunction, WasmGlobal } from '../engine/externs.js';
import { f64ToBits } from '../engine/numeric.js';
import { invokeExact, type Instance } from '../engine/index.js';
import { ValType } from '../wasm/types.js';
import type { WastAction, WastConst, WastExpected } from '../text/wast-types.js';

/** Host values standing for `ref.extern N`: one object per N, so identity compares like the spec. */
const externs = new Map<number, { externref: number }>();
function externValue(n: number): { externref: number } {
  let v = externs.get(n);
  if (!v) externs.set(n, (v = { externref: n }));
  return v;
}

export function toExact(c: WastConst): unknown {
  switch (c.type) {
    case 'i32': return c.value | 0;
    case 'i64': return c.value;
    case 'f32': return c.bits | 0;
    case 'f64': return c.bits;
    case 'v128': return c.bytes;
    case 'ref.null': return null;
    case 'ref.extern': return externValue(c.value);
  }
}

export function runAction(instance: Instance, action: WastAction): unknown[] {
  const target = instance.exports.get(action.name);
  if (action.kind === 'get') {
    if (!(target instanceof WasmGlobal)) throw new Error(`no exported global "${action.name}"`);
    return [target.type.type === ValType.F64 ? f64ToBits(target.value as number) : target.value];
  }
  if (!(target instanceof WasmFunction)) throw new Error(`no exported function "${action.name}"`);
  return invokeExact(target, action.args.map(toExact));
}

const F32_EXP = 0x7f800000, F32_MANT = 0x007fffff, F32_QUIET = 0x00400000;
const F64_EXP = 0x7ff0000000000000n, F64_MANT = 0x000fffffffffffffn, F64_QUIET = 0x0008000000000000n;

function f32Nan(bits: number, kind: 'canonical' | 'arithmetic'): boolean {
  if ((bits & F32_EXP) !== F32_EXP || (bits & F32_MANT) === 0) return false;
  return kind === 'canonical' ? (bits & F32_MANT) === F32_QUIET : (bits & F32_QUIET) !== 0;
}

function f64Nan(bits: bigint, kind: 'canonical' | 'arithmetic'): boolean {
  const b = BigInt.asUintN(64, bits);
  if ((b & F64_EXP) !== F64_EXP || (b & F64_MANT) === 0n) return false;
  return kind === 'canonical' ? (b & F64_MANT) === F64_QUIET : (b & F64_QUIET) !== 0n;
}

const LANE_BYTES = { i8x16: 1, i16x8: 2, i32x4: 4, i64x2: 8, f32x4: 4, f64x2: 8 } as const;

export function matchesExpected(actual: unknown, e: WastExpected): boolean {
  if ('nan' in e) {
    if (e.type === 'f32') return typeof actual === 'number' && f32Nan(actual, e.nan);
    return typeof actual === 'bigint' && f64Nan(actual, e.nan);
  }
  switch (e.type) {
    case 'i32': return actual === (e.value | 0);
    case 'i64': return actual === e.value;
    case 'f32': return actual === (e.bits | 0);
    case 'f64': return actual === BigInt.asIntN(64, e.bits);
    case 'v128': {
      if (!(actual instanceof Uint8Array) || actual.length !== 16) return false;
      if ('bytes' in e) return actual.every((b, i) => b === e.bytes[i]);
      const size = LANE_BYTES[e.shape];
      const view = new DataView(actual.buffer, actual.byteOffset, 16);
      return e.lanes.every((lane, i) => {
        if ('nan' in lane) {
          return size === 4 ? f32Nan(view.getInt32(i * 4, true), lane.nan) : f64Nan(view.getBigInt64(i * 8, true), lane.nan);
        }
        const expected = new Uint8Array(16);
        const ev = new DataView(expected.buffer);
        if (lane.type === 'f32') ev.setInt32(i * 4, lane.bits, true);
        else if (lane.type === 'f64') ev.setBigInt64(i * 8, lane.bits, true);
        else return false;
        return actual.subarray(i * size, i * size + size).every((b, k) => b === expected[i * size + k]);
      });
    }
    case 'ref.null': return actual === null;
    case 'ref.extern': return 'value' in e ? actual === externValue(e.value) : actual !== null && !(actual instanceof WasmFunction);
    case 'ref.func': return actual instanceof WasmFunction;
  }
}

export function describeValue(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Uint8Array) return `v128[${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(' ')}]`;
  if (v instanceof WasmFunction) return `funcref(${v.index})`;
  if (v === null) return 'null';
  if (typeof v === 'object' && v !== null && 'externref' in v) return `externref(${(v as { externref: number }).externref})`;
  return String(v);
}

export function describeResult(values: unknown[]): string {
  return `[${values.map(describeValue).join(' ')}]`;
}

export function describeExpected(e: WastExpected): string {
  if ('nan' in e) return `${e.type}:nan:${e.nan}`;
  switch (e.type) {
    case 'i32': return `i32:${e.value}`;
    case 'i64': return `i64:${e.value}`;
    case 'f32': return `f32:bits(0x${(e.bits >>> 0).toString(16)})`;
    case 'f64': return `f64:bits(0x${BigInt.asUintN(64, e.bits).toString(16)})`;
    case 'v128': return 'bytes' in e ? describeValue(e.bytes) : `v128:${e.shape}`;
    case 'ref.null': return `ref.null ${e.ref}`;
    case 'ref.extern': return 'value' in e ? `ref.extern ${e.value}` : 'ref.extern';
    case 'ref.func': return 'ref.func';
  }
}
