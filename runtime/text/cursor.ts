// A read position inside one list of the concrete tree, with the small vocabulary every parser
// function shares (peek a keyword, expect an id, ...). Errors are thrown as ParseError and caught
// at the nearest recovery point (a module field, or the next list inside an instruction sequence).
import type { Span } from './diagnostics.js';
import { TokenKind, type Token } from './lexer.js';
import { decodeString, LiteralError, parseUnsigned, utf8Name } from './literals.js';
import { headKeyword, isList, type SList, type SNode } from './sexpr.js';
import { ValType, type RefType } from '../wasm/types.js';

export class ParseError extends Error {
  constructor(readonly span: Span, message: string, readonly code = 'syntax-error') {
    super(message);
  }
}

export function describeNode(node: SNode | undefined): string {
  if (node === undefined) return '`)`';
  if (isList(node)) {
    const head = headKeyword(node);
    return head ? `\`(${head}\`` : '`(`';
  }
  if (node.kind === TokenKind.Eof) return 'end of file';
  const text = node.text.length > 40 ? node.text.slice(0, 40) + '…' : node.text;
  return `\`${text}\``;
}

export class Cursor {
  pos = 0;

  constructor(public items: SNode[], public list: SList | undefined) {}

  /** Points a cursor at another list (folded instructions reuse one cursor per nesting depth). */
  reset(items: SNode[], list: SList | undefined, pos: number): this {
    this.items = items;
    this.list = list;
    this.pos = pos;
    return this;
  }

  get atEnd(): boolean {
    return this.pos >= this.items.length;
  }

  peek(offset = 0): SNode | undefined {
    return this.items[this.pos + offset];
  }

  next(): SNode | undefined {
    return this.items[this.pos++];
  }

  /** Span to blame when something is missing: the next item, or the list's closing paren. */
  hereSpan(): Span {
    const node = this.items[this.pos];
    if (node) return { start: node.start, end: node.end };
    if (this.list?.closed) return { start: this.list.end - 1, end: this.list.end };
    const end = this.list ? this.list.end : 0;
    return { start: end, end };
  }

  fail(what: string): never {
    throw new ParseError(this.hereSpan(), `expected ${what} but found ${describeNode(this.peek())}`, 'unexpected-token');
  }

  peekToken(kind: TokenKind): Token | undefined {
    const node = this.items[this.pos];
    return node && !isList(node) && node.kind === kind ? node : undefined;
  }

  peekKeyword(word?: string): Token | undefined {
    const t = this.peekToken(TokenKind.Keyword);
    return t && (word === undefined || t.text === word) ? t : undefined;
  }

  /** The head keyword of the next item when it is a list. */
  peekListHead(): string | undefined {
    return headKeyword(this.items[this.pos]);
  }

  takeKeyword(word: string): Token | undefined {
    const t = this.peekKeyword(word);
    if (t) this.pos++;
    return t;
  }

  expectKeyword(word: string): Token {
    return this.takeKeyword(word) ?? this.fail(`\`${word}\``);
  }

  takeId(): Token | undefined {
    const t = this.peekToken(TokenKind.Id);
    if (t) this.pos++;
    return t;
  }

  takeString(): Token | undefined {
    const t = this.peekToken(TokenKind.String);
    if (t) this.pos++;
    return t;
  }

  expectString(what = 'a string'): Uint8Array {
    const t = this.takeString() ?? this.fail(what);
    const { bytes, error } = decodeString(t.text);
    if (error) throw new ParseError(t, error, 'bad-string');
    return bytes;
  }

  expectName(what = 'a name string'): { name: string; span: Span } {
    const t = this.peekToken(TokenKind.String) ?? this.fail(what);
    const bytes = this.expectString(what);
    const name = utf8Name(bytes);
    if (name === undefined) throw new ParseError(t, 'malformed UTF-8 encoding in name', 'bad-string');
    return { name, span: t };
  }

  expectNumberToken(what: string): Token {
    return this.peekToken(TokenKind.Number) ?? this.fail(what);
  }

  expectU32(what = 'an unsigned integer'): number {
    const t = this.expectNumberToken(what);
    this.pos++;
    try {
      return Number(parseUnsigned(t.text, 32));
    } catch (e) {
      if (e instanceof LiteralError) throw new ParseError(t, e.message, 'bad-number');
      throw e;
    }
  }

  /** Opens the next item as a list with the given head keyword, returning a cursor after the head. */
  enterList(word: string): Cursor {
    const node = this.items[this.pos];
    if (headKeyword(node) !== word) this.fail(`\`(${word}\``);
    this.pos++;
    const list = node as SList;
    const inner = new Cursor(list.items, list);
    inner.pos = 1;
    return inner;
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
  const t = c.peekToken(TokenKind.Keyword);
  const v = t ? valTypeByName(t.text) : undefined;
  if (v !== undefined) c.pos++;
  return v;
}

export function expectValType(c: Cursor): ValType {
  return takeValType(c) ?? c.fail('a value type (i32, i64, f32, f64, v128, funcref, externref)');
}

export function expectRefType(c: Cursor): RefType {
  const t = c.peekToken(TokenKind.Keyword);
  if (t?.text === 'funcref') { c.pos++; return ValType.FuncRef; }
  if (t?.text === 'externref') { c.pos++; return ValType.ExternRef; }
  return c.fail('a reference type (funcref or externref)');
}

/** `func` / `extern` after ref.null. */
export function expectHeapType(c: Cursor): RefType {
  const t = c.peekToken(TokenKind.Keyword);
  if (t?.text === 'func') { c.pos++; return ValType.FuncRef; }
  if (t?.text === 'extern') { c.pos++; return ValType.ExternRef; }
  return c.fail('a heap type (func or extern)');
}
