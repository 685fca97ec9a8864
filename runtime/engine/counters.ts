// Exact execution counts for the profiler (InstanceOptions.counters): the counting tier (fast code
// plus counter increments in some counting blocks, see blocks.ts) writes into a Float64Array per
// defined function; everything else is derived when read (count-flow.ts): the other blocks' counts
// and the call counts of functions only their own instance calls directly follow from Kirchhoff's
// law on the control-flow graph and from the direct call sites (functions the host, tables or
// other instances can enter count their entry block). No clock reads and no calls on the hot path:
// a block's count times its static length gives its instructions, and a direct call to an import
// is inside its block, so that block's count is the call site's count. Only call_indirect that
// lands on a host function calls in here (the callee is known only at run time).
//
// An exception (a trap, or a host function's, e.g. WASI's proc_exit) leaves blocks early; each had
// already counted all its instructions. When it leaves the engine, trap.ts reports every Wasm frame
// it unwound (innermost at the trapping instruction, the others at their calls) to `noteUnwind`,
// which records where the frame stopped (the flow equations need it) and subtracts the rest of its
// block; a frame stopped at its function's entry (stack exhausted) was never entered.

import { countingLayout, type CountingLayout } from './blocks.js';
import { CountFlow, functionsEnteredFromOutside } from './count-flow.js';
import type { WasmFunction } from './externs.js';
import type { Module } from '../wasm/types.js';

/** Calls from a guest function to an import (or to a host function reached through a table). */
export interface ImportCallEdge {
  /** Function index of the calling guest function. */
  caller: number;
  /** Function index of the import in the module, or -1 for a host function the module does not import. */
  importIndex: number;
  /** The host function's own name when importIndex is -1. */
  hostName?: string;
  calls: number;
}

interface Attachment {
  module: Module;
  numImportedFuncs: number;
  /** Function index space of the instance (imports first). */
  functions: readonly WasmFunction[];
}

/** Everything derived from the counters at one moment. */
interface Snapshot {
  blocks: Float64Array[];
  calls: Float64Array;
}

export class ProfileCounters {
  /** Per defined function: executions of each counted block (allocated when first compiled). */
  private readonly counts: (Float64Array | undefined)[] = [];
  private layouts: CountingLayout[] | undefined;
  private flow: CountFlow | undefined;
  /** Per defined function: entries refused by the stack check (call stack exhausted). */
  private refused: Float64Array = new Float64Array(0);
  /** Per defined function: instructions counted by a block but skipped by an exception. */
  private readonly trapSkipped: number[] = [];
  /** (defined function * 2^32 + block) → times an exception left the function in that block. */
  private readonly stopped = new Map<number, number>();
  /** Direct call sites (caller function index * 2^32 + instruction index) an exception skipped before reaching. */
  private readonly skippedSites = new Map<number, number>();
  /** call_indirect into host functions: callee → caller function index → calls. */
  private readonly indirectHost = new Map<WasmFunction, Map<number, number>>();
  private attachment: Attachment | undefined;

  /** `reference`: one counter per instruction, all counted (slow; the oracle for the derived counts). */
  constructor(private readonly reference = false) {}

  /** Binds the counters to the instance being created (one instance per ProfileCounters). */
  attach(module: Module, numImportedFuncs: number, functions: readonly WasmFunction[]): void {
    if (this.attachment) throw new Error('ProfileCounters: already used by another instance');
    this.attachment = { module, numImportedFuncs, functions };
    this.refused = new Float64Array(module.funcs.length);
  }

  private get bound(): Attachment {
    if (!this.attachment) throw new Error('ProfileCounters: not attached to an instance');
    return this.attachment;
  }

  /** Every defined function's layout; the choice of counted blocks is module-wide (calls cross functions). */
  private get allLayouts(): CountingLayout[] {
    if (!this.layouts) {
      const { module, numImportedFuncs } = this.bound;
      const bodies = module.funcs.map((f) => f.body);
      this.layouts = bodies.map((body) => countingLayout(body, this.reference));
      if (!this.reference) {
        this.flow = new CountFlow(this.layouts, bodies, numImportedFuncs, functionsEnteredFromOutside(module, numImportedFuncs));
        this.flow.chooseCounters();
      }
    }
    return this.layouts;
  }

  /** The counting layout of a defined function (code generation and reading share it). */
  layout(defIndex: number): CountingLayout {
    return this.allLayouts[defIndex]!;
  }

  /** The block counters generated code of a defined function increments (`CB`). */
  countsFor(defIndex: number): Float64Array {
    let c = this.counts[defIndex];
    if (!c) {
      c = new Float64Array(this.layout(defIndex).lengths.length);
      this.counts[defIndex] = c;
    }
    return c;
  }

  /** Called by counting code when a call_indirect reaches a host function. */
  hostIndirect(caller: number, callee: WasmFunction): void {
    let byCaller = this.indirectHost.get(callee);
    if (!byCaller) {
      byCaller = new Map();
      this.indirectHost.set(callee, byCaller);
    }
    byCaller.set(caller, (byCaller.get(caller) ?? 0) + 1);
  }

  /** An exception unwound function `funcIndex` at its entry, before its first instruction (stack check). */
  noteEntryUnwind(funcIndex: number): void {
    const def = funcIndex - this.bound.numImportedFuncs;
    if (def >= 0 && def < this.refused.length) this.refused[def]!++;
  }

