// The probe runtime (`D` in generated code) for instances created with `debug`. Probed-tier code
// keeps a frame's locals and operand stack in two arrays (L, S; see compile.ts), checks `P[site]`
// before every instruction, and on a set flag calls `hit` with both arrays. Around calls it records
// the caller's locals array and the operand stack below the call's arguments (`push`/`pop`), so
// stack views show every probed frame's locals live (a debugger can edit them) and its stack; a
// frame without such a record (fast tier, host) shows its location. The record is one array per
// call that the probed tier made anyway; the stack slots added to it cost nothing measurable
// (fib, sort, hash in the debug tier: within run-to-run noise, ~±2%).
//
// Breakpoints set their site's flag; stepping and pause arm every site, and `hit` decides from
// the call depth whether this site is a stop. Arming is a memset of a SharedArrayBuffer-backed
// byte array, so another thread (the debug session's main thread) can request a pause.

import { ValType } from '../wasm/types.js';
import type { ContinueAction, DebugValue, FrameView, ProbeHooks, ProbeState, StopReason } from './debug-api.js';
import { debugValue, guessType, parseValue, tableElementValue } from './debug-values.js';
import type { Instance } from './instance.js';
import { makeTrap, wasmFramesOf } from './trap.js';
import { runHeads } from './blocks.js';
import { buildContext, type ValidationContext } from '../validate/context.js';
import { validateFunction } from '../validate/function.js';

/** Site 0 of the flag array: set by anyone who wants every site armed (pause request). */
export const ATTENTION_SITE = 0;

interface CallerRecord {
  funcIndex: number;
  /** The frame's locals with a trailing sentinel: its live array (L) or a snapshot. */
  locals: unknown[];
  live: boolean;
  /**
   * The caller's operand stack below the call's arguments, `height` slots: its live array (S), or
   * null when the slots follow the locals in the snapshot (register code).
   */
  stack: unknown[] | null;
  height: number;
}

type StepMode = 'none' | 'in' | 'over' | 'out';

export class DebugRuntime {
  readonly flags: Uint8Array;
  private readonly callers: CallerRecord[] = [];
  /** Site → breakpoint ids. */
  private readonly breakpoints = new Map<number, number[]>();
  private step: StepMode = 'none';
  private stepDepth = 0;
  private stepFrom = -1;
  private nextBreakpointId = 1;

  constructor(private readonly instance: Instance, private readonly hooks: ProbeHooks) {
    this.flags = instance.env.P;
  }

  // ---- called by generated code -----------------------------------------------------------

  push(funcIndex: number, locals: unknown[], live: boolean, stack: unknown[] | null, height: number): void {
    this.callers.push({ funcIndex, locals, live, stack, height });
  }

  pop(): void {
    this.callers.pop();
  }

  /** Probe in array-frame code: `locals` and `stack` are the frame's live arrays. */
  a(site: number, locals: unknown[], stack: unknown[], height: number): void {
    this.hitSite(site, locals, stack, height, true);
  }

  /** Probe in register code: `locals` is a copy; true means "edited, write it back". */
  c(site: number, locals: unknown[], stack: unknown[], height: number): boolean {
    return this.hitSite(site, locals, stack, height, false);
  }

  /** An explicit trap in probed code: report it with the frame's values, then throw it. */
  t(site: number, locals: unknown[], stack: unknown[], height: number, message: string): never {
    if (this.hooks.onTrap) {
      const { funcIndex, instrIndex } = this.locate(site);
      const offset = this.instance.module.funcs[funcIndex - this.instance.numImportedFuncs]!.body[instrIndex]!.offset;
      const state = this.stateView(funcIndex, offset, locals, stack.slice(0, height), () => undefined);
      this.hooks.onTrap({ reason: 'trap', funcIndex, offset, message }, state);
    }
    throw makeTrap(message);
  }

  /** A probe fired before instruction `instrIndex` of `funcIndex` (for clients and tests). */
  hit(funcIndex: number, instrIndex: number, locals: unknown[], stack: unknown[], height: number, live: boolean): boolean {
    return this.hitSite(this.siteOf(funcIndex, instrIndex), locals, stack, height, live);
  }

