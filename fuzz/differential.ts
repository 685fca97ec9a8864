// Differential execution: one module, two engines (wasmscope and Node's own V8), the same calls
// with the same arguments, and after every call the same observable state. What is compared:
//   - results (exact bits; NaNs by class), or trap vs no trap and the trap's kind (trap-map.ts);
//   - the calls the module made to its imports, with their arguments, in order;
//   - every exported memory byte for byte, every table's length and null/non-null entries, and
//     every global (all globals are exported for the purpose by sections.ts).
// The first divergence ends the module's run: after it the two states have nothing in common.

import { decodeModule } from '../runtime/binary/decode.js';
import { validateModule } from '../runtime/validate/module.js';
import {
  Trap, WasmFunction, WasmGlobal, WasmMemory, WasmTable, instantiate, invokeExact, type Imports, type Instance,
} from '../runtime/engine/index.js';
import type { ProbeHooks } from '../runtime/engine/debug-api.js';
import { ValType, funcTypeOf, type FuncType, type Module } from '../runtime/wasm/types.js';
import { WasmError } from '../runtime/wasm/errors.js';
import { Rng } from './rng.js';
import { exportAllGlobals } from './sections.js';
import { makeArg, showExact, showHost, showJs, f64ToBits, type Arg } from './values.js';
import { specMessagesFor } from './trap-map.js';
import { holdsNaN, nanOpenInstructions, type NaNLanes } from './nan-triage.js';

export interface Divergence {
  /** Which call (0-based, in the run's order) diverged, -1 for instantiation or validation. */
  step: number;
  what: string;
  ours: string;
  v8: string;
}

export type Tier = 'fast' | 'probed' | 'stepped';

export interface DiffResult {
  /** Calls made on each engine. */
  calls: number;
  divergence?: Divergence;
  /**
   * Differences explained by NaN payloads alone (allowed by the spec for float arithmetic): in
   * memory, or in integers taken from float bits (results, import arguments).
   */
  nanDifferences?: number;
  /** With watchOpenNaNs: NaNs produced by instructions whose NaN bits the spec leaves open. */
  openNaNs?: number;
  /** Debugger stops taken in the 'stepped' tier. */
  stops?: number;
  /** Why the module was not run (e.g. V8 itself rejects it); not a wasmscope problem. */
  skipped?: string;
}

export interface DiffOptions {
  /** Seed of the argument generator. */
  seed: number;
  /** Compare memory and globals bit for bit (only meaningful when NaNs cannot arise: --denan). */
  exactState: boolean;
  /** How many times each export is called (each pass with fresh arguments). */
  passes?: number;
  /**
   * wasmscope's code tier: 'fast' (default), 'probed' (the debugger's tier, no probe armed) or
   * 'stepped' (the debugger's tier single-stepping every instruction, reading the stop's state).
   */
  tier?: Tier;
  /** Stops before the 'stepped' tier lets the program run on (default STEP_BUDGET). */
  stepBudget?: number;
  /**
   * 'stepped' tier only: count the float instructions whose NaN result the spec leaves open
   * (arithmetic, not abs/neg/copysign/compares/moves) that produced a NaN: see `openNaNs`.
   */
  watchOpenNaNs?: boolean;
  /** Runs on wasmscope's instance only, right after instantiation: lets tests prove a divergence is seen. */
  afterInstantiate?: (ours: Instance) => void;
}

/** Debugger stops per module in the 'stepped' tier before it lets the program run on. */
const STEP_BUDGET = 1_000;
const HANG_LIMIT_EXPORT = 'hangLimitInitializer';

interface Outcome { text: string; trapMessage?: string; v8Message?: string }

function describeOurs(e: unknown): Outcome {
  if (e instanceof Trap) return { text: `${e.kind}: ${e.message}`, trapMessage: e.message };
  if (e instanceof WasmError) return { text: `${e.name}(${e.kind}): ${e.message}` };
  if (e instanceof Error) return { text: `host ${e.name}: ${e.message}` };
  return { text: `thrown ${String(e)}` };
}

