// The symbol table of one module: every definition in every index space with all its references.
// The language server answers go-to-definition, find-references and rename from it.
import type { Span } from './diagnostics.js';
import type { IndexSpace } from './ast.js';

export interface SymbolInfo {
  space: IndexSpace;
  index: number;
  /** The `$name`, when the definition has one. */
  name?: string;
  /** Span of the `$name` at the definition, or of the defining form when unnamed. */
  defSpan: Span;
  /** Span of the whole defining form (field, param/local declaration, block instruction). */
  fieldSpan: Span;
  /** Locals and labels: the function (index in the function index space) they belong to. */
  funcIndex?: number;
  /** Every `$name` or numeric reference resolved to this symbol. */
  references: Span[];
}

export interface SymbolReference {
  span: Span;
  symbol: SymbolInfo;
}

export class SymbolTable {
  readonly symbols: SymbolInfo[] = [];
  // Built on first query from the symbols' own reference lists: resolution of a large file then
  // allocates nothing per reference beyond the span it already has.
  private sortedReferences: SymbolReference[] | undefined;

  define(symbol: SymbolInfo): SymbolInfo {
    this.symbols.push(symbol);
    return symbol;
  }

  addReference(span: Span, symbol: SymbolInfo): void {
    symbol.references.push(span);
    this.sortedReferences = undefined;
  }

  /** Every reference of every symbol, in text order. */
  get references(): readonly SymbolReference[] {
    if (!this.sortedReferences) {
      const all: SymbolReference[] = [];
      for (const symbol of this.symbols) for (const span of symbol.references) all.push({ span, symbol });
      all.sort((a, b) => a.span.start - b.span.start);
      this.sortedReferences = all;
    }
    return this.sortedReferences;
  }

  /** All symbols of one index space (locals and labels: of one function). */
  inSpace(space: IndexSpace, funcIndex?: number): SymbolInfo[] {
    return this.symbols.filter((s) => s.space === space && (funcIndex === undefined || s.funcIndex === funcIndex));
  }

  lookup(space: IndexSpace, index: number, funcIndex?: number): SymbolInfo | undefined {
    return this.symbols.find((s) => s.space === space && s.index === index && (funcIndex === undefined || s.funcIndex === funcIndex));
  }

  /** The symbol whose definition name or one of whose references covers `offset` (a string index). */
  symbolAt(offset: number): { symbol: SymbolInfo; isDefinition: boolean; span: Span } | undefined {
    for (const s of this.symbols) {
      if (s.name !== undefined && offset >= s.defSpan.start && offset <= s.defSpan.end) {
        return { symbol: s, isDefinition: true, span: s.defSpan };
      }
    }
    const refs = this.references;
    let lo = 0, hi = refs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = refs[mid]!;
      if (offset < r.span.start) hi = mid - 1;
      else if (offset > r.span.end) lo = mid + 1;
      else return { symbol: r.symbol, isDefinition: false, span: r.span };
    }
    return undefined;
  }
}