  private hitSite(site: number, locals: unknown[], stack: unknown[], height: number, live: boolean): boolean {
    const { funcIndex, instrIndex } = this.locate(site);
    const depth = this.callers.length;
    let reason: StopReason | undefined;
    const ids = this.breakpoints.get(site);
    if (ids) reason = 'breakpoint';
    else if (site === this.entrySite) reason = 'entry';
    else if (this.flags[ATTENTION_SITE] !== 0) {
      // Someone (another thread) wants attention: a pause, or a request to serve while running.
      if (this.onAttention && !this.onAttention()) {
        this.rearm();
        return false;
      }
      reason = 'pause';
    } else if (this.step === 'in' && site !== this.stepFrom) reason = 'step';
    else if (this.step === 'over' && depth <= this.stepDepth && site !== this.stepFrom) reason = 'step';
    else if (this.step === 'out' && depth < this.stepDepth) reason = 'step';
    if (reason === undefined) {
      // Armed for a step that does not stop here (a deeper frame during step-over/out).
      if (this.step === 'none') this.flags[site] = 0;
      return false;
    }
    if (reason === 'entry') this.entrySite = -1;
    const offset = this.instance.module.funcs[funcIndex - this.instance.numImportedFuncs]!.body[instrIndex]!.offset;
    let edited = false;
    const state = this.stateView(funcIndex, offset, locals, stack.slice(0, height), () => { edited = true; });
    const action = this.hooks.onProbe?.({ reason, funcIndex, offset, breakpointIds: ids }, state) ?? 'continue';
    this.resume(action, site, depth, funcIndex);
    return edited && !live;
  }

  /**
   * Set by the worker: called when the attention flag is seen; true means "stop here as a pause",
   * false "requests were served, carry on as before".
   */
  onAttention?: () => boolean;
  private entrySite = -1;

  /** Stop with reason 'entry' before the first instruction of this function. */
  stopOnEntry(funcIndex: number): void {
    this.entrySite = this.siteOf(funcIndex, 0);
    this.arm(funcIndex, 0);
  }

  /** Site → flag index of the run containing it (probed code tests that flag once per run). */
  private readonly runFlagOf = new Map<number, number>();
  private readonly heads = new Map<number, Int32Array>();

  /** Arms one instruction: its own flag and its run's flag. */
  private arm(funcIndex: number, instrIndex: number): void {
    const site = this.siteOf(funcIndex, instrIndex);
    let heads = this.heads.get(funcIndex);
    if (!heads) {
      heads = runHeads(this.instance.module.funcs[funcIndex - this.instance.numImportedFuncs]!.body);
      this.heads.set(funcIndex, heads);
    }
    const runFlag = this.instance.siteCount + this.siteOf(funcIndex, heads[instrIndex]!);
    this.runFlagOf.set(site, runFlag);
    this.flags[site] = 1;
    this.flags[runFlag] = 1;
  }

  private rearmSite(site: number): void {
    this.flags[site] = 1;
    const runFlag = this.runFlagOf.get(site);
    if (runFlag !== undefined) this.flags[runFlag] = 1;
  }

  // ---- control ----------------------------------------------------------------------------

  private siteOf(funcIndex: number, instrIndex: number): number {
    return this.instance.siteBase[funcIndex - this.instance.numImportedFuncs]! + instrIndex;
  }

