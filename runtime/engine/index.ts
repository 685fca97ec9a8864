// The engine's public API.
//
//   instantiate(module, imports, options?) → Instance
//     Validates (assertValid), links, allocates, initialises segments, runs the start function.
//     Throws ValidationError, LinkError ("unknown import", "incompatible import type"), Trap
//     (a trap during segment initialisation or in the start function) or WasmError 'exhaustion'
//     (a memory above the configured cap).
//   instance.exports: ReadonlyMap<string, ExternValue> (WasmFunction | WasmMemory | WasmTable | WasmGlobal);
//     pass them in another instance's `imports` to link.
//   imports: { [module]: { [name]: WasmFunction | WasmMemory | WasmTable | WasmGlobal | JS function
//     (a host function, host convention) | number/bigint (an immutable global) } }
//   invoke(fn, args) → results, in the host convention:
//     i32 → number (int32), i64 → bigint, f32 → number, f64 → number, v128 → Uint8Array(16),
//     funcref → WasmFunction | null, externref → any value | null. Always an array of results.
//   invokeExact(fn, args) → results, with floats as exact bits (for the spec harness):
//     f32 → number holding the int32 bit pattern, f64 → bigint holding the signed 64-bit pattern
//     (bits, because V8 quiets signalling NaNs of doubles stored in double-elements arrays);
//     other types as in invoke.
//   Errors thrown by a call: Trap (kind 'trap' or 'exhaustion', message as the spec words it,
//   location = innermost Wasm frame, backtrace = every Wasm frame); host exceptions pass through.

import { assertValid } from '../validate/module.js';
import { ValType, type Module } from '../wasm/types.js';
import { WasmFunction } from './externs.js';
import { genericArray, hostToInternal, internalToHost, loadResults } from './host.js';
import { Instance, definingInstance, type Imports, type InstanceOptions } from './instance.js';
import { f64FromBits, f64ToBits } from './numeric.js';
import { activity, noteUnwound, translateError } from './trap.js';

export { Instance, type Imports, type ImportValue, type InstanceOptions } from './instance.js';
export { WasmFunction, WasmGlobal, WasmMemory, WasmTable, PAGE_SIZE, type ExternValue } from './externs.js';
export { Trap, type TraceFrame } from './trap.js';
export { ProfileCounters, type ImportCallEdge } from './counters.js';
export type { HostFunction } from './host.js';

export type Value = unknown;
export type ExactValue = unknown;

export function instantiate(module: Module, imports: Imports = {}, options?: InstanceOptions): Instance {
  assertValid(module);
  return new Instance(module, imports, options);
}

/** Calls with internal-convention arguments; converts errors into traps. */
function call(fn: WasmFunction, args: unknown[]): unknown[] {
  const { params, results } = fn.type;
  if (args.length !== params.length) throw new TypeError(`expected ${params.length} arguments, got ${args.length}`);
  const debug = definingInstance.get(fn)?.debugger;
  const depth = debug?.depth ?? 0;
  activity.depth++;
  try {
    // Spread of a tagged array keeps NaN payloads (see genericArray).
    return loadResults(results, fn.code(...args));
  } catch (e) {
    // A throw skips the probed frames' call-record pops.
    debug?.resetCallers(depth);
    const error = translateError(e);
    if (activity.depth === 1) noteUnwound(error);
    throw error;
  } finally {
    activity.depth--;
  }
}

export function invoke(fn: WasmFunction, args: Value[]): Value[] {
  const { params, results } = fn.type;
  const out = call(fn, args.map((a, i) => hostToInternal(params[i]!, a)));
  return out.map((v, i) => internalToHost(results[i]!, v));
}

export function invokeExact(fn: WasmFunction, args: ExactValue[]): ExactValue[] {
  const { params, results } = fn.type;
  const internal = genericArray(params.length);
  for (let i = 0; i < params.length; i++) {
    const t = params[i]!, a = args[i];
    internal[i] = t === ValType.F32 ? Number(a) | 0 : t === ValType.F64 ? f64FromBits(BigInt.asIntN(64, BigInt(a as bigint)))
      : hostToInternal(t, a);
  }
  const out = call(fn, internal);
  for (let i = 0; i < results.length; i++) if (results[i] === ValType.F64) out[i] = f64ToBits(out[i] as number);
  return out;
}
