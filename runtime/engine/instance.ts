// Instantiation: import matching (linking), allocation of memories/tables/globals, segment
// initialisation with the 2.0 semantics, lazy compilation of functions, and the start function.
//
// Each function's slot in `env.F` starts as a stub that compiles the function on first call and
// replaces itself, so instantiating a large module costs nothing until its code runs, and a
// function can be swapped for another tier (probed/fast) at any time between calls.

import { LinkError, WasmError } from '../wasm/errors.js';
import { ValType, importCounts, type FuncType, type Instr, type Limits, type Module } from '../wasm/types.js';
import { generateFunction, type CodegenInput } from './compile.js';
import {
  MAX_PAGES, RESULTS, RESULTS_F64, WasmFunction, WasmGlobal, WasmMemory, WasmTable, signatureId,
  type Code, type ExternValue,
} from './externs.js';
import * as N from './numeric.js';
import { makeHostCode, type HostFunction } from './host.js';
import { InstanceRuntime } from './runtime.js';
import { SIMD } from './simd.js';
import { BODY_LINE_BASE, activity, noteUnwound, registerCodeMaps, sourceUrl, translateError, type CodeMapSource } from './trap.js';
import { f64FromBits } from './numeric.js';
import type { ProbeHooks } from './debug-api.js';
import { DebugRuntime } from './debug.js';
import type { ProfileCounters } from './counters.js';
import { demangle } from '../wasm/demangle.js';

export type ImportValue = ExternValue | HostFunction | number | bigint;
export type Imports = Record<string, Record<string, ImportValue | undefined> | undefined>;

/** The debug instance that defines each of its functions (invoke resets its state after a throw). */
export const definingInstance = new WeakMap<WasmFunction, Instance>();

export interface InstanceOptions {
  /** Memory cap in 64 KiB pages for memories this instance defines (default 65536). */
  maxMemoryPages?: number;
  /** Compile in the probed tier and report probe hits and host calls to these hooks. */
  debug?: ProbeHooks;
  /** Only host-call hooks (profiling): functions stay in the fast tier. */
  hostHooks?: Pick<ProbeHooks, 'onHostCall' | 'onHostReturn'>;
  /**
   * Exact call and instruction counts (profiling): functions compile in the counting tier, fast
   * code plus a counter per basic block (see blocks.ts, counters.ts). Not with `debug`.
   */
  counters?: ProfileCounters;
}

/** Everything generated code can reach (bound once per function by its factory). */
export interface CodeEnv {
  R: InstanceRuntime;
  N: typeof N;
  S: typeof SIMD;
  F: Code[];
  FO: WasmFunction[];
  SIG: number[];
  G: WasmGlobal[];
  T: WasmTable[];
  mem0: WasmMemory | undefined;
  RI: unknown[];
  RF: Float64Array;
  P: Uint8Array;
  D: DebugRuntime | undefined;
  /** Present only for the counting tier. */
  PC: ProfileCounters | undefined;
}

export class Instance implements CodeMapSource {
  readonly exports = new Map<string, ExternValue>();
  readonly env: CodeEnv;
  readonly id: number;
  readonly funcTypes: FuncType[];
  readonly numImportedFuncs: number;
  /** Probe sites (1 + instructions of all defined functions); run flags follow at this index. */
  readonly siteCount: number;
  /** Probe site of instruction 0 of each defined function (site 0 is the attention flag). */
  readonly siteBase: readonly number[];
  private readonly codegen: CodegenInput;
  private readonly lineMaps = new Map<number, Int32Array>();
  /** Current tier per defined function (true = probed). */
  private readonly probedTier: boolean[];

