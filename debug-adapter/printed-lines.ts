// The line table of a printed .wasm, built one function at a time: the layout of the whole
// listing (where each function's lines are) is counted without printing, and a function is
// printed only when a question falls inside it. A stop in a 1 MB module then costs printing one
// function (~0.1 ms) instead of the whole module and its 370,000-entry table (~0.5 s). Answers are
// the same as SourceLines over the full listing (test/debug-adapter/printed-lines.test.ts).
import { functionLayout, functionPrinter, type PrintedFunctionText } from '../runtime/text/printer.js';
import { importCounts, type Module } from '../runtime/wasm/types.js';
import { SourceLines, type FunctionExtent, type LineEntry, type LineTable, type Placement } from './source-lines.js';

/** Line entries of printed text: the printer puts each instruction on a line of its own. */
export function printedEntries(lines: readonly string[], firstLine: number, map: PrintedFunctionText['map']): LineEntry[] {
  return map.map((p) => ({
    offset: p.offset, funcIndex: p.funcIndex, line: p.line, column: p.column, endLine: p.line,
    endColumn: Math.max(p.column, (lines[p.line - firstLine] ?? '').trimEnd().length),
  }));
}

export class PrintedLines implements LineTable {
  /** In code order: ascending codeStart and ascending lines. */
  readonly functions: readonly FunctionExtent[];
  private readonly print: ReturnType<typeof functionPrinter>;
  private readonly tables = new Map<number, SourceLines>();

  constructor(m: Module) {
    const base = importCounts(m).funcs;
    this.functions = functionLayout(m).map((f) => {
      const fn = m.funcs[f.funcIndex - base]!;
      return { funcIndex: f.funcIndex, startLine: f.startLine, endLine: f.endLine, codeStart: fn.codeStart, end: fn.end };
    });
    this.print = functionPrinter(m);
  }

  /** The one-function table of `fn`, printed on first use. */
  private table(fn: FunctionExtent): SourceLines {
    let table = this.tables.get(fn.funcIndex);
    if (!table) {
      const printed = this.print(fn.funcIndex, fn.startLine);
      table = new SourceLines(printedEntries(printed.lines, fn.startLine, printed.map), [fn]);
      this.tables.set(fn.funcIndex, table);
    }
    return table;
  }

  /** Index of the last function whose key is <= value (functions are in ascending order of both keys). */
  private lastAtOrBefore(value: number, key: (f: FunctionExtent) => number): number {
    let lo = 0, hi = this.functions.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (key(this.functions[mid]!) <= value) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  functionAt(offset: number): FunctionExtent | undefined {
    const fn = this.functions[this.lastAtOrBefore(offset, (f) => f.codeStart)];
    return fn && offset < fn.end ? fn : undefined;
  }

  private functionOnLine(line: number): FunctionExtent | undefined {
    const fn = this.functions[this.lastAtOrBefore(line, (f) => f.startLine)];
    return fn && line <= fn.endLine ? fn : undefined;
  }

  locate(offset: number): LineEntry | undefined {
    // Between bodies (a body's size and locals) the closest instruction before is the previous
    // function's last, as in the whole listing's table.
    const fn = this.functions[this.lastAtOrBefore(offset, (f) => f.codeStart)];
    return fn ? this.table(fn).locate(offset) : undefined;
  }

  onLine(line: number): readonly LineEntry[] {
    const fn = this.functionOnLine(line);
    return fn ? this.table(fn).onLine(line) : [];
  }

  linesWithCode(startLine: number, endLine: number): number[] {
    const out: number[] = [];
    for (let i = Math.max(0, this.lastAtOrBefore(startLine, (f) => f.startLine)); i < this.functions.length; i++) {
      const fn = this.functions[i]!;
      if (fn.startLine > endLine) break;
      if (fn.endLine < startLine) continue;
      out.push(...this.table(fn).linesWithCode(startLine, endLine));
    }
    return out;
  }

  place(line: number, column?: number): Placement | undefined {
    const fn = this.functionOnLine(line);
    if (fn) return this.table(fn).place(line, column);
    // Outside every function (module fields): the nearest code line below, else above, as the
    // whole listing's table chooses.
    const before = this.lastAtOrBefore(line, (f) => f.startLine);
    for (let i = before + 1; i < this.functions.length; i++) {
      const first = this.table(this.functions[i]!).entries[0];
      if (first) return { entry: this.firstOnLine(this.functions[i]!, first.line), moved: true };
    }
    for (let i = before; i >= 0; i--) {
      const entries = this.table(this.functions[i]!).entries;
      const last = entries.reduce<LineEntry | undefined>((a, e) => (!a || e.line > a.line ? e : a), undefined);
      if (last) return { entry: this.firstOnLine(this.functions[i]!, last.line), moved: true };
    }
    return undefined;
  }

  /** The first executed instruction on a line of a function. */
  private firstOnLine(fn: FunctionExtent, line: number): LineEntry {
    return this.table(fn).onLine(line).reduce((best, e) => (e.offset < best.offset ? e : best));
  }
}