  /** Site → (function, instruction), by binary search over the functions' first sites. */
  private locate(site: number): { funcIndex: number; instrIndex: number } {
    const bases = this.instance.siteBase;
    let lo = 0, hi = bases.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bases[mid]! <= site) lo = mid;
      else hi = mid - 1;
    }
    return { funcIndex: lo + this.instance.numImportedFuncs, instrIndex: site - bases[lo]! };
  }

  /** Arms or disarms every site after a stop, keeping breakpoint sites armed. */
  private resume(action: ContinueAction, site: number, depth: number, funcIndex: number): void {
    this.flags[ATTENTION_SITE] = 0;
    this.stepFrom = site;
    this.stepDepth = depth;
    this.step = action === 'step-in' ? 'in' : action === 'step-over' ? 'over' : action === 'step-out' ? 'out' : 'none';
    // A step can only end in a function that is on the stack now (or, stepping in, at the entry
    // of any function), so only those are armed: stepping over a long call runs it unprobed.
    const onStack = new Set(this.callers.map((c) => c.funcIndex));
    if (this.step !== 'out') onStack.add(funcIndex);
    this.stepFuncs = [...onStack];
    this.rearm();
  }

  /** Functions whose every instruction is armed while a step is in progress. */
  private stepFuncs: number[] = [];

  /** Restores the flags for the current mode (after a stop or an attention flag was served). */
  private rearm(): void {
    this.flags.fill(0);
    if (this.step !== 'none') {
      for (const f of this.stepFuncs) this.armFunction(f);
      if (this.step === 'in') {
        const inst = this.instance;
        for (let def = 0; def < inst.module.funcs.length; def++) this.arm(def + inst.numImportedFuncs, 0);
      }
    }
    for (const s of this.breakpoints.keys()) this.rearmSite(s);
    if (this.entrySite >= 0) this.rearmSite(this.entrySite);
  }

  private armFunction(funcIndex: number): void {
    const inst = this.instance;
    const def = funcIndex - inst.numImportedFuncs;
    const first = inst.siteBase[def]!, count = inst.module.funcs[def]!.body.length;
    this.flags.fill(1, first, first + count);
    this.flags.fill(1, inst.siteCount + first, inst.siteCount + first + count);
  }

  /** Request a stop at the next instruction of any probed function (safe from another thread). */
  requestPause(): void {
    this.flags.fill(1);
  }

  /** Places a breakpoint on the first instruction at or after `offset`; returns its id and site. */
  setBreakpoint(offset: number): { id: number; funcIndex: number; offset: number } | undefined {
    const m = this.instance.module;
    for (let def = 0; def < m.funcs.length; def++) {
      const f = m.funcs[def]!;
      if (offset < f.start || offset >= f.end) continue;
      const k = f.body.findIndex((ins) => ins.offset >= offset);
      if (k < 0) return undefined;
      const funcIndex = def + this.instance.numImportedFuncs;
      const site = this.siteOf(funcIndex, k);
      const id = this.nextBreakpointId++;
      this.breakpoints.set(site, [...(this.breakpoints.get(site) ?? []), id]);
      this.arm(funcIndex, k);
      return { id, funcIndex, offset: f.body[k]!.offset };
    }
    return undefined;
  }

  clearBreakpoints(): void {
    this.breakpoints.clear();
    if (this.flags[ATTENTION_SITE] === 0) this.rearm();
  }

  /** Resets call records after an invocation ends abnormally (a trap unwinds without pops). */
  resetCallers(depth = 0): void {
    this.callers.length = depth;
  }

  get depth(): number {
    return this.callers.length;
  }

  // ---- state views ------------------------------------------------------------------------

  private stateView(funcIndex: number, offset: number, locals: unknown[], stack: unknown[], onEdit: () => void): ProbeState {
    const inst = this.instance;
    const localTypes = (fi: number): ValType[] => {
      const def = fi - inst.numImportedFuncs;
      return [...inst.funcTypes[fi]!.params, ...(inst.module.funcs[def]?.locals ?? [])];
    };
    const frames: FrameView[] = [];
    const topTypes = localTypes(funcIndex);
    const slotTypes = this.stackTypesAt(funcIndex, offset);
    // Live locals arrays per frame (index = frame number), for setLocal.
    const liveLocals: (unknown[] | undefined)[] = [locals];
    const frameTypes: ValType[][] = [topTypes];
    frames.push({
      funcIndex, funcName: inst.funcName(funcIndex), offset,
      locals: topTypes.map((t, k) => debugValue(t, locals[k])),
      stack: stack.map((v, k) => debugValue(slotTypes?.[k] ?? guessType(v), v)),
      localNames: this.localNames(funcIndex),
    });
    const saved = Error.stackTraceLimit;
    Error.stackTraceLimit = 200;
    const js = wasmFramesOf(new Error().stack);
    Error.stackTraceLimit = saved;
    let rec = this.callers.length - 1;
    for (let k = 1; k < js.length; k++) {
      const f = js[k]!;
      const record = rec >= 0 && this.callers[rec]!.funcIndex === f.funcIndex ? this.callers[rec--] : undefined;
      const types = localTypes(f.funcIndex);
      liveLocals.push(record?.live ? record.locals : undefined);
      frameTypes.push(types);
      frames.push({
        funcIndex: f.funcIndex, funcName: f.name, offset: f.offset,
        locals: record ? types.map((t, i) => debugValue(t, record.locals[i])) : undefined,
        ...(record ? { stack: this.callerStack(record, types.length, f.offset) } : {}),
        localNames: this.localNames(f.funcIndex),
      });
    }
    const env = inst.env;
    const memory = (index: number) => {
      if (index !== 0 || !env.mem0) throw new RangeError(`no memory ${index}`);
      return env.mem0;
    };
    return {
      frames,
      globals: () => env.G.map((g, index) => ({
        index, name: inst.module.names.globals.get(index) ?? `$g${index}`, mutable: g.type.mutable,
        value: debugValue(g.type.type, g.value),
      })),
      memories: () => (env.mem0 ? [{ index: 0, byteLength: env.mem0.bytes.length }] : []),
      tables: () => env.T.map((t, index) => ({ index, length: t.length, elem: t.elem === ValType.ExternRef ? 'externref' : 'funcref' })),
      readTable: (index, start, count) => {
        const table = env.T[index];
        if (!table) throw new RangeError(`no table ${index}`);
        const from = Math.max(0, Math.min(Math.trunc(start), table.length));
        const to = Math.min(table.length, from + Math.max(0, Math.trunc(count)));
        const out: DebugValue[] = [];
        for (let k = from; k < to; k++) out.push(tableElementValue(table.elem, table.elements[k], env.FO));
        return out;
      },
      readMemory: (index, address, length) => {
        const bytes = memory(index).bytes;
        const start = Math.max(0, Math.min(address, bytes.length));
        return bytes.slice(start, Math.min(bytes.length, start + length));
      },
      writeMemory: (index, address, data) => {
        const bytes = memory(index).bytes;
        if (address < 0 || address + data.length > bytes.length) throw new RangeError('write outside memory');
        bytes.set(data, address);
      },
      setLocal: (frame, local, text): DebugValue => {
        const live = liveLocals[frame];
        if (!live) throw new Error(`the locals of frame ${frame} cannot be changed here (only the innermost frame's, and those of frames in probed code)`);
        if (frame === 0) onEdit();
        const t = frameTypes[frame]![local];
        if (t === undefined) throw new RangeError(`no local ${local}`);
        live[local] = parseValue(t, text);
        const shown = frames[frame]!.locals;
        if (shown) shown[local] = debugValue(t, live[local]);
        return debugValue(t, live[local]);
      },
      setGlobal: (index, text): DebugValue => {
        const g = env.G[index];
        if (!g) throw new RangeError(`no global ${index}`);
        g.value = parseValue(g.type.type, text);
        return debugValue(g.type.type, g.value);
      },
    };
  }

  /** A caller's operand stack below the arguments of its call at `callOffset`, in static types. */
  private callerStack(record: CallerRecord, localCount: number, callOffset: number): DebugValue[] {
    const values = record.stack ? record.stack.slice(0, record.height) : record.locals.slice(localCount, localCount + record.height);
    // The validator's stack before the call holds these slots first, then the arguments.
    const types = this.stackTypesAt(record.funcIndex, callOffset);
    return values.map((v, k) => debugValue(types?.[k] ?? guessType(v), v));
  }

  private validationContext?: ValidationContext;
  private readonly stackTypes = new Map<number, Map<number, ValType[]>>();

  /**
   * Operand-stack types before the instruction at `offset`, from the one validator's observer
   * (computed once per function on its first stop; generated code does not track slot types).
   */
  private stackTypesAt(funcIndex: number, offset: number): ValType[] | undefined {
    let perOffset = this.stackTypes.get(funcIndex);
    if (!perOffset) {
      perOffset = new Map();
      const inst = this.instance;
      const func = inst.module.funcs[funcIndex - inst.numImportedFuncs]!;
      this.validationContext ??= buildContext(inst.module);
      const map = perOffset;
      try {
        validateFunction(this.validationContext, funcIndex, func, {
          instr: (_f, k, before) => {
            map.set(func.body[k]!.offset, before.map((t) => (t === 'unknown' ? ValType.I32 : t)));
          },
        });
      } catch {
        // The instance was validated; a failure here only loses the types, not the values.
      }
      this.stackTypes.set(funcIndex, perOffset);
    }
    return perOffset.get(offset);
  }

  private localNames(funcIndex: number): Record<number, string> | undefined {
    const names = this.instance.module.names.locals.get(funcIndex);
    return names ? Object.fromEntries(names) : undefined;
  }
}
