// The read-only document shown for a .wasm that has no source: the printer's WAT text
// (runtime/text/printer.ts), whose offset map gives every instruction a line, so breakpoints and
// stepping work on it exactly as on a .wat.
import type { Module } from '../runtime/wasm/types.js';
import { printModule } from '../runtime/text/printer.js';
import { SourceLines, type FunctionExtent, type LineEntry } from './source-lines.js';

export interface Listing {
  text: string;
  entries: LineEntry[];
  functions: FunctionExtent[];
}

export function listModule(m: Module): Listing {
  const printed = printModule(m);
  const lines = printed.text.split('\n');
  // The printer puts each instruction on a line of its own (flat style), so an instruction's
  // text ends where its line does.
  const entries: LineEntry[] = printed.map.map((p) => ({
    offset: p.offset, funcIndex: p.funcIndex, line: p.line, column: p.column, endLine: p.line,
    endColumn: Math.max(p.column, (lines[p.line] ?? '').trimEnd().length),
  }));
  const base = m.imports.filter((i) => i.desc.kind === 'func').length;
  const functions: FunctionExtent[] = printed.functions.map((f) => {
    const fn = m.funcs[f.funcIndex - base]!;
    return { funcIndex: f.funcIndex, startLine: f.startLine, endLine: f.endLine, codeStart: fn.codeStart, end: fn.end };
  });
  return { text: printed.text, entries, functions };
}

/**
 * A module's listing printed on first use, not at launch: printing a 1 MB module and building its
 * line table takes ~0.5 s, and a launch to the first stop needs neither (a stop is reported by
 * function and offset; lines are asked for afterwards, by a stack trace or the `source` request).
 */
export class LazyListing {
  private listing?: Listing;
  private table?: SourceLines;

  constructor(private readonly module: Module) {}

  get text(): string {
    return this.print().text;
  }

  get lines(): SourceLines {
    if (!this.table) {
      const listing = this.print();
      this.table = new SourceLines(listing.entries, listing.functions);
    }
    return this.table;
  }

  private print(): Listing {
    return this.listing ??= listModule(this.module);
  }
}
