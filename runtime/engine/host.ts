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
    case ValType.I64: return BigInt.asIntN(64, typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));
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

export function makeHostCode(fn: HostFunction, type: FuncType, importIndex: number,
  hooks?: Pick<ProbeHooks, 'onHostCall' | 'onHostReturn'>): Code {
  const { params, results } = type;
  const onCall = hooks?.onHostCall?.bind(hooks);
  const onReturn = hooks?.onHostReturn?.bind(hooks);
  return (...args: unknown[]): unknown => {
    const hostArgs = params.map((t, i) => internalToHost(t, args[i]));
    onCall?.(importIndex, hostArgs);
    const ret = fn(...hostArgs);
    let hostResults: unknown[];
    if (results.length === 0) hostResults = [];
    else if (results.length === 1) hostResults = [ret];
    else {
      if (!Array.isArray(ret) || ret.length !== results.length) {
        throw new TypeError(`host function must return an array of ${results.length} values`);
      }
      hostResults = ret;
    }
    onReturn?.(importIndex, hostResults);
    return storeResults(results, results.map((t, i) => hostToInternal(t, hostResults[i])));
  };
}
