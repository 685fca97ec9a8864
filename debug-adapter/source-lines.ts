// The two-way map between a text document (the user's .wat, or the text generated for a .wasm)
// and instruction locations (function index, absolute byte offset). Everything the adapter shows
// or accepts as a line goes through here: breakpoint placement, stack-frame locations, line
// stepping, disassembly locations.
//
// Lines and columns are 0-based here (as the text front end and the printer produce them); the
// session converts at the DAP boundary according to the client's `linesStartAt1`/`columnsStartAt1`.

export interface LineEntry {
  offset: number;
  funcIndex: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface FunctionExtent {
  funcIndex: number;
  /** Text lines of the whole function form. */
  startLine: number;
  endLine: number;
  /** Absolute byte offsets of its first instruction and just past its body. */
  codeStart: number;
  end: number;
}

export interface Placement {
  entry: LineEntry;
  /** True when the requested line/column held no instruction and the nearest one was chosen. */
  moved: boolean;
}

/** The line questions a document provider asks (SourceLines, or PrintedLines for a .wasm). */
export interface LineTable {
  locate(offset: number): LineEntry | undefined;
  functionAt(offset: number): FunctionExtent | undefined;
  onLine(line: number): readonly LineEntry[];
  linesWithCode(startLine: number, endLine: number): number[];
  place(line: number, column?: number): Placement | undefined;
}

export class SourceLines implements LineTable {
  /** Sorted by offset. */
  readonly entries: readonly LineEntry[];
  private readonly byLine = new Map<number, LineEntry[]>();
  private readonly sortedLines: number[];

  constructor(entries: LineEntry[], readonly functions: readonly FunctionExtent[]) {
    // Tables of hundreds of thousands of entries (a printed 1 MB module) arrive already in order:
    // sorting only what is out of order keeps building them linear.
    const mapped = entries.filter((e) => e.funcIndex >= 0);
    if (!isSorted(mapped, (a, b) => a.offset - b.offset)) mapped.sort((a, b) => a.offset - b.offset);
    this.entries = mapped;
    for (const e of this.entries) {
      const list = this.byLine.get(e.line);
      if (list) list.push(e); else this.byLine.set(e.line, [e]);
    }
    const byColumn = (a: LineEntry, b: LineEntry): number => a.column - b.column || a.offset - b.offset;
    for (const list of this.byLine.values()) if (list.length > 1 && !isSorted(list, byColumn)) list.sort(byColumn);
    const lines = [...this.byLine.keys()];
    if (!isSorted(lines, (a, b) => a - b)) lines.sort((a, b) => a - b);
    this.sortedLines = lines;
  }

  /** The entry of the instruction at `offset`, or the closest one before it in the same function. */
  locate(offset: number): LineEntry | undefined {
    const list = this.entries;
    let lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.offset <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    if (found < 0) return undefined;
    const entry = list[found]!;
    const fn = this.functionAt(offset);
    if (fn && entry.funcIndex !== fn.funcIndex) {
      // An offset with no entry of its own (e.g. a function's implicit final `end`): fall back to
      // the function's last mapped instruction rather than another function's.
      return list.slice(0, found + 1).reverse().find((e) => e.funcIndex === fn.funcIndex);
    }
    return entry;
  }

  functionAt(offset: number): FunctionExtent | undefined {
    return this.functions.find((f) => offset >= f.codeStart && offset < f.end);
  }

  functionByIndex(funcIndex: number): FunctionExtent | undefined {
    return this.functions.find((f) => f.funcIndex === funcIndex);
  }

  /** Instructions whose text starts on `line`, left to right. */
  onLine(line: number): readonly LineEntry[] {
    return this.byLine.get(line) ?? [];
  }

  /** Lines that hold at least one instruction, in [startLine, endLine]. */
  linesWithCode(startLine: number, endLine: number): number[] {
    return this.sortedLines.filter((l) => l >= startLine && l <= endLine);
  }

  /**
   * Where a breakpoint on (line, column?) goes: the instruction at that column (or the first on the
   * line), else the first instruction on the nearest following line with code inside the same
   * function, else the nearest preceding one. Undefined when the document has no code near it.
   */
  place(line: number, column?: number): Placement | undefined {
    const here = this.onLine(line);
    if (here.length > 0) {
      // Folded forms run inside-out: the line's first executed instruction is its lowest offset.
      if (column === undefined) return { entry: firstExecuted(here), moved: false };
      const containing = here.filter((e) => e.column <= column && (e.endLine > line || e.endColumn > column));
      // Nested (folded) forms contain each other: the innermost is the one starting last.
      if (containing.length > 0) return { entry: containing[containing.length - 1]!, moved: false };
      const after = here.find((e) => e.column >= column);
      return after ? { entry: after, moved: after.column !== column } : { entry: here[here.length - 1]!, moved: true };
    }
    const fn = this.functions.find((f) => line >= f.startLine && line <= f.endLine);
    const lo = fn ? fn.startLine : -Infinity, hi = fn ? fn.endLine : Infinity;
    const candidates = this.sortedLines.filter((l) => l >= lo && l <= hi && this.onLine(l)
      .some((e) => !fn || e.funcIndex === fn.funcIndex));
    const below = candidates.find((l) => l > line);
    const above = [...candidates].reverse().find((l) => l < line);
    const target = below ?? above;
    if (target === undefined) return undefined;
    const entries = this.onLine(target).filter((e) => !fn || e.funcIndex === fn.funcIndex);
    return { entry: firstExecuted(entries), moved: true };
  }

  /** The first mapped instruction of a function (its entry point for function breakpoints). */
  firstOf(funcIndex: number): LineEntry | undefined {
    return this.entries.find((e) => e.funcIndex === funcIndex);
  }
}

function firstExecuted(entries: readonly LineEntry[]): LineEntry {
  return entries.reduce((best, e) => (e.offset < best.offset ? e : best));
}

function isSorted<T>(list: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}
