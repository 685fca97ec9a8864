// The read-only document shown for a .wasm that has no source: the printer's WAT text
// (runtime/text/printer.ts), whose offset map gives every instruction a line, so breakpoints and
// stepping work on it exactly as on a .wat.
import type { Module } from '../runtime/wasm/types.js';
import { printModule } from '../runtime/text/printer.js';
import { printedEntries } from './printed-lines.js';
import { SourceLines, type FunctionExtent, type LineEntry } from './source-lines.js';

export interface Listing {
  text: string;
  entries: LineEntry[];
  functions: FunctionExtent[];
}

export function listModule(m: Module): Listing {
  const printed = printModule(m);
  const entries: LineEntry[] = printedEntries(printed.text.split('\n'), 0, printed.map);
  const base = m.imports.filter((i) => i.desc.kind === 'func').length;
  const functions: FunctionExtent[] = printed.functions.map((f) => {
    const fn = m.funcs[f.funcIndex - base]!;
    return { funcIndex: f.funcIndex, startLine: f.startLine, endLine: f.endLine, codeStart: fn.codeStart, end: fn.end };
  });
  return { text: printed.text, entries, functions };
}

/**
 * A module's whole listing printed on first use, not at launch: printing a 1 MB module takes
 * ~0.25 s and building the whole line table as much again. Only the `source` request needs the
 * whole text (and not its table); the session's line questions go to PrintedLines, which prints
 * one function at a time. `lines` (the whole table) is for callers that want every entry at once.
 */
export class LazyListing {
  private printed?: string;
  private table?: SourceLines;

  constructor(private readonly module: Module) {}

  get text(): string {
    return this.printed ??= printModule(this.module).text;
  }

  get lines(): SourceLines {
    if (!this.table) {
      const listing = listModule(this.module);
      this.printed ??= listing.text;
      this.table = new SourceLines(listing.entries, listing.functions);
    }
    return this.table;
  }
}
