// The symbol table of one module: every definition in every index space with all its references.
// The language server answers go-to-definition, find-references and rename from it.
import type { Span } from './diagnostics.js';
import type { IndexSpace } from './ast.js';
import { widened } from './columns.js';

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
  /** Every `$name` or numeric reference resolved to this symbol, in the order resolution met them. */
  readonly references: Span[];
}

export interface SymbolReference {
  span: Span;
  symbol: SymbolInfo;
}

/** A symbol whose references live in its table's columns until someone asks for them. */
class TableSymbol implements SymbolInfo {
  space: IndexSpace;
  index: number;
  name?: string;
  defSpan: Span;
  fieldSpan: Span;
  funcIndex?: number;

  constructor(private readonly table: SymbolTable, readonly id: number, fields: Omit<SymbolInfo, 'references'>) {
    this.space = fields.space;
    this.index = fields.index;
    this.name = fields.name;
    this.defSpan = fields.defSpan;
    this.fieldSpan = fields.fieldSpan;
    this.funcIndex = fields.funcIndex;
  }

  get references(): Span[] {
    return this.table.referencesOf(this.id);
  }
}

export class SymbolTable {
  readonly symbols: SymbolInfo[] = [];
  // References are recorded as (start, end, symbol id) columns: resolving a large file meets
  // hundreds of thousands of them, and span objects are made only for the queries that need them.
  private refCount = 0;
  private refStarts: Int32Array<ArrayBuffer>;
  private refEnds: Int32Array<ArrayBuffer>;
  private refOwners: Int32Array<ArrayBuffer>;
  private perSymbol: Span[][] | undefined;
  private sortedReferences: SymbolReference[] | undefined;

  /** `referenceCapacity`: the expected number of references (the columns double past it). */
  constructor(referenceCapacity = 256) {
    const size = Math.max(16, referenceCapacity);
    this.refStarts = new Int32Array(size);
    this.refEnds = new Int32Array(size);
    this.refOwners = new Int32Array(size);
  }

  define(fields: Omit<SymbolInfo, 'references'>): SymbolInfo {
    const symbol = new TableSymbol(this, this.symbols.length, fields);
    this.symbols.push(symbol);
    this.perSymbol = undefined;
    this.sortedReferences = undefined;
    return symbol;
  }

  addReference(span: Span, symbol: SymbolInfo): void {
    this.addReferenceAt(span.start, span.end, symbol);
  }

  addReferenceAt(start: number, end: number, symbol: SymbolInfo): void {
    const i = this.refCount;
    if (i === this.refStarts.length) this.grow();
    this.refStarts[i] = start;
    this.refEnds[i] = end;
    this.refOwners[i] = (symbol as TableSymbol).id;
    this.refCount = i + 1;
    this.perSymbol = undefined;
    this.sortedReferences = undefined;
  }

  private grow(): void {
    const size = this.refStarts.length * 2;
    this.refStarts = widened(this.refStarts, size);
    this.refEnds = widened(this.refEnds, size);
    this.refOwners = widened(this.refOwners, size);
  }

  /** The references of symbol `id` (built for every symbol at once, on first use). */
  referencesOf(id: number): Span[] {
    if (!this.perSymbol) {
      const lists: Span[][] = this.symbols.map(() => []);
      for (let i = 0; i < this.refCount; i++) lists[this.refOwners[i]!]!.push({ start: this.refStarts[i]!, end: this.refEnds[i]! });
      this.perSymbol = lists;
    }
    return this.perSymbol[id]!;
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