function describeV8(e: unknown): Outcome {
  if (e instanceof WebAssembly.RuntimeError) return { text: `trap: ${e.message}`, v8Message: e.message };
  if (e instanceof RangeError && /Maximum call stack/.test(e.message)) return { text: `exhaustion: ${e.message}`, v8Message: e.message };
  if (e instanceof Error) return { text: `host ${e.name}: ${e.message}` };
  return { text: `thrown ${String(e)}` };
}

/** Do the two failures agree? Traps by kind (through trap-map), host errors by class. */
function sameFailure(ours: Outcome, v8: Outcome): boolean {
  if (v8.v8Message !== undefined) {
    if (ours.trapMessage === undefined) return false;
    const allowed = specMessagesFor(v8.v8Message);
    return allowed === undefined ? true : allowed.includes(ours.trapMessage);
  }
  if (ours.trapMessage !== undefined) return false;
  return ours.text.split(':')[0] === v8.text.split(':')[0];
}

/** Imports that log their calls; v128 crossings fail on both sides as V8 makes them fail. */
function makeImports(m: Module, log: string[], forV8: boolean): Record<string, Record<string, unknown>> | string {
  const out: Record<string, Record<string, unknown>> = {};
  let funcIndex = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind !== 'func') return `unsupported ${imp.desc.kind} import ${imp.module}.${imp.name}`;
    const type = funcTypeOf(m, funcIndex++)!;
    const crossesV128 = [...type.params, ...type.results].includes(ValType.V128);
    const name = `${imp.module}.${imp.name}`;
    const fn = (...args: unknown[]): unknown => {
      // V8 throws this TypeError itself before calling us; wasmscope hands us the bytes instead.
      if (crossesV128) throw new TypeError('type incompatibility when transforming from/to JS');
      log.push(`${name}(${args.map(showHost).join(', ')})`);
      const zeros = type.results.map((t) => (t === ValType.I64 ? 0n : t === ValType.FuncRef || t === ValType.ExternRef ? null : 0));
      return zeros.length === 0 ? undefined : zeros.length === 1 ? zeros[0] : zeros;
    };
    if (forV8 && crossesV128) {
      // Let V8 raise its own error when the import is called, as it would for any JS import.
      (out[imp.module] ??= {})[imp.name] = (): never => { throw new TypeError('type incompatibility when transforming from/to JS'); };
    } else (out[imp.module] ??= {})[imp.name] = fn;
  }
  return out;
}

function snapshotOurs(inst: Instance): string[] {
  const state: string[] = [];
  for (const [name, ext] of inst.exports) {
    if (ext instanceof WasmMemory) state.push(`memory ${name}: ${ext.bytes.length} bytes`);
    else if (ext instanceof WasmTable) state.push(`table ${name}: ${ext.elements.map((e) => (e === null ? '0' : '1')).join('')}`);
    else if (ext instanceof WasmGlobal && ext.type.type !== ValType.V128) {
      const t = ext.type.type;
      const v = t === ValType.F64 ? f64ToBits(ext.value as number) : ext.value;
      state.push(`global ${name}: ${showExact(t, v)}`);
    }
  }
  return state;
}

function snapshotV8(exports: WebAssembly.Exports, m: Module): string[] {
  const state: string[] = [];
  for (const e of m.exports) {
    const ext = exports[e.name];
    if (e.kind === 'memory') state.push(`memory ${e.name}: ${(ext as WebAssembly.Memory).buffer.byteLength} bytes`);
    else if (e.kind === 'table') {
      const t = ext as WebAssembly.Table;
      let bits = '';
      for (let i = 0; i < t.length; i++) bits += t.get(i) === null ? '0' : '1';
      state.push(`table ${e.name}: ${bits}`);
    } else if (e.kind === 'global') {
      const g = ext as WebAssembly.Global;
      const t = globalTypeOf(m, e.index);
      if (t === ValType.V128) continue; // not readable from JS
      state.push(`global ${e.name}: ${showJs(t, g.value)}`);
    }
  }
  return state;
}

function globalTypeOf(m: Module, index: number): ValType {
  let seen = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind !== 'global') continue;
    if (seen++ === index) return imp.desc.type.type;
  }
  return m.globals[index - seen]!.type.type;
}