  constructor(readonly module: Module, imports: Imports, readonly options: InstanceOptions = {}) {
    const m = module;
    const counts = importCounts(m);
    this.numImportedFuncs = counts.funcs;
    this.id = registerCodeMaps(this);
    this.funcTypes = [];
    const F: Code[] = [];
    const FO: WasmFunction[] = [];
    const G: WasmGlobal[] = [];
    const T: WasmTable[] = [];
    const memories: WasmMemory[] = [];

    // Probe sites: one per instruction of every defined function, numbered module-wide.
    const siteBase: number[] = [];
    let sites = 1; // site 0 is reserved (the session's "attention" flag)
    for (const f of m.funcs) { siteBase.push(sites); sites += f.body.length; }
    this.siteBase = siteBase;
    // Instruction flags [0, sites), then one run flag per site (see compile.ts).
    if (options.counters && options.debug) throw new Error('counters and debug cannot be combined (counting applies to the fast tier)');
    const P = new Uint8Array(options.debug ? new SharedArrayBuffer(2 * sites) : new ArrayBuffer(0));
    this.siteCount = sites;

    const hostHooks = {
      onHostCall: options.debug?.onHostCall?.bind(options.debug) ?? options.hostHooks?.onHostCall?.bind(options.hostHooks),
      onHostReturn: options.debug?.onHostReturn?.bind(options.debug) ?? options.hostHooks?.onHostReturn?.bind(options.hostHooks),
    };
    let importFuncIndex = 0;
    for (const imp of m.imports) {
      const value = imports[imp.module]?.[imp.name];
      if (value === undefined) throw new LinkError(`unknown import: ${imp.module}.${imp.name}`);
      const incompatible = (): never => { throw new LinkError(`incompatible import type: ${imp.module}.${imp.name}`); };
      const d = imp.desc;
      if (d.kind === 'func') {
        const type = m.types[d.typeIndex]!;
        let fo: WasmFunction;
        if (value instanceof WasmFunction) {
          if (value.sig !== signatureId(type)) incompatible();
          fo = value;
          // Forward so a tier swap in the exporting instance is seen here too.
          F.push(forwarder(value));
        } else if (typeof value === 'function') {
          const code = makeHostCode(value, type, importFuncIndex, hostHooks);
          fo = new WasmFunction(type, code, -1, value);
          F.push(code);
        } else fo = incompatible();
        FO.push(fo);
        this.funcTypes.push(type);
        importFuncIndex++;
      } else if (d.kind === 'table') {
        if (!(value instanceof WasmTable) || value.elem !== d.type.elem || !limitsMatch(value.limits, d.type.limits)) incompatible();
        T.push(value as WasmTable);
      } else if (d.kind === 'memory') {
        if (!(value instanceof WasmMemory) || !limitsMatch(value.limits, d.type)) incompatible();
        memories.push(value as WasmMemory);
      } else {
        if (value instanceof WasmGlobal) {
          if (value.type.type !== d.type.type || value.type.mutable !== d.type.mutable) incompatible();
          G.push(value);
        } else if ((typeof value === 'number' || typeof value === 'bigint') && !d.type.mutable) {
          G.push(new WasmGlobal(d.type, hostToInternalGlobal(d.type.type, value)));
        } else incompatible();
      }
    }

    for (const f of m.funcs) this.funcTypes.push(m.types[f.typeIndex]!);
    this.codegen = { module: m, funcTypes: this.funcTypes, numImportedFuncs: counts.funcs, siteBase, runFlagBase: sites, counters: options.counters };
    this.probedTier = m.funcs.map(() => options.debug !== undefined);

    const cap = Math.min(options.maxMemoryPages ?? MAX_PAGES, MAX_PAGES);
    for (const limits of m.memories) {
      if (limits.min > cap) throw new WasmError('exhaustion', `memory of ${limits.min} pages exceeds the cap of ${cap} pages`);
      memories.push(new WasmMemory(limits, cap));
    }
    for (const t of m.tables) T.push(new WasmTable(t.elem, t.limits));

    const RI = RESULTS;
    this.env = {
      R: undefined as unknown as InstanceRuntime, // set just below: the runtime needs the env
      N, S: SIMD, F, FO, SIG: m.types.map(signatureId), G, T, mem0: memories[0], RI, RF: RESULTS_F64, P,
      D: undefined, PC: options.counters,
    };
    options.counters?.attach(m, counts.funcs, FO);
    if (options.counters) activity.unwindNotes = true;
    this.env.R = new InstanceRuntime(this.env, m);
    if (options.debug) this.env.D = new DebugRuntime(this, options.debug);

    for (let k = 0; k < m.funcs.length; k++) {
      const index = counts.funcs + k;
      const stub = this.lazyStub(index);
      F.push(stub);
      const fo = new WasmFunction(this.funcTypes[index]!, stub, index);
      if (options.debug) definingInstance.set(fo, this);
      FO.push(fo);
    }

    // Globals may refer to imported globals and (2.0) to functions via ref.func.
    for (const g of m.globals) G.push(new WasmGlobal(g.type, this.evalConst(g.init)));

    for (const e of m.exports) {
      const value: ExternValue = e.kind === 'func' ? FO[e.index]! : e.kind === 'table' ? T[e.index]!
        : e.kind === 'memory' ? memories[e.index]! : G[e.index]!;
      this.exports.set(e.name, value);
    }

    const R = this.env.R;
    R.elemSegments = m.elems.map((seg) => seg.init.map((expr) => this.evalConst(expr)));
    R.dataSegments = m.datas.map((seg) => seg.bytes);
    try {
      m.elems.forEach((seg, k) => {
        if (seg.mode === 'active') {
          const offset = this.evalConst(seg.offsetExpr!) as number;
          R.tableInit(seg.table, k, offset, 0, seg.init.length, seg.offset);
        }
        if (seg.mode !== 'passive') R.elemDrop(k);
      });
      m.datas.forEach((seg, k) => {
        if (seg.mode === 'active') {
          const offset = this.evalConst(seg.offsetExpr!) as number;
          R.memInit(k, offset, 0, seg.bytes.length, seg.offset);
          R.dataDrop(k);
        }
      });
      if (m.start !== undefined) F[m.start]!();
    } catch (e) {
      const error = translateError(e);
      if (activity.depth === 0) noteUnwound(error);
      throw error;
    }
  }

