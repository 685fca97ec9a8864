// A read position inside one list of the token table, with the small vocabulary every parser
// function shares (peek a keyword, expect an id, ...). Errors are thrown as ParseError and caught
// at the nearest recovery point (a module field, or the next list inside an instruction sequence).
import type { Span } from './diagnostics.js';
import { TokenKind } from './lexer.js';
import { decodeString, LiteralError, parseUnsigned, utf8Name } from './literals.js';
import type { TokenTable } from './token-table.js';
import { ValType, type RefType } from '../wasm/types.js';

export class ParseError extends Error {
  constructor(readonly span: Span, message: string, readonly code = 'syntax-error') {
    super(message);
  }
}

/** How a diagnostic names an item: `` `(func` `` for a list, the token's text otherwise. */
export function describeItem(t: TokenTable, item: number | undefined): string {
  if (item === undefined) return '`)`';
  if (t.isList(item)) {
    const head = t.head(item);
    return head ? `\`(${head}\`` : '`(`';
  }
  const text = t.text(item);
  return `\`${text.length > 40 ? text.slice(0, 40) + '…' : text}\``;
}

/**
 * A read position among the items of one list (or of the top level) of a TokenTable. Items are
 * rows: a token, or a list's `(` row (skipped whole by `advance`). "No item" is `undefined`.
 */
export class Cursor {
  constructor(
    readonly t: TokenTable,
    /** Row of the next item. */
    public pos: number,
    /** Row just past the last item. */
    public end: number,
    /** Row of the enclosing list's `(`, or -1 at the top level. */
    public list: number,
  ) {}

  /** A cursor on the items of list `row`, after `skip` of them (1: past the head keyword). */
  static inList(t: TokenTable, row: number, skip = 0): Cursor {
    const c = new Cursor(t, row + 1, t.itemsEnd(row), row);
    for (let k = 0; k < skip && !c.atEnd; k++) c.advance();
    return c;
  }

  /** Points this cursor at another list (folded instructions reuse one cursor per nesting depth). */
  reset(row: number): this {
    this.pos = row + 1;
    this.end = this.t.itemsEnd(row);
    this.list = row;
    return this;
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  peek(): number | undefined {
    return this.pos < this.end ? this.pos : undefined;
  }

  /** Moves past the next item. */
  advance(): void {
    this.pos = this.t.next(this.pos);
  }

  /** The next item, moving past it. */
  next(): number | undefined {
    const at = this.peek();
    if (at !== undefined) this.pos = this.t.next(at);
    return at;
  }

  peekIsList(): boolean {
    return this.pos < this.end && this.t.kinds[this.pos] === TokenKind.LParen;
  }

  /** Span to blame when something is missing: the next item, or the list's closing paren. */
  hereSpan(): Span {
    const t = this.t;
    if (this.pos < this.end) {
      return t.isList(this.pos) ? { start: t.starts[this.pos]!, end: t.ends[this.pos]! } : t.span(this.pos);
    }
    if (this.list < 0) return { start: 0, end: 0 };
    const close = t.closeParenSpan(this.list);
    if (close) return close;
    const end = t.ends[this.list]!;
    return { start: end, end };
  }

  fail(what: string): never {
    throw new ParseError(this.hereSpan(), `expected ${what} but found ${describeItem(this.t, this.peek())}`, 'unexpected-token');
  }

  /** The next item when it is a token of `kind`. */
  peekToken(kind: TokenKind): number | undefined {
    return this.pos < this.end && this.t.kinds[this.pos] === kind ? this.pos : undefined;
  }

  peekKeyword(word?: string): number | undefined {
    const at = this.peekToken(TokenKind.Keyword);
    return at !== undefined && (word === undefined || this.t.text(at) === word) ? at : undefined;
  }

  /** The head keyword of the next item when it is a list. */
  peekListHead(): string | undefined {
    return this.pos < this.end ? this.t.head(this.pos) : undefined;
  }

  takeKeyword(word: string): number | undefined {
    const at = this.peekKeyword(word);
    if (at !== undefined) this.pos++;
    return at;
  }

  takeId(): number | undefined {
    const at = this.peekToken(TokenKind.Id);
    if (at !== undefined) this.pos++;
    return at;
  }

  takeString(): number | undefined {
    const at = this.peekToken(TokenKind.String);
    if (at !== undefined) this.pos++;
    return at;
  }

  expectString(what = 'a string'): Uint8Array {
    const at = this.takeString() ?? this.fail(what);
    const { bytes, error } = decodeString(this.t.text(at));
    if (error) throw new ParseError(this.t.span(at), error, 'bad-string');
    return bytes;
  }

  expectName(what = 'a name string'): { name: string; span: Span } {
    const at = this.peekToken(TokenKind.String) ?? this.fail(what);
    const bytes = this.expectString(what);
    const name = utf8Name(bytes);
    if (name === undefined) throw new ParseError(this.t.span(at), 'malformed UTF-8 encoding in name', 'bad-string');
    return { name, span: this.t.span(at) };
  }

  expectNumberToken(what: string): number {
    return this.peekToken(TokenKind.Number) ?? this.fail(what);
  }

  expectU32(what = 'an unsigned integer'): number {
    const at = this.expectNumberToken(what);
    this.pos++;
    try {
      return Number(parseUnsigned(this.t.text(at), 32));
    } catch (e) {
      if (e instanceof LiteralError) throw new ParseError(this.t.span(at), e.message, 'bad-number');
      throw e;
    }
  }

  /** Opens the next item as a list with the given head keyword, returning a cursor after the head. */
  enterList(word: string): Cursor {
    const row = this.pos;
    if (this.pos >= this.end || this.t.head(row) !== word) this.fail(`\`(${word}\``);
    this.pos = this.t.next(row);
    return new Cursor(this.t, row + 2, this.t.itemsEnd(row), row);
  }

  /** Every item must have been consumed. */
  expectEnd(): void {
    if (!this.atEnd) this.fail('`)`');
  }
}

const VALTYPES: Record<string, ValType> = {
  i32: ValType.I32, i64: ValType.I64, f32: ValType.F32, f64: ValType.F64, v128: ValType.V128,
  funcref: ValType.FuncRef, externref: ValType.ExternRef,
};

export function valTypeByName(name: string): ValType | undefined {
  return Object.prototype.hasOwnProperty.call(VALTYPES, name) ? VALTYPES[name] : undefined;
}

export function takeValType(c: Cursor): ValType | undefined {
  const at = c.peekToken(TokenKind.Keyword);
  const v = at !== undefined ? valTypeByName(c.t.text(at)) : undefined;
  if (v !== undefined) c.pos++;
  return v;
}

export function expectValType(c: Cursor): ValType {
  return takeValType(c) ?? c.fail('a value type (i32, i64, f32, f64, v128, funcref, externref)');
}

export function expectRefType(c: Cursor): RefType {
  const at = c.peekToken(TokenKind.Keyword);
  const text = at === undefined ? undefined : c.t.text(at);
  if (text === 'funcref') { c.pos++; return ValType.FuncRef; }
  if (text === 'externref') { c.pos++; return ValType.ExternRef; }
  return c.fail('a reference type (funcref or externref)');
}

/** `func` / `extern` after ref.null. */
export function expectHeapType(c: Cursor): RefType {
  const at = c.peekToken(TokenKind.Keyword);
  const text = at === undefined ? undefined : c.t.text(at);
  if (text === 'func') { c.pos++; return ValType.FuncRef; }
  if (text === 'extern') { c.pos++; return ValType.ExternRef; }
  return c.fail('a heap type (func or extern)');
}
