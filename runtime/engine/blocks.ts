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
// branch, `if` and `unreachable`, calls stay inside blocks (fib: one increment per call), and a new block
// starts wherever control can arrive other than by falling through: a targeted `loop` (branched
// back to), the first instruction of each arm of an `if`, and after the `end` of an `if` or of a
// targeted block. Block 0 is the function's entry, incremented by the function's prologue, so its
// count is also the function's call count (instruction 0 is never a branch target, except as a
// targeted `loop`, which then starts block 1 and leaves block 0 empty).
//
// The first block of an `else` arm has no counter of its own when the `then` arm's first block does
// (and neither is a loop): it runs as often as the `if` did minus the `then` arm, so its count is
// derived when read (one increment fewer per `if`, which call-heavy code like recursive fib feels).

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
  /**
   * Per instruction: the block whose counter its line increments, or -1. The increment goes before
   * the instruction's code, except for a targeted `loop`, where it goes inside the loop statement
   * (so that every iteration counts it).
   */
  leaderBlock: Int32Array;
  /** Per instruction: its block, or -1 for `else` and `end`. */
  blockOf: Int32Array;
  /** Counted instructions per block; block 0 is the function entry. */
  lengths: Int32Array;
  /**
   * Per block: -1, or for the first block of an else arm the block that ends with its `if`
   * (whose count, less the then arm's, is this block's count: see `thenOf`).
   */
  ifOf: Int32Array;
  /** Per block: for a derived else-arm block, the first block of the then arm; else -1. */
  thenOf: Int32Array;
}

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
  const ifOf = new Int32Array(lengths.length).fill(-1);
  const thenOf = new Int32Array(lengths.length).fill(-1);
  // An arm's first instruction starts a block; a targeted loop's block counts iterations, not entries.
  const armBlock = (i: number): number => (i < n && blockOf[i]! >= 0 && leaderBlock[i]! >= 0 && !(body[i]!.op === 0x03 && targeted[i] === 1)
    ? leaderBlock[i]! : -1);
  for (let i = 0; i < n; i++) {
    const ins = body[i]!;
    if (oneEach || ins.op !== 0x04 || ins.else === undefined || ins.else < 0 || blockOf[i]! < 0) continue;
    const thenBlock = armBlock(i + 1);
    const elseBlock = armBlock(ins.else + 1);
    if (thenBlock < 0 || elseBlock < 0) continue;
    ifOf[elseBlock] = blockOf[i]!;
    thenOf[elseBlock] = thenBlock;
  }
  return { leaderBlock, blockOf, lengths: Int32Array.from(lengths), ifOf, thenOf };
}