  private lazyStub(index: number): Code {
    return trampoline(this.funcTypes[index]!.params.length)(() => this.compile(index));
  }

  /** Compiles (or recompiles) a defined function in its current tier and installs it. */
  compile(index: number): Code {
    const def = index - this.numImportedFuncs;
    const probed = this.probedTier[def]!;
    const url = sourceUrl(index, this.id, probed);
    const gen = generateFunction(this.codegen, index, probed, url);
    let code: Code;
    try {
      code = new Function('E', 'K', 'KF', gen.source)(this.env, gen.constants, gen.f64Constants) as Code;
    } catch (e) {
      const location = { funcIndex: index, offset: this.module.funcs[def]!.codeStart };
      if (e instanceof RangeError) {
        // V8's parser recurses per nesting level: more than a thousand or so nested branch targets
        // exhaust it. A shallow function can only have hit the end of a stack its callers used up
        // (a first call deep in a recursion): that stays V8's RangeError, which the call boundary
        // reports as "call stack exhausted".
        if (maxBlockDepth(this.module.funcs[def]!.body) < SHALLOW_NESTING) throw e;
        throw new WasmError('exhaustion', `function ${index} nests branch targets too deeply for the engine`, location);
      }
      throw new WasmError('invalid', `engine: generated code for function ${index} does not compile: ${(e as Error).message}`, location);
    }
    this.lineMaps.set(index * 2 + (probed ? 1 : 0), gen.lineOffsets);
    this.env.F[index] = code;
    this.env.FO[index]!.code = code;
    return code;
  }

  /** Switches a defined function between the fast and probed tiers (effective from its next call). */
  setTier(index: number, probed: boolean): void {
    const def = index - this.numImportedFuncs;
    if (def < 0 || def >= this.module.funcs.length) throw new RangeError(`not a defined function: ${index}`);
    if (probed && !this.env.D) throw new Error('probed tier needs an instance created with the debug option');
    if (this.probedTier[def] === probed) return;
    this.probedTier[def] = probed;
    const stub = this.lazyStub(index);
    this.env.F[index] = stub;
    this.env.FO[index]!.code = stub;
  }

