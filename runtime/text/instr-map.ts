// The instruction half of the source map, stored in columns: offsets, spans and function indices
// in typed arrays. A 50,000-line module has a quarter of a million instructions; one mapping
// object each was ~12 MB of heap the garbage collector copied on every check, while most checks
// never ask for a mapping at all (checkText looks one up only for an error). `SourceMap.instrs`
// still offers the object view, built on first use.
import { widened } from './columns.js';

/** Instruction mappings sorted by offset, column by column (entry i of each describes one instruction). */
export interface InstrColumns {
  readonly count: number;
  /** Absolute byte offset of each instruction's first byte (only the first `count` are used). */
  readonly offsets: Int32Array;
  /** Function index space index, -1 for constant expressions outside functions. */
  readonly funcIndices: Int32Array;
  /** The instruction's text span: keyword through the last immediate. */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Appends mappings to growable columns; offsets are rebased in place as code is placed. */
export class InstrMapBuilder implements InstrColumns {
  count = 0;
  offsets: Int32Array;
  funcIndices: Int32Array;
  starts: Int32Array;
  ends: Int32Array;

  /** `capacity`: the expected number of mappings (the columns grow past it if needed). */
  constructor(capacity = 1024) {
    const size = Math.max(capacity, 16);
    this.offsets = new Int32Array(size);
    this.funcIndices = new Int32Array(size);
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
  }

  push(offset: number, start: number, end: number, funcIndex: number): void {
    const i = this.count;
    if (i === this.offsets.length) this.grow(i + 1);
    this.offsets[i] = offset;
    this.funcIndices[i] = funcIndex;
    this.starts[i] = start;
    this.ends[i] = end;
    this.count = i + 1;
  }

  /** Adds `base` to the offsets of mappings [from, to) and sets their function index. */
  rebase(from: number, to: number, base: number, funcIndex: number): void {
    const offsets = this.offsets, funcIndices = this.funcIndices;
    for (let i = from; i < to; i++) {
      offsets[i] = offsets[i]! + base;
      funcIndices[i] = funcIndex;
    }
  }

  private grow(needed: number): void {
    let size = this.offsets.length * 2;
    while (size < needed) size *= 2;
    this.offsets = widened(this.offsets, size);
    this.funcIndices = widened(this.funcIndices, size);
    this.starts = widened(this.starts, size);
    this.ends = widened(this.ends, size);
  }

  /** Ends building: sorts by offset (stably) when the mappings were not appended in offset order. */
  finish(): void {
    this.sortByOffset();
  }

  private sortByOffset(): void {
    const n = this.count;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (this.offsets[i - 1]! > this.offsets[i]!) sorted = false;
    if (sorted) return;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => this.offsets[a]! - this.offsets[b]! || a - b);
    const permute = (old: Int32Array): Int32Array => {
      const next = new Int32Array(Math.max(n, 1));
      for (let i = 0; i < n; i++) next[i] = old[order[i]!]!;
      return next;
    };
    this.offsets = permute(this.offsets);
    this.funcIndices = permute(this.funcIndices);
    this.starts = permute(this.starts);
    this.ends = permute(this.ends);
  }
}

/** Index of the greatest offset <= `offset`, or -1. */
export function floorInstr(columns: InstrColumns, offset: number): number {
  const offsets = columns.offsets;
  let lo = 0, hi = columns.count - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
