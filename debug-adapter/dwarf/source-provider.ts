// The adapter's SourceProvider seam (../source-provider.ts) for a module with DWARF: its C, C++
// and Rust files are the documents. Code the DWARF has no line for (functions compiled without
// -g, runtime glue) and code whose source file is not on this machine is not located here: it
// belongs to the fallback provider (the Wasm disassembly) — passed in, or put after this one in
// a CompositeProvider — so every location still shows something real.
import { existsSync } from 'node:fs';
import { basename, normalize } from 'node:path';
import type { CodeLocation, Placement, SourceDocument, SourceProvider } from '../source-provider.js';
import { functionContaining } from './code-layout.js';
import type { DwarfInfo } from './dwarf-info.js';
import type { LineSpan } from './line-table.js';

export interface DwarfSourceOptions {
  /** Whether a source file is on this machine (default: it exists on disk). */
  exists?: (path: string) => boolean;
}

export class DwarfSourceProvider implements SourceProvider {
  private readonly docs = new Map<string, SourceDocument>();
  private readonly exists: (path: string) => boolean;

  constructor(private readonly dwarf: DwarfInfo, private readonly fallback?: SourceProvider,
    options: DwarfSourceOptions = {}) {
    this.exists = options.exists ?? existsSync;
    for (const file of dwarf.lines.files()) {
      if (this.exists(file)) this.docs.set(file, { id: file, name: basename(file), path: file });
    }
  }

  /** The program's source files that are on this machine, then the fallback's documents. */
  documents(): readonly SourceDocument[] {
    return [...this.docs.values(), ...(this.fallback?.documents() ?? [])];
  }

  find(source: { path?: string; sourceReference?: number }): SourceDocument | undefined {
    if (source.path !== undefined) {
      const doc = this.docs.get(source.path) ?? this.docs.get(normalize(source.path));
      if (doc) return doc;
    }
    return this.fallback?.find(source);
  }

  async place(document: SourceDocument, line: number, column?: number): Promise<Placement | undefined> {
    if (!this.docs.has(document.id)) return this.fallback?.place(document, line, column);
    const [first] = this.dwarf.breakpointLocations(document.id, line, column);
    if (!first) return undefined;
    const span = this.dwarf.spanAt(first.offset);
    return {
      location: this.location(document, first.offset, first.funcIndex, span, first.line, first.column),
      moved: first.line !== line || (column !== undefined && first.column !== column),
    };
  }

  async functionEntry(firstOffset: number): Promise<number | undefined> {
    const span = this.dwarf.spanAt(firstOffset);
    if (!span || !this.docs.has(span.file)) return this.fallback?.functionEntry?.(firstOffset);
    return this.dwarf.bodyStart(firstOffset);
  }

  async locate(offset: number): Promise<CodeLocation | undefined> {
    const span = this.dwarf.spanAt(offset) ?? this.previousInFunction(offset);
    const doc = span ? this.docs.get(span.file) : undefined;
    const fn = functionContaining(this.dwarf.module, offset);
    if (!span || !doc || !fn) return this.fallback?.locate(offset);
    return this.location(doc, offset, fn.funcIndex, span, span.line, span.column);
  }

  async positions(document: SourceDocument, startLine: number, endLine: number): Promise<{ line: number; column: number }[]> {
    if (!this.docs.has(document.id)) return this.fallback?.positions(document, startLine, endLine) ?? [];
    const out: { line: number; column: number }[] = [];
    for (const line of this.dwarf.mappedLines(document.id)) {
      if (line < startLine || line > endLine) continue;
      const columns = new Set(this.dwarf.breakpointLocations(document.id, line).map((l) => l.column));
      for (const column of [...columns].sort((a, b) => a - b)) out.push({ line, column });
    }
    return out;
  }

  private location(document: SourceDocument, offset: number, funcIndex: number, span: LineSpan | undefined,
    line: number, column: number): CodeLocation {
    return { document, line, column, endLine: line, endColumn: span && span.line === line ? span.column : column,
      offset, funcIndex };
  }

  /**
   * Code with no line of its own (DWARF line 0: compiler-generated code between statements) in a
   * function that has lines belongs to the statement before it, so a line step never stops there
   * and a stack frame never jumps to the disassembly.
   */
  private previousInFunction(offset: number): LineSpan | undefined {
    const fn = functionContaining(this.dwarf.module, offset);
    if (!fn) return undefined;
    const spans = this.dwarf.lines.spans;
    let lo = 0, hi = spans.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (spans[mid]!.start <= offset) { found = mid; lo = mid + 1; } else hi = mid - 1;
    }
    const span = found >= 0 ? spans[found] : undefined;
    return span && span.start >= fn.func.start ? span : undefined;
  }
}