  /**
   * An exception unwound function `funcIndex` while at the instruction at byte `offset`;
   * `innermost`: no Wasm frame was inside it.
   */
  noteUnwind(funcIndex: number, offset: number, innermost = false): void {
    const { module, numImportedFuncs } = this.bound;
    const def = funcIndex - numImportedFuncs;
    if (this.counts[def] === undefined) return;
    const body = module.funcs[def]!.body;
    const at = instructionAt(body, offset);
    if (at < 0) return; // not an instruction's line (the function's entry is noteEntryUnwind)
    const { blockOf } = this.layout(def);
    const block = blockOf[at]!;
    if (block < 0) return;
    // The innermost frame stopped at a direct call of a defined function: the callee's frame is
    // absent, so the stack ran out before it was entered (V8 checks the stack before building the
    // frame of a function entered through its lazy stub or the interpreter's entry).
    const callee = innermost && body[at]!.op === 0x10 ? body[at]!.index! - numImportedFuncs : -1;
    if (callee >= 0) this.refused[callee]!++;
    const key = def * 2 ** 32 + block;
    this.stopped.set(key, (this.stopped.get(key) ?? 0) + 1);
    let skipped = 0;
    for (let j = at + 1; j < body.length && (blockOf[j] === block || blockOf[j] === -1); j++) {
      if (blockOf[j] !== block) continue;
      skipped++;
      // A direct call the exception skipped (counted by its block) did not happen.
      if (body[j]!.op === 0x10) {
        const site = funcIndex * 2 ** 32 + j;
        this.skippedSites.set(site, (this.skippedSites.get(site) ?? 0) + 1);
      }
    }
    this.trapSkipped[def] = (this.trapSkipped[def] ?? 0) + skipped;
  }

  /** Block and call counts of every defined function, derived from the counters as they are now. */
  private snapshot(): Snapshot {
    const layouts = this.allLayouts;
    if (!this.flow) {
      // Reference layout: every block counted, block 0 (empty, counted before instruction 0) = calls.
      const blocks = layouts.map((l, def) => this.counts[def] ?? new Float64Array(l.lengths.length));
      return { blocks, calls: Float64Array.from(blocks, (b) => b[0] ?? 0) };
    }
    const numImportedFuncs = this.bound.numImportedFuncs;
    return this.flow.solve({
      counter: (def, block) => this.counts[def]?.[block] ?? 0,
      stops: (def, block) => this.stopped.get(def * 2 ** 32 + block) ?? 0,
      refused: (def) => this.refused[def]!,
      skippedCall: (def, instruction) => this.skippedSites.get((numImportedFuncs + def) * 2 ** 32 + instruction) ?? 0,
    });
  }

  /** How many times a defined function was called. */
  calls(funcIndex: number): number {
    return this.snapshot().calls[funcIndex - this.bound.numImportedFuncs] ?? 0;
  }

  /** Wasm instructions a defined function executed (see blocks.ts for what counts). */
  instructions(funcIndex: number): number {
    return this.instructionsIn(this.snapshot(), funcIndex);
  }

  private instructionsIn(snap: Snapshot, funcIndex: number): number {
    const def = funcIndex - this.bound.numImportedFuncs;
    const c = snap.blocks[def];
    if (!c) return 0;
    const { lengths } = this.layout(def);
    let total = 0;
    for (let b = 0; b < c.length; b++) total += c[b]! * lengths[b]!;
    return total - (this.trapSkipped[def] ?? 0);
  }

  /** Calls and instructions of every defined function that was called, read at once. */
  functionCounts(): { funcIndex: number; calls: number; instructions: number }[] {
    const snap = this.snapshot();
    const out: { funcIndex: number; calls: number; instructions: number }[] = [];
    snap.calls.forEach((calls, def) => {
      if (calls === 0) return;
      const funcIndex = this.bound.numImportedFuncs + def;
      out.push({ funcIndex, calls, instructions: this.instructionsIn(snap, funcIndex) });
    });
    return out;
  }

  /** Guest → import call counts, one edge per (caller, callee) pair that was called. */
  importEdges(): ImportCallEdge[] {
    const { module, numImportedFuncs, functions } = this.bound;
    const snap = this.snapshot();
    const byPair = new Map<number, ImportCallEdge>();
    const add = (caller: number, importIndex: number, calls: number, hostName?: string): void => {
      if (calls === 0) return;
      const key = caller * (numImportedFuncs + 1) + importIndex;
      const edge = hostName === undefined ? byPair.get(key) : undefined;
      if (edge) edge.calls += calls;
      else byPair.set(hostName === undefined ? key : -byPair.size - 1, { caller, importIndex, calls, ...(hostName === undefined ? {} : { hostName }) });
    };
    snap.blocks.forEach((c, def) => {
      const body = module.funcs[def]!.body;
      const { blockOf } = this.layout(def);
      const caller = numImportedFuncs + def;
      for (let i = 0; i < body.length; i++) {
        const ins = body[i]!;
        if (ins.op !== 0x10 || ins.index! >= numImportedFuncs || blockOf[i]! < 0) continue;
        add(caller, ins.index!, c[blockOf[i]!]! - (this.skippedSites.get(caller * 2 ** 32 + i) ?? 0));
      }
    });
    for (const [callee, byCaller] of this.indirectHost) {
      const importIndex = functions.indexOf(callee);
      const own = importIndex >= 0 && importIndex < numImportedFuncs;
      for (const [caller, calls] of byCaller) {
        add(caller, own ? importIndex : -1, calls, own ? undefined : callee.host?.name || '(anonymous host function)');
      }
    }
    return [...byPair.values()];
  }
}

/** Index of the instruction starting at byte `offset`, or -1 (offsets increase along the body). */
function instructionAt(body: readonly { offset: number }[], offset: number): number {
  let lo = 0, hi = body.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const o = body[mid]!.offset;
    if (o === offset) return mid;
    if (o < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