  /** The probe runtime (breakpoints, stepping, pause), present when created with `debug`. */
  get debugger(): DebugRuntime | undefined {
    return this.env.D;
  }

  isProbed(index: number): boolean {
    return this.probedTier[index - this.numImportedFuncs] ?? false;
  }

  offsetAt(funcIndex: number, probed: boolean, line: number): number | undefined {
    const map = this.lineMaps.get(funcIndex * 2 + (probed ? 1 : 0));
    if (!map) return undefined;
    const k = line - BODY_LINE_BASE - 1;
    return map[Math.max(0, Math.min(k, map.length - 1))];
  }

  noteUnwind(funcIndex: number, probed: boolean, line: number, innermost: boolean): void {
    const counters = this.options.counters;
    const map = this.lineMaps.get(funcIndex * 2 + (probed ? 1 : 0));
    // Lines 1-3 (bindings, header, locals) are the function's entry, before any block counted.
    const k = line - BODY_LINE_BASE - 1;
    if (!counters || probed || !map || k >= map.length) return;
    if (k < 3) counters.noteEntryUnwind(funcIndex);
    else counters.noteUnwind(funcIndex, map[k]!, innermost);
  }

  /** The name backtraces show: the name section's, demangled (see runtime/wasm/demangle.ts). */
  funcName(funcIndex: number): string {
    const named = this.module.names.funcs.get(funcIndex);
    return named === undefined ? `$f${funcIndex}` : demangle(named);
  }

  /** Constant expressions (2.0): one value-producing instruction, possibly global.get / ref.func. */
  evalConst(expr: Instr[]): unknown {
    const ins = expr[0];
    if (!ins) throw new WasmError('invalid', 'empty constant expression');
    switch (ins.op) {
      case 0x41: case 0x43: return ins.i32!;
      case 0x42: return ins.i64!;
      case 0x44: return f64FromBits(ins.i64!);
      case 0xd0: return null;
      case 0xd2: return this.env.FO[ins.index!]!;
      case 0x23: return this.env.G[ins.index!]!.value;
      case 0xfd0c: return Uint8Array.from(ins.bytes!);
      default: throw new WasmError('invalid', 'constant expression required', { offset: ins.offset });
    }
  }
}

function forwarder(target: WasmFunction): Code {
  return trampoline(target.type.params.length)(() => target.code);
}

// Trampolines take their arguments as named parameters: a rest-parameter array of doubles would
// quiet signalling-NaN payloads of f64 arguments (V8 stores them in a double-elements array).
const trampolines: ((target: () => Code) => Code)[] = [];
function trampoline(arity: number): (target: () => Code) => Code {
  let make = trampolines[arity];
  if (!make) {
    const params = Array.from({ length: arity }, (_, k) => `a${k}`).join(',');
    make = new Function('target', `return function(${params}){return target()(${params});};`) as (t: () => Code) => Code;
    trampolines[arity] = make;
  }
  return make;
}

/** Spec import matching for limits: at least the minimum, and a maximum no larger than required. */
function limitsMatch(actual: Limits, expected: Limits): boolean {
  if (actual.min < expected.min) return false;
  if (expected.max === undefined) return true;
  return actual.max !== undefined && actual.max <= expected.max;
}

function hostToInternalGlobal(t: ValType, v: number | bigint): unknown {
  switch (t) {
    case ValType.I32: return Number(v) | 0;
    case ValType.I64: return BigInt.asIntN(64, BigInt(v));
    case ValType.F32: return N.fb(Number(v));
    default: return Number(v);
  }
}

/** Nesting V8's parser always handles on a fresh stack (it fails between 1,000 and 2,000). */
const SHALLOW_NESTING = 500;

/** The deepest nesting of block, loop and if in a body. */
function maxBlockDepth(body: readonly Instr[]): number {
  let depth = 0, max = 0;
  for (const instr of body) {
    if (instr.op === 0x02 || instr.op === 0x03 || instr.op === 0x04) max = Math.max(max, ++depth);
    else if (instr.op === 0x0b) depth--;
  }
  return max;
}
