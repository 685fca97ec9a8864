// Control-flow facts about a function body that code generation and the profiler's counters share:
// which structures branches target, and the counting blocks of the counting tier.
//
// What "executed instructions" means (the profiler's instruction counts): every instruction of the
// spec's abstract syntax that starts executing counts once. `else` and `end` are delimiters of the
// binary format, not instructions, and never count; `loop` counts again on every branch back to it
// (the spec re-executes the loop instruction); a trapping instruction counts, the ones after it do
// not; `call` counts in the caller, the callee's instructions in the callee.
//
// A counting block is a maximal stretch of counted instructions that always executes whole once its
// first one does, barring an exception (a trap, or a callee's exception such as WASI's proc_exit:
// corrected afterwards from the frames it unwound, see counters.ts): so a block ends after every
// branch, `if` and `unreachable`, calls stay inside blocks, and a new block starts wherever
// control can arrive other than by falling through: a targeted `loop` (branched back to), the first
// instruction of each arm of an `if`, and after the `end` of an `if` or of a targeted block. Block 0
// is the function's entry (counted, when it is, on its first instruction's line), so its count is also
// the function's call count (instruction 0 is never a branch target, except as a targeted `loop`,
// which then starts block 1 and leaves block 0 empty).
//
// Not every block has a counter: the blocks and the control-flow edges between them obey Kirchhoff's
// law (what enters a block leaves it, or an exception stops it), so count-flow.ts counts only
// enough blocks for the rest to follow, and derives the others (calls included) when read.

import type { Instr } from '../wasm/types.js';

// Straight-line runs (the probed tier's unit: one run-flag test per run, see compile.ts).

/** Control instructions: never part of a straight-line run. */
function breaksRun(op: number): boolean {
  return op === 0x00 || (op >= 0x02 && op <= 0x05) || (op >= 0x0b && op <= 0x0f);
}

/**
 * The last instruction of the straight-line run starting at `i`: consecutive non-control
 * instructions, ending after a call (so that a step out of the callee lands on a probed check).
 * A control instruction is a run of its own.
 */
export function runEnd(body: readonly Instr[], i: number): number {
  if (breaksRun(body[i]!.op)) return i;
  let j = i;
  while (j + 1 < body.length && !breaksRun(body[j + 1]!.op) && body[j]!.op !== 0x10 && body[j]!.op !== 0x11) j++;
  return j;
}

/** For each instruction, the index of the first instruction of its run. */
export function runHeads(body: readonly Instr[]): Int32Array {
  const heads = new Int32Array(body.length);
  for (let i = 0; i < body.length;) {
    const last = runEnd(body, i);
    heads.fill(i, i, last + 1);
    i = last + 1;
  }
  return heads;
}

/** 1 at the index of every block/loop/if that some br, br_if or br_table names. */
export function branchTargets(body: readonly Instr[]): Uint8Array {
  const targeted = new Uint8Array(body.length);
  const open: number[] = [];
  const mark = (depth: number): void => {
    const at = open[open.length - 1 - depth];
    if (at !== undefined) targeted[at] = 1;
  };
  for (let i = 0; i < body.length; i++) {
    const ins = body[i]!;
    switch (ins.op) {
      case 0x02: case 0x03: case 0x04: open.push(i); break;
      case 0x0b: open.pop(); break;
      case 0x0c: case 0x0d: mark(ins.index!); break;
      case 0x0e: for (const d of ins.labels ?? []) mark(d); mark(ins.index!); break;
    }
  }
  return targeted;
}

export interface CountingLayout {
  /** Per instruction: the block it starts, or -1 (a targeted `loop` starts the block of its iterations). */
  leaderBlock: Int32Array;
  /** Per instruction: its block, or -1 for `else` and `end`. */
  blockOf: Int32Array;
  /** Counted instructions per block; block 0 is the function entry. */
  lengths: Int32Array;
  /** Control-flow edges between blocks as (from, to) pairs, `to` = EXIT for a return; no duplicates. */
  edges: Int32Array;
  /** Per block: how many targeted loops enclose its first instruction (the cost of counting it). */
  loopDepth: Int32Array;
  /**
   * Per block: 1 if generated code increments its counter (block 0 before instruction 0, a targeted
   * loop's block inside the loop statement, any other before its first instruction). All 1 until
   * the module-wide choice of count-flow.ts replaces it.
   */
  counted: Uint8Array;
}

/** The `to` of an edge that leaves the function (return, or falling off its end). */
export const EXIT = -1;

/** Ends the block it is in: control may branch away instead of falling through. */
function endsBlock(op: number): boolean {
  return op === 0x00 || op === 0x04 || (op >= 0x0c && op <= 0x0f);
}

/**
 * `oneEach`: every counted instruction is a block of its own and nothing is derived: the reference
 * that tests compare the real layout's counts against (same code generator, no merging logic).
 */
