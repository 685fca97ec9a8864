// Host functions and the host value convention. Generated code calls every function with
// internal-convention values (numeric.ts); a host JS function sees and returns host-convention
// values: i32 → number, i64 → bigint, f32 → number, f64 → number, v128 → Uint8Array,
// references → the value or null. Several results are returned as an array.

import { ValType, type FuncType } from '../wasm/types.js';
import { RESULTS, RESULTS_F64, type Code } from './externs.js';
import { fb, fv } from './numeric.js';
import type { ProbeHooks } from './debug-api.js';

// Host functions take and return arbitrary JS values; the declared Wasm type drives conversion.
export type HostFunction = (...args: any[]) => unknown;

export function internalToHost(t: ValType, v: unknown): unknown {
  return t === ValType.F32 ? fv(v as number) : v;
}

export function hostToInternal(t: ValType, v: unknown): unknown {
  switch (t) {
    case ValType.I32: return Number(v) | 0;
    case ValType.I64: {
      if (typeof v === 'bigint') return BigInt.asIntN(64, v);
      const n = Math.trunc(Number(v));
      if (!Number.isFinite(n)) throw new TypeError(`cannot convert ${String(v)} to i64`);
      return BigInt.asIntN(64, BigInt(n));
    }
    case ValType.F32: return fb(Number(v));
    case ValType.F64: return Number(v);
    case ValType.V128:
      if (!(v instanceof Uint8Array) || v.length !== 16) throw new TypeError('host function must return a 16-byte Uint8Array for v128');
      return v;
    default: return v === undefined ? null : v;
  }
}

/** Stores internal-convention results where generated code expects them (one: returned). */
export function storeResults(results: readonly ValType[], values: readonly unknown[]): unknown {
  if (results.length === 1) return values[0];
  for (let i = 0; i < results.length; i++) {
    if (results[i] === ValType.F64) RESULTS_F64[i] = values[i] as number;
    else RESULTS[i] = values[i];
  }
  return undefined;
}

/** Reads the internal-convention results of a call that just returned `ret`. */
export function loadResults(results: readonly ValType[], ret: unknown): unknown[] {
  const out = genericArray(results.length);
  if (results.length === 1) out[0] = ret;
  else for (let i = 0; i < results.length; i++) out[i] = results[i] === ValType.F64 ? RESULTS_F64[i] : RESULTS[i];
  return out;
}

/**
 * An array that holds tagged values: V8 keeps f64 NaN payloads in it, whereas an array literal or
 * `map` of doubles becomes a double-elements array that quiets signalling NaNs.
 */
export function genericArray(n: number): unknown[] {
  return new Array<unknown>(n).fill(null);
}

/**
 * The internal-convention wrapper generated code calls for a host import. Generated per signature
 * (named parameters, conversions inline, no per-call arrays unless a hook wants them): a host call
 * is one of the hottest paths of a WASI program (measured: ~150 ns per crossing with a generic
 * rest-argument wrapper, see the engine report).
 */
export function makeHostCode(fn: HostFunction, type: FuncType, importIndex: number,
  hooks?: Pick<ProbeHooks, 'onHostCall' | 'onHostReturn'>): Code {
  const { params, results } = type;
  const onCall = hooks?.onHostCall?.bind(hooks);
  const onReturn = hooks?.onHostReturn?.bind(hooks);
  const names = params.map((_, i) => `a${i}`);
  const toHost = params.map((t, i) => (t === ValType.F32 ? `fv(a${i})` : `a${i}`));
  const lines: string[] = [];
  lines.push(`return function host${importIndex}(${names.join(',')}){`);
  if (onCall) lines.push(`onCall(${importIndex},[${toHost.join(',')}]);`);
  lines.push(`const r=fn(${toHost.join(',')});`);
  if (results.length === 0) {
    if (onReturn) lines.push(`onReturn(${importIndex},[]);`);
    lines.push('return;');
  } else if (results.length === 1) {
    if (onReturn) lines.push(`onReturn(${importIndex},[r]);`);
    lines.push(`return ${fastConversion(results[0]!, 'r')};`);
  } else {
    lines.push(`if(!Array.isArray(r)||r.length!==${results.length})throw new TypeError("host function must return an array of ${results.length} values");`);
    if (onReturn) lines.push(`onReturn(${importIndex},r);`);
    lines.push('return storeMany(r);');
  }
  lines.push('};');
  const storeMany = (r: unknown[]): unknown => storeResults(results, results.map((t, i) => hostToInternal(t, r[i])));
  const factory = new Function('fn', 'onCall', 'onReturn', 'fv', 'toInternal', 'storeMany', 'T', lines.join('\n'));
  return factory(fn, onCall, onReturn, fv, hostToInternal, storeMany, results) as Code;
}

/** Inline host → internal conversion for the common result types; the general function otherwise. */
function fastConversion(t: ValType, v: string): string {
  switch (t) {
    case ValType.I32: return `(typeof ${v}==='number'?${v}|0:toInternal(T[0],${v}))`;
    case ValType.F64: return `(typeof ${v}==='number'?${v}:toInternal(T[0],${v}))`;
    default: return `toInternal(T[0],${v})`;
  }
}
