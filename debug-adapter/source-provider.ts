// The seam between code locations (function index, absolute byte offset) and the documents a
// person steps through. The adapter asks only this interface where a breakpoint goes, which line
// an instruction is on, and what a line step is; a WAT program has one document (its text), a
// .wasm without source one generated document, and a module with DWARF (debug-adapter/dwarf/)
// can provide its C/C++/Rust files through the same interface.
//
// Lines and columns are 0-based. Lookups are async because a symbol engine (DWARF) may answer
// them from another thread.
import type { FunctionExtent, LineEntry, LineTable } from './source-lines.js';

export interface SourceDocument {
  /** Stable key within a session: the file path, or `ref:N` for generated documents. */
  id: string;
  name: string;
  /** On-disk path of a real file. */
  path?: string;
  /** > 0 for documents served by the DAP `source` request (with `text`). */
  sourceReference?: number;
  text?: string;
}

export interface CodeLocation {
  document: SourceDocument;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** The instruction this location was found for (placement) or contains (lookup). */
  offset: number;
  funcIndex: number;
}

export interface Placement {
  location: CodeLocation;
  /** True when the requested line/column held no instruction and the nearest one was chosen. */
  moved: boolean;
}

export interface SourceProvider {
  documents(): readonly SourceDocument[];
  /** The document a DAP Source names (by path or sourceReference), if it belongs to the program. */
  find(source: { path?: string; sourceReference?: number }): SourceDocument | undefined;
  /** Where a breakpoint on (line, column?) of a document goes. */
  place(document: SourceDocument, line: number, column?: number): Promise<Placement | undefined>;
  /** The source location of the instruction at `offset` (or the closest mapped one before it). */
  locate(offset: number): Promise<CodeLocation | undefined>;
  /**
   * Where a function breakpoint on the function whose first instruction is at `firstOffset`
   * stops: past its prologue where the source knows one (DWARF), so parameters already hold their
   * values. Providers without that knowledge leave it out (the first instruction is used).
   */
  functionEntry?(firstOffset: number): Promise<number | undefined>;
  /** Positions that can hold a breakpoint in [startLine, endLine] of a document. */
  positions(document: SourceDocument, startLine: number, endLine: number): Promise<{ line: number; column: number }[]>;
}

/** A program shown as one text document mapped by a SourceLines table (a .wat, or printed .wasm). */
export class SingleDocumentProvider implements SourceProvider {
  constructor(private readonly document: SourceDocument, readonly lines: LineTable) {}

  documents(): readonly SourceDocument[] {
    return [this.document];
  }

  find(source: { path?: string; sourceReference?: number }): SourceDocument | undefined {
    const d = this.document;
    if (d.sourceReference !== undefined && source.sourceReference === d.sourceReference) return d;
    if (d.path !== undefined && source.path === d.path) return d;
    return undefined;
  }

  private at(entry: LineEntry): CodeLocation {
    return { document: this.document, line: entry.line, column: entry.column, endLine: entry.endLine,
      endColumn: entry.endColumn, offset: entry.offset, funcIndex: entry.funcIndex };
  }

  async place(document: SourceDocument, line: number, column?: number): Promise<Placement | undefined> {
    if (document.id !== this.document.id) return undefined;
    const p = this.lines.place(line, column);
    return p ? { location: this.at(p.entry), moved: p.moved } : undefined;
  }

  async locate(offset: number): Promise<CodeLocation | undefined> {
    const entry = this.lines.locate(offset);
    return entry ? this.at(entry) : undefined;
  }

  async positions(document: SourceDocument, startLine: number, endLine: number): Promise<{ line: number; column: number }[]> {
    if (document.id !== this.document.id) return [];
    return this.lines.linesWithCode(startLine, endLine)
      .flatMap((line) => this.lines.onLine(line).map((e) => ({ line: e.line, column: e.column })));
  }

  functionAt(offset: number): FunctionExtent | undefined {
    return this.lines.functionAt(offset);
  }
}

/**
 * Several providers as one: documents of all, placement by the document's owner, and locations
 * from the first provider that maps an offset — e.g. C sources from DWARF first, then the printed
 * .wasm for code the DWARF does not cover (libc without debug info).
 */
export class CompositeProvider implements SourceProvider {
  constructor(private readonly providers: readonly SourceProvider[]) {}

  documents(): readonly SourceDocument[] {
    return this.providers.flatMap((p) => p.documents());
  }

  private owner(document: SourceDocument): SourceProvider | undefined {
    return this.providers.find((p) => p.documents().some((d) => d.id === document.id));
  }

  find(source: { path?: string; sourceReference?: number }): SourceDocument | undefined {
    for (const p of this.providers) {
      const d = p.find(source);
      if (d) return d;
    }
    return undefined;
  }

  async place(document: SourceDocument, line: number, column?: number): Promise<Placement | undefined> {
    return this.owner(document)?.place(document, line, column);
  }

  async locate(offset: number): Promise<CodeLocation | undefined> {
    for (const p of this.providers) {
      const at = await p.locate(offset);
      if (at) return at;
    }
    return undefined;
  }

  async positions(document: SourceDocument, startLine: number, endLine: number): Promise<{ line: number; column: number }[]> {
    return (await this.owner(document)?.positions(document, startLine, endLine)) ?? [];
  }

  /** The first provider that knows the function's prologue decides. */
  async functionEntry(firstOffset: number): Promise<number | undefined> {
    for (const p of this.providers) {
      const at = await p.functionEntry?.(firstOffset);
      if (at !== undefined) return at;
    }
    return undefined;
  }
}