function isF32NaN(b: Uint8Array, at: number): boolean {
  if (at < 0 || at + 4 > b.length) return false;
  const hi = b[at + 3]! & 0x7f, next = b[at + 2]!;
  return hi === 0x7f && (next & 0x80) !== 0 && ((next & 0x7f) | b[at + 1]! | b[at]!) !== 0;
}

function isF64NaN(b: Uint8Array, at: number): boolean {
  if (at < 0 || at + 8 > b.length) return false;
  const hi = b[at + 7]! & 0x7f, next = b[at + 6]!;
  if (hi !== 0x7f || (next & 0xf0) !== 0xf0) return false;
  let mantissa = next & 0x0f;
  for (let i = 0; i < 6; i++) mantissa |= b[at + i]!;
  return mantissa !== 0;
}

/**
 * Whether every byte that differs in [from, to) lies in an f32 or f64 that is a NaN on both sides.
 * SIMD float arithmetic may return any arithmetic NaN (V8 propagates the input's payload, wasmscope
 * may return the canonical NaN) and binaryen's --denan does not cover v128 lanes.
 */
function explainedByNaNs(ours: Uint8Array, v8: Uint8Array, from: number, to: number): boolean {
  const explained = new Uint8Array(to - from);
  for (let j = from - 7; j < to; j++) {
    const width = isF32NaN(ours, j) && isF32NaN(v8, j) ? 4 : isF64NaN(ours, j) && isF64NaN(v8, j) ? 8 : 0;
    for (let k = Math.max(j, from); k < Math.min(j + width, to); k++) explained[k - from] = 1;
  }
  for (let k = from; k < to; k++) if (ours[k] !== v8[k] && explained[k - from] === 0) return false;
  return true;
}

const INTEGER = /(i64:)?(-?\d+)(n?)/g;

function littleEndian(v: bigint, width: 4 | 8): Uint8Array {
  const out = new Uint8Array(width);
  let x = BigInt.asUintN(width * 8, v);
  for (let i = 0; i < width; i++) { out[i] = Number(x & 0xffn); x >>= 8n; }
  return out;
}

/**
 * Whether two renderings (results, or an import call's arguments) differ only in integers whose
 * bits are NaNs on both sides: an integer read out of SIMD float lanes (extract_lane,
 * reinterpret) carries the arithmetic NaN's payload, which the spec leaves open.
 */
function equalUpToNaNBits(a: string, b: string): boolean {
  if (a.replace(INTEGER, '#') !== b.replace(INTEGER, '#')) return false;
  const na = [...a.matchAll(INTEGER)], nb = [...b.matchAll(INTEGER)];
  if (na.length !== nb.length) return false;
  for (let i = 0; i < na.length; i++) {
    const x = na[i]!, y = nb[i]!;
    if (x[0] === y[0]) continue;
    const wide = Boolean(x[1] || x[3] || y[1] || y[3]);
    const width = wide ? 8 : 4;
    const bx = littleEndian(BigInt(x[2]!), width), by = littleEndian(BigInt(y[2]!), width);
    if (!explainedByNaNs(bx, by, 0, width)) return false;
  }
  return true;
}

/**
 * First unexplained difference of the exported memories, as text, or undefined when they agree
 * (up to NaN payloads, counted in `tolerated`).
 */
function memoryDiff(inst: Instance, exports: WebAssembly.Exports, m: Module, tolerated: { nans: number }): { ours: string; v8: string } | undefined {
  for (const e of m.exports) {
    if (e.kind !== 'memory') continue;
    const ours = (inst.exports.get(e.name) as WasmMemory).bytes;
    const v8 = new Uint8Array((exports[e.name] as WebAssembly.Memory).buffer);
    if (ours.length !== v8.length) return { ours: `${ours.length} bytes`, v8: `${v8.length} bytes` };
    if (Buffer.compare(ours, v8) === 0) continue;
    for (let i = 0; i < ours.length; i++) {
      if (ours[i] === v8[i]) continue;
      // The run of differing bytes (with up to 8 equal bytes inside it) around i.
      let end = i + 1;
      for (let gap = 0; end < ours.length && gap < 8; end++) gap = ours[end] === v8[end] ? gap + 1 : 0;
      if (explainedByNaNs(ours, v8, i, end)) { tolerated.nans++; i = end - 1; continue; }
      const hex = (b: Uint8Array): string => Buffer.from(b.subarray(i, i + 16)).toString('hex');
      return { ours: `memory ${e.name} @${i}: ${hex(ours)}`, v8: `memory ${e.name} @${i}: ${hex(v8)}` };
    }
    // Everything explained: take V8's bytes so an old NaN difference is not re-examined next call.
    ours.set(v8);
  }
  return undefined;
}

