// Exact execution counts for the profiler (InstanceOptions.counters): the counting tier (fast code
// plus one counter increment per counting block, see blocks.ts) writes into a Float64Array per
// defined function; everything else is derived when read. No clock reads and no calls on the hot
// path: a block's count times its static length gives its instructions, block 0's count is the
// function's call count, and a direct call to an import is the last instruction of its block, so
// that block's count is the call site's count. Only call_indirect that lands on a host function
// calls in here (the callee is known only at run time).
//
// An exception (a trap, or a host function's, e.g. WASI's proc_exit) leaves blocks early; each had
// already counted all its instructions. When it leaves the engine, trap.ts reports every Wasm frame
// it unwound (innermost at the trapping instruction, the others at their calls) to `noteUnwind`,
// which subtracts the rest of each frame's block.

import { countingLayout, type CountingLayout } from './blocks.js';
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

export class ProfileCounters {
  /** Per defined function: executions of each counting block (allocated when first compiled). */
  private readonly counts: (Float64Array | undefined)[] = [];
  private readonly layouts: (CountingLayout | undefined)[] = [];
  /** Per defined function: instructions counted by a block but skipped by a trap. */
  private readonly trapSkipped: number[] = [];
  /** Per defined function: block → times a trap stopped it before the `if` that ends it. */
  private readonly ifsSkipped: (Map<number, number> | undefined)[] = [];
  /** Call sites (caller function index * 2^32 + instruction index) a trap skipped before reaching. */
  private readonly skippedSites = new Map<number, number>();
  /** call_indirect into host functions: callee → caller function index → calls. */
  private readonly indirectHost = new Map<WasmFunction, Map<number, number>>();
  private attachment: Attachment | undefined;

  /** `reference`: one counter per instruction (slow; the oracle for the block layout's counts). */
  constructor(private readonly reference = false) {}

  /** Binds the counters to the instance being created (one instance per ProfileCounters). */
  attach(module: Module, numImportedFuncs: number, functions: readonly WasmFunction[]): void {
    if (this.attachment) throw new Error('ProfileCounters: already used by another instance');
    this.attachment = { module, numImportedFuncs, functions };
  }

  private get bound(): Attachment {
    if (!this.attachment) throw new Error('ProfileCounters: not attached to an instance');
    return this.attachment;
  }

  /** The counting layout of a defined function (cached; code generation and reading share it). */
  layout(defIndex: number): CountingLayout {
    let l = this.layouts[defIndex];
    if (!l) {
      l = countingLayout(this.bound.module.funcs[defIndex]!.body, this.reference);
      this.layouts[defIndex] = l;
    }
    return l;
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

  /** An exception unwound function `funcIndex` while at the instruction at byte `offset`. */
  noteUnwind(funcIndex: number, offset: number): void {
    const { module, numImportedFuncs } = this.bound;
    const def = funcIndex - numImportedFuncs;
    if (this.counts[def] === undefined) return;
    const body = module.funcs[def]!.body;
    const at = instructionAt(body, offset);
    if (at < 0) return; // not inside the body (e.g. a stack overflow at the function's entry)
    const { blockOf } = this.layout(def);
    const block = blockOf[at]!;
    if (block < 0) return;
    let skipped = 0;
    let last = at;
    for (let j = at + 1; j < body.length && (blockOf[j] === block || blockOf[j] === -1); j++) {
      if (blockOf[j] !== block) continue;
      skipped++;
      last = j;
      // A direct import call the exception skipped (counted by its block) did not happen.
      if (body[j]!.op === 0x10 && body[j]!.index! < this.bound.numImportedFuncs) {
        const key = funcIndex * 2 ** 32 + j;
        this.skippedSites.set(key, (this.skippedSites.get(key) ?? 0) + 1);
      }
    }
    this.trapSkipped[def] = (this.trapSkipped[def] ?? 0) + skipped;
    if (last !== at && body[last]!.op === 0x04) {
      const ifs = this.ifsSkipped[def] ?? new Map<number, number>();
      ifs.set(block, (ifs.get(block) ?? 0) + 1);
      this.ifsSkipped[def] = ifs;
    }
  }

  /** Executions of each block of a defined function, else-arm blocks derived (see blocks.ts). */
  private blockCounts(def: number): Float64Array | undefined {
    const raw = this.counts[def];
    if (!raw) return undefined;
    const { ifOf, thenOf } = this.layout(def);
    const c = Float64Array.from(raw);
    const ifs = this.ifsSkipped[def];
    // An if's block precedes its arms, so ascending order has it ready (it may be derived itself).
    for (let b = 0; b < c.length; b++) {
      const ifBlock = ifOf[b]!;
      if (ifBlock >= 0) c[b] = c[ifBlock]! - (ifs?.get(ifBlock) ?? 0) - c[thenOf[b]!]!;
    }
    return c;
  }

  /** How many times a defined function was called. */
  calls(funcIndex: number): number {
    return this.counts[funcIndex - this.bound.numImportedFuncs]?.[0] ?? 0;
  }

  /** Wasm instructions a defined function executed (see blocks.ts for what counts). */
  instructions(funcIndex: number): number {
    const def = funcIndex - this.bound.numImportedFuncs;
    const c = this.blockCounts(def);
    if (!c) return 0;
    const { lengths } = this.layout(def);
    let total = 0;
    for (let b = 0; b < c.length; b++) total += c[b]! * lengths[b]!;
    return total - (this.trapSkipped[def] ?? 0);
  }

  /** Guest → import call counts, one edge per (caller, callee) pair that was called. */
  importEdges(): ImportCallEdge[] {
    const { module, numImportedFuncs, functions } = this.bound;
    const byPair = new Map<number, ImportCallEdge>();
    const add = (caller: number, importIndex: number, calls: number, hostName?: string): void => {
      if (calls === 0) return;
      const key = caller * (numImportedFuncs + 1) + importIndex;
      const edge = hostName === undefined ? byPair.get(key) : undefined;
      if (edge) edge.calls += calls;
      else byPair.set(hostName === undefined ? key : -byPair.size - 1, { caller, importIndex, calls, ...(hostName === undefined ? {} : { hostName }) });
    };
    this.counts.forEach((raw, def) => {
      const c = raw && this.blockCounts(def);
      if (!c) return;
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
