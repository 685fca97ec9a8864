// The concrete syntax of a text as flat, parallel arrays: one row per token, parentheses included,
// and for each `(` the row just past its list. The parser walks rows by index, so a 50,000-line
// module costs a handful of typed arrays instead of a million small objects (whose allocation and
// garbage collection were most of the front end's time). The object tree (sexpr.ts) that the
// language server's features walk is built from this on demand.
import type { Span } from './diagnostics.js';
import { TokenKind, type Token } from './lexer.js';
import type { SList, SNode } from './sexpr.js';
import { widened } from './columns.js';

export class TokenTable {
  count = 0;
  kinds: Uint8Array;
  starts: Int32Array;
  /** Past the token; for `(`, past the whole list (its `)`, or where recovery ended it). */
  ends: Int32Array;
  /** Per row: index into `strings` of the token's text (`(` and `)` included). */
  textIds: Int32Array;
  /** Distinct token texts (words are interned: `local.get` is stored once). */
  readonly strings: string[] = ['(', ')'];
  /** For `(`: the row just past the list (after its `)` when closed, else after its last item). */
  after: Int32Array;
  /** For `(`: 1 when the list has its `)`. */
  closed: Uint8Array;
  /** How many rows are keywords (counted by the lexer). */
  keywordCount = 0;
  private tree: SNode[] | undefined;
  /**
   * Per text id, the opcode of the instruction the word names (-1: none; -2: not looked up yet).
   * Kept by the instruction parser, here so that it lives exactly as long as the table.
   */
  opCodes: Int32Array | undefined;

  constructor(capacity = 1024) {
    this.kinds = new Uint8Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
    this.after = new Int32Array(capacity);
    this.closed = new Uint8Array(capacity);
    this.textIds = new Int32Array(capacity);
  }

  /** Adds a text to `strings`, returning its id (the caller interns; this does not). */
  addString(text: string): number {
    this.strings.push(text);
    return this.strings.length - 1;
  }

  push(kind: TokenKind, start: number, end: number, textId: number): number {
    const i = this.count;
    if (i === this.kinds.length) this.grow();
    this.kinds[i] = kind;
    this.starts[i] = start;
    this.ends[i] = end;
    this.textIds[i] = textId;
    this.count = i + 1;
    return i;
  }

  /** How many keyword rows lie in [from, to): exactly, or for a range of most of the text the whole text's count (an upper bound). */
  keywordsIn(from: number, to: number): number {
    // Most of the text (a .wat file's module): the lexer's count for the whole text, without a pass
    // over a million rows.
    if (to - from > this.count / 2) return this.keywordCount;
    let n = 0;
    for (let i = from; i < to; i++) if (this.kinds[i] === TokenKind.Keyword) n++;
    return n;
  }

  /** The text of row `i`. */
  text(i: number): string {
    return this.strings[this.textIds[i]!]!;
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    this.kinds = widened(this.kinds, size);
    this.starts = widened(this.starts, size);
    this.ends = widened(this.ends, size);
    this.after = widened(this.after, size);
    this.closed = widened(this.closed, size);
    this.textIds = widened(this.textIds, size);
  }

  isList(i: number): boolean {
    return this.kinds[i] === TokenKind.LParen;
  }

  /** The row of the next item after item `i` (skipping a list whole). */
  next(i: number): number {
    return this.kinds[i] === TokenKind.LParen ? this.after[i]! : i + 1;
  }

  /** The row just past list `i`'s last item (its `)` when it has one). */
  itemsEnd(i: number): number {
    return this.closed[i] === 1 ? this.after[i]! - 1 : this.after[i]!;
  }

  /** The keyword at the head of list `i` (`func` for `(func ...)`), if any. */
  head(i: number): string | undefined {
    if (this.kinds[i] !== TokenKind.LParen) return undefined;
    const first = i + 1;
    return first < this.itemsEnd(i) && this.kinds[first] === TokenKind.Keyword ? this.text(first) : undefined;
  }

  span(i: number): Span {
    return { start: this.starts[i]!, end: this.ends[i]! };
  }

  /** The span of list `i`'s `(`. */
  openParenSpan(i: number): Span {
    return { start: this.starts[i]!, end: this.starts[i]! + 1 };
  }

  /** The span of list `i`'s `)`, if it has one. */
  closeParenSpan(i: number): Span | undefined {
    return this.closed[i] === 1 ? { start: this.ends[i]! - 1, end: this.ends[i]! } : undefined;
  }

  private tokenObjects: Token[] | undefined;

  /** Every token in text order, parentheses included, as objects (semantic highlighting, formatting). */
  tokens(): Token[] {
    this.tokenObjects ??= this.buildTokens();
    return this.tokenObjects;
  }

  private buildTokens(): Token[] {
    const out: Token[] = new Array<Token>(this.count);
    for (let i = 0; i < this.count; i++) {
      const kind = this.kinds[i]! as TokenKind;
      const start = this.starts[i]!;
      out[i] = { kind, start, end: kind === TokenKind.LParen ? start + 1 : this.ends[i]!, text: this.text(i) };
    }
    return out;
  }

  /** The object tree of the whole text (built once, on first use). */
  toTree(): SNode[] {
    this.tree ??= this.buildTree();
    return this.tree;
  }

  private buildTree(): SNode[] {
    // The tree shares its token objects with tokens(): features compare them by identity.
    const tokens = this.tokens();
    const top: SNode[] = [];
    // Iterative: lists may nest arbitrarily deep. A frame keeps the enclosing list's state.
    const stack: { items: SNode[]; end: number; resume: number }[] = [];
    let items = top;
    let end = this.count;
    let i = 0;
    for (;;) {
      if (i >= end) {
        const frame = stack.pop();
        if (!frame) break;
        ({ items, end } = frame);
        i = frame.resume;
        continue;
      }
      const kind = this.kinds[i]! as TokenKind;
      if (kind === TokenKind.LParen) {
        const list: SList = { kind: 'list', items: [], start: this.starts[i]!, end: this.ends[i]!, closed: this.closed[i] === 1, index: i };
        items.push(list);
        stack.push({ items, end, resume: this.after[i]! });
        items = list.items;
        end = this.itemsEnd(i);
      } else {
        items.push(tokens[i]!);
      }
      i++;
    }
    return top;
  }
}