function resultsOurs(type: FuncType, out: unknown[]): string {
  return type.results.map((t, i) => showExact(t, out[i])).join(', ');
}

function resultsV8(type: FuncType, out: unknown): string {
  const values = type.results.length === 1 ? [out] : type.results.length === 0 ? [] : (out as unknown[]);
  return type.results.map((t, i) => showJs(t, values[i])).join(', ');
}

/**
 * Runs `bytes` on both engines and reports the first divergence. The module must be one V8 can
 * run from JS (imports are functions only); others come back `skipped`.
 */
export function runDifferential(original: Uint8Array, options: DiffOptions): DiffResult {
  const v8Valid = WebAssembly.validate(original);
  let decoded: Module;
  try {
    decoded = decodeModule(original);
  } catch (e) {
    if (!v8Valid) return { calls: 0, skipped: 'V8 rejects the module too' };
    return { calls: 0, divergence: { step: -1, what: 'decode', ours: describeOurs(e).text, v8: 'valid' } };
  }
  const errors = validateModule(decoded);
  if (!v8Valid) {
    if (errors.length > 0) return { calls: 0, skipped: 'V8 rejects the module too' };
    return { calls: 0, divergence: { step: -1, what: 'validate', ours: 'valid', v8: 'invalid' } };
  }
  if (errors.length > 0) return { calls: 0, divergence: { step: -1, what: 'validate', ours: errors[0]!.describe(), v8: 'valid' } };

  const bytes = exportAllGlobals(original, decoded);
  const m = decodeModule(bytes);
  const ourLog: string[] = [];
  const v8Log: string[] = [];
  const ourImports = makeImports(m, ourLog, false);
  const v8Imports = makeImports(m, v8Log, true);
  if (typeof ourImports === 'string' || typeof v8Imports === 'string') return { calls: 0, skipped: ourImports as string };

  let inst: Instance | undefined, ourInstErr: Outcome | undefined;
  let v8Exports: WebAssembly.Exports | undefined, v8InstErr: Outcome | undefined;
  const tier = options.tier ?? 'fast';
  const budget = options.stepBudget ?? STEP_BUDGET;
  let stops = 0;
  let stopProblem: string | undefined;
  const openOps = options.watchOpenNaNs ? nanOpenInstructions(m) : undefined;
  let pendingLanes: NaNLanes | undefined;
  let openNaNs = 0;
  const debug: ProbeHooks = {
    onProbe: (event, state) => {
      stops++;
      if (openOps) {
        // The previous stop was at an open-NaN instruction: its result is now on top of the stack.
        if (pendingLanes) {
          const top = state.frames[0]?.stack?.at(-1);
          if (top && holdsNaN(pendingLanes, top)) openNaNs++;
          pendingLanes = undefined;
        }
        pendingLanes = openOps.get(event.offset);
      }
      // The stop's innermost frame is the instruction the event names.
      if (!stopProblem && stops % 2 === 0 && state.frames[0]?.offset !== event.offset) stopProblem = `frame 0 at ${state.frames[0]?.offset}, stop at ${event.offset}`;
      if (stops % 97 === 0) { state.globals(); state.memories(); state.tables(); }
      // Past the budget, let the rest run unprobed: stepping is ~100x slower than the fast tier.
      return stops < budget ? 'step-in' : 'continue';
    },
  };
  try {
    inst = instantiate(m, ourImports as Imports, tier === 'fast' ? undefined : { debug });
    if (tier === 'stepped') inst.env.D!.requestPause();
  } catch (e) { ourInstErr = describeOurs(e); }
  try { v8Exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), v8Imports as WebAssembly.Imports).exports; } catch (e) { v8InstErr = describeV8(e); }
  if (ourInstErr || v8InstErr) {
    if (ourInstErr && v8InstErr && sameFailure(ourInstErr, v8InstErr)) return { calls: 0 };
    return { calls: 0, divergence: { step: -1, what: 'instantiate', ours: ourInstErr?.text ?? 'ok', v8: v8InstErr?.text ?? 'ok' } };
  }
  const ours = inst!, v8 = v8Exports!;
  options.afterInstantiate?.(ours);

  const targets = m.exports.filter((e) => e.kind === 'func' && e.name !== HANG_LIMIT_EXPORT)
    .map((e) => ({ name: e.name, type: funcTypeOf(m, e.index)! }))
    .filter((t) => ![...t.type.params, ...t.type.results].includes(ValType.V128));
  const resetOurs = ours.exports.get(HANG_LIMIT_EXPORT);
  const resetV8 = v8[HANG_LIMIT_EXPORT] as (() => void) | undefined;
  const rng = new Rng(options.seed);
  const tolerated = { nans: 0 };
  let calls = 0;
  const passes = options.passes ?? 2;
  for (let pass = 0; pass < passes; pass++) {
    for (const target of targets) {
      const step = calls++;
      if (resetOurs instanceof WasmFunction) invokeExact(resetOurs, []);
      resetV8?.();
      const args = target.type.params.map((t) => makeArg(t, rng)) as Arg[];
      const call = `${target.name}(${target.type.params.map((t, i) => showExact(t, args[i]!.exact)).join(', ')})`;
      let ourText: string, v8Text: string, ourFail: Outcome | undefined, v8Fail: Outcome | undefined;
      try {
        ourText = resultsOurs(target.type, invokeExact(ours.exports.get(target.name) as WasmFunction, args.map((a) => a.exact)));
      } catch (e) { ourFail = describeOurs(e); ourText = ourFail.text; }
      try {
        v8Text = resultsV8(target.type, (v8[target.name] as (...a: unknown[]) => unknown)(...args.map((a) => a.js)));
      } catch (e) { v8Fail = describeV8(e); v8Text = v8Fail.text; }
      const diverge = (what: string, o: string, v: string): DiffResult => ({ calls, stops, openNaNs, nanDifferences: tolerated.nans, divergence: { step, what: `${call}: ${what}`, ours: o, v8: v } });
      if (stopProblem) return diverge('debugger stop', stopProblem, '(n/a)');
      if (ourFail || v8Fail) {
        if (!ourFail || !v8Fail || !sameFailure(ourFail, v8Fail)) return diverge('outcome', ourText, v8Text);
      } else if (ourText !== v8Text) {
        if (!equalUpToNaNBits(ourText, v8Text)) return diverge('results', ourText, v8Text);
        tolerated.nans++;
      }
      // Logged import calls (both sides stop logging at the same call when a trap agrees).
      const n = Math.max(ourLog.length, v8Log.length);
      for (let i = 0; i < n; i++) {
        if (ourLog[i] === v8Log[i]) continue;
        if (ourLog[i] === undefined || v8Log[i] === undefined || !equalUpToNaNBits(ourLog[i]!, v8Log[i]!)) {
          return diverge(`import call #${i}`, ourLog[i] ?? '(none)', v8Log[i] ?? '(none)');
        }
        tolerated.nans++;
      }
      ourLog.length = 0;
      v8Log.length = 0;
      const so = snapshotOurs(ours), sv = snapshotV8(v8, m);
      for (let i = 0; i < Math.max(so.length, sv.length); i++) {
        const o = so[i], v = sv[i];
        if (o === v) continue;
        // Float globals can hold NaNs whose payload only we can see: compare by class unless exact.
        if (!options.exactState && o?.endsWith('nan') && v?.endsWith('nan')) continue;
        return diverge('state', o ?? '(none)', v ?? '(none)');
      }
      if (options.exactState) {
        const md = memoryDiff(ours, v8, m, tolerated);
        if (md) return diverge('memory', md.ours, md.v8);
      }
    }
  }
  return { calls, stops, openNaNs, nanDifferences: tolerated.nans };
}
