// Grouping while the lexer runs: `(` and `)` rows go into the TokenTable, and each list learns
// where it ends when it closes. Also the recovery rule for a forgotten `)`: a module field keyword
// at the start of a line, at or left of the indentation of the field still open, closes that
// field (one diagnostic), so one missing parenthesis does not swallow the rest of the file.
import type { DiagnosticSink } from './diagnostics.js';
import { TokenKind } from './lexer.js';
import type { TokenTable } from './token-table.js';

/** Ids of `(` and `)` in every TokenTable's strings. */
const PAREN_OPEN = 0, PAREN_CLOSE = 1;

const FIELD_KEYWORDS = new Set(['func', 'global', 'memory', 'table', 'type', 'elem', 'data', 'start', 'export', 'import']);

/** Field keywords that may legitimately appear inside each field (so they never end it). */
const NESTED_FIELDS: Record<string, readonly string[]> = {
  func: ['export', 'import', 'type'], global: ['export', 'import'], memory: ['export', 'import', 'data'],
  table: ['export', 'import', 'elem'], type: ['func'], import: ['func', 'global', 'memory', 'table'],
  export: ['func', 'global', 'memory', 'table'], elem: ['table'], data: ['memory'], start: [],
};

export class ListBuilder {
  /** Rows of the open lists' `(`, outermost first. */
  private readonly open: number[] = [];
  /** Indentation of each open list's line when its `(` starts the line, else -1. */
  private readonly indents: number[] = [];

  constructor(private readonly table: TokenTable) {}

  /**
   * True when the innermost open list has no items yet and its `(` starts a line, three or more
   * levels deep: where recoverFieldStart may apply to the list's head keyword.
   */
  get mayRecoverAtHead(): boolean {
    const top = this.open.length - 1;
    return top >= 2 && this.open[top] === this.table.count - 1 && this.indents[top]! >= 0;
  }

  /** A `(` at `offset`. Its row's `closed` starts at 0 (new rows are zeroed) until close() sets it. */
  openList(offset: number, indent: number): void {
    const row = this.table.push(TokenKind.LParen, offset, offset + 1, PAREN_OPEN);
    this.open.push(row);
    this.indents.push(indent);
  }

  /** A `)` at `offset`; false when no list is open. */
  close(offset: number): boolean {
    const row = this.open.pop();
    if (row === undefined) return false;
    this.indents.pop();
    const t = this.table;
    t.push(TokenKind.RParen, offset, offset + 1, PAREN_CLOSE);
    t.after[row] = t.count;
    t.closed[row] = 1;
    t.ends[row] = offset + 1;
    return true;
  }

  private headOf(level: number): string | undefined {
    const row = this.open[level]! + 1;
    const t = this.table;
    return row < t.count && t.kinds[row] === TokenKind.Keyword ? t.text(row) : undefined;
  }

  /**
   * Called when the newest list gets its head keyword (not yet in the table). A module field
   * keyword starting a line at or left of the indentation of the unclosed field at depth 1
   * (inside the module) ends every list inside the module, reported as a missing `)`.
   */
  recoverFieldStart(keyword: string, prevEnd: number, prevWasOpenString: boolean, sink: DiagnosticSink): void {
    if (this.open.length < 3) return;
    const indent = this.indents[this.indents.length - 1]!;
    if (indent < 0 || !FIELD_KEYWORDS.has(keyword)) return;
    const fieldHead = this.headOf(1);
    if (this.indents[1]! < indent || fieldHead === undefined || !FIELD_KEYWORDS.has(fieldHead)) return;
    if (NESTED_FIELDS[fieldHead]!.includes(keyword)) return;
    // An unterminated string already explains the missing `)`.
    if (!prevWasOpenString) {
      sink.error({ start: prevEnd, end: prevEnd }, 'unclosed-paren',
        `expected \`)\` to close \`(${fieldHead}\` before the next \`(${keyword}\``);
    }
    const t = this.table;
    const newest = this.open.pop()!;
    const newestIndent = this.indents.pop()!;
    // The lists between the module and the new one end just before the new one's `(`.
    while (this.open.length > 1) {
      const row = this.open.pop()!;
      this.indents.pop();
      t.after[row] = newest;
      t.closed[row] = 0;
      t.ends[row] = Math.max(t.ends[row]!, prevEnd);
    }
    this.open.push(newest);
    this.indents.push(newestIndent);
  }

  /** Ends the text: reports lists still open (only the outermost: the rest is the same mistake). */
  finish(textEnd: number, sink: DiagnosticSink): void {
    if (this.open.length === 0) return;
    // An unterminated comment or string already explains why lists are unclosed.
    const explained = sink.items.some((d) => d.code === 'unterminated-comment' || d.code === 'unterminated-string');
    const t = this.table;
    if (!explained) {
      const outer = this.open[0]!;
      sink.error({ start: t.starts[outer]!, end: t.starts[outer]! + 1 }, 'unclosed-paren',
        `\`(${this.headOf(0) ?? ''}\` is never closed: expected \`)\` before the end of the file`);
    }
    while (this.open.length > 0) {
      const row = this.open.pop()!;
      this.indents.pop();
      t.after[row] = t.count;
      t.closed[row] = 0;
      t.ends[row] = Math.max(t.ends[row]!, textEnd);
    }
  }
}