export function countingLayout(body: readonly Instr[], oneEach = false): CountingLayout {
  const targeted = branchTargets(body);
  const n = body.length;
  const leaderBlock = new Int32Array(n).fill(-1);
  const blockOf = new Int32Array(n).fill(-1);
  const lengths: number[] = [0];
  const open: { op: number; targeted: boolean }[] = [];
  let current = 0;
  let startNew = false;
  for (let i = 0; i < n; i++) {
    const op = body[i]!.op;
    if (op === 0x05) { startNew = true; continue; } // else: the else arm is entered by the if's jump
    if (op === 0x0b) {
      const closed = open.pop();
      // After an if both arms merge; after a targeted block its branches land here.
      if (closed && (closed.op === 0x04 || (closed.op === 0x02 && closed.targeted))) startNew = true;
      continue;
    }
    if ((op === 0x03 && targeted[i] === 1) || oneEach) startNew = true;
    if (startNew) {
      current = lengths.length;
      lengths.push(0);
      leaderBlock[i] = current;
      startNew = false;
    }
    blockOf[i] = current;
    lengths[current]!++;
    if (op === 0x02 || op === 0x03 || op === 0x04) open.push({ op, targeted: targeted[i] === 1 });
    if (endsBlock(op)) startNew = true;
  }
  const flow = oneEach ? { edges: new Int32Array(0), loopDepth: new Int32Array(lengths.length) }
    : flowEdges(body, targeted, leaderBlock, blockOf, lengths.length);
  return { leaderBlock, blockOf, lengths: Int32Array.from(lengths), ...flow, counted: new Uint8Array(lengths.length).fill(1) };
}

/**
 * The edges between blocks along which control can pass, found by walking the body the way
 * compile.ts generates it (code after an unconditional branch is dead up to its frame's else/end,
 * and nested structures there are skipped whole): fall-through into a block's first instruction,
 * branches (to a loop's block, or to the block after a block's or if's end), both arms of an if,
 * returns. Unreachable code gets no incoming edges, so its blocks derive to zero.
 */
function flowEdges(body: readonly Instr[], targeted: Uint8Array, leaderBlock: Int32Array, blockOf: Int32Array,
  blocks: number): { edges: Int32Array; loopDepth: Int32Array } {
  const n = body.length;
  const endOfElse = new Map<number, number>();
  for (const ins of body) if (ins.op === 0x04 && ins.else !== undefined && ins.else >= 0) endOfElse.set(ins.else, ins.end!);
  /** The block control reaches by falling through from position j (past ends, and from a then arm past its else arm). */
  const reach = (j: number): number => {
    while (j < n) {
      const op = body[j]!.op;
      if (op === 0x0b) j++;
      else if (op === 0x05) j = endOfElse.get(j)! + 1;
      else {
        if (leaderBlock[j]! < 0) throw new Error(`engine: control reaches instruction ${j} without starting a counting block`);
        return leaderBlock[j]!;
      }
    }
    return EXIT;
  };
  const frames: { op: number; at: number; targeted: boolean }[] = [];
  const target = (depth: number): number => {
    const f = frames[frames.length - 1 - depth];
    if (!f) return EXIT; // the function's own label: a return
    return f.op === 0x03 ? leaderBlock[f.at]! : reach(body[f.at]!.end!);
  };
  const seen = new Set<number>();
  const edges: number[] = [];
  const add = (from: number, to: number): void => {
    const key = from * (blocks + 1) + (to + 1);
    if (seen.has(key)) return;
    seen.add(key);
    edges.push(from, to);
  };
  const loopDepth = new Int32Array(blocks);
  let loops = 0;
  let live = true;
  let fallFrom = 0; // the block that falls into the next instruction, or -1
  for (let i = 0; i < n; i++) {
    const ins = body[i]!;
    const op = ins.op;
    if (!live && (op === 0x02 || op === 0x03 || op === 0x04)) { i = ins.end!; continue; }
    if (op === 0x05) {
      // The then arm falls through to after the if; the else arm is entered by the if's false edge.
      if (live && fallFrom >= 0) add(fallFrom, reach(body[frames[frames.length - 1]!.at]!.end!));
      live = true;
      fallFrom = -1;
      continue;
    }
    if (op === 0x0b) {
      const f = frames.pop();
      if (!f) { if (live && fallFrom >= 0) add(fallFrom, EXIT); continue; }
      if (f.op === 0x03 && f.targeted) loops--;
      if (f.op === 0x04 || (f.op === 0x02 && f.targeted)) {
        // A block starts after it; every way in is an explicit edge.
        if (live && fallFrom >= 0) add(fallFrom, reach(i));
        fallFrom = -1;
        live = true;
      }
      continue;
    }
    const leader = leaderBlock[i]!;
    if (leader >= 0) {
      if (fallFrom >= 0) add(fallFrom, leader);
      loopDepth[leader] = loops + (op === 0x03 && targeted[i] === 1 ? 1 : 0);
    }
    const cur = blockOf[i]!;
    fallFrom = live ? cur : -1;
    if (!live) continue;
    switch (op) {
      case 0x00: live = false; fallFrom = -1; break; // unreachable: leaves only by its trap
      case 0x02: case 0x03:
        frames.push({ op, at: i, targeted: targeted[i] === 1 });
        if (op === 0x03 && targeted[i] === 1) loops++;
        break;
      case 0x04:
        add(cur, reach(i + 1));
        add(cur, ins.else !== undefined && ins.else >= 0 ? reach(ins.else + 1) : reach(ins.end!));
        frames.push({ op, at: i, targeted: targeted[i] === 1 });
        fallFrom = -1;
        break;
      case 0x0c: add(cur, target(ins.index!)); live = false; fallFrom = -1; break;
      case 0x0d: add(cur, target(ins.index!)); break;
      case 0x0e:
        for (const d of ins.labels ?? []) add(cur, target(d));
        add(cur, target(ins.index!));
        live = false;
        fallFrom = -1;
        break;
      case 0x0f: add(cur, EXIT); live = false; fallFrom = -1; break;
    }
  }
  return { edges: Int32Array.from(edges), loopDepth };
}
