// Tokenizer for the WebAssembly text format (.wat and .wast), fused with grouping: every token,
// parentheses included, becomes one row of a TokenTable (token-table.ts), and each `(` learns
// where its list ends, so the parser never needs an object per token. Repeated words
// (`local.get`, `$x`, `0`) share one interned string. It never fails: malformed input becomes an
// error diagnostic plus the best token it can make. Comments, whitespace and annotations
// `(@name ...)` are skipped but remembered as trivia spans.
import type { DiagnosticSink, Span } from './diagnostics.js';
import { ListBuilder } from './list-builder.js';
import type { SNode } from './sexpr.js';
import { TokenTable } from './token-table.js';

export const enum TokenKind {
  LParen,
  RParen,
  /** Starts with a lowercase letter: `module`, `i32.add`, `offset=4`, `nan:0x1`, `inf`. */
  Keyword,
  /** `$name` (the text keeps the `$`). */
  Id,
  /** Starts with a digit or a sign followed by a digit / `inf` / `nan`. */
  Number,
  String,
  /** Any other run of identifier characters; never valid, reported by the parser. */
  Reserved,
  Eof,
}

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
}

export interface LexResult {
  /** Every token, parentheses included, with each list's extent. */
  tokens: TokenTable;
  /** The concrete tree as objects (top-level lists and atoms), built on first use. */
  readonly tree: SNode[];
  /** Comments and annotations, in order. */
  trivia: (Span & { kind: 'line-comment' | 'block-comment' | 'annotation' })[];
}

/**
 * Gives each distinct short word one id in the table's strings. An open-addressing table in typed
 * arrays. A word of up to 12 characters is its own key: the lexer packs its characters (ASCII,
 * 7 bits each) into three integers while scanning it, so a lookup compares three numbers and never
 * re-reads the text. Longer words are confirmed by comparing characters with the word's first
 * occurrence. Nothing is sliced until a word is new.
 */
class Interner {
  // Assigned by allocate(), which the constructor calls.
  private mask!: number;
  private keys0!: Int32Array;
  private keys1!: Int32Array;
  private keys2!: Int32Array;
  /** Word length per slot; 0 marks an empty slot (words are never empty). */
  private lengths!: Int32Array;
  /** Offset in the text of each entry's first occurrence (for words longer than 12). */
  private starts!: Int32Array;
  private ids!: Int32Array;
  private size = 0;

  constructor(private readonly text: string, private readonly table: TokenTable) {
    // Sized so typical code never rehashes: a rehash replaces the arrays, and V8 then throws away
    // the lexer's optimised code, which had them as constants (a second compile of a cold run).
    let capacity = 1024;
    while (capacity < 65536 && capacity * 512 < text.length) capacity *= 2;
    this.allocate(capacity);
  }

  /** Empty slots for `capacity` (a power of two) entries. */
  private allocate(capacity: number): void {
    this.mask = capacity - 1;
    this.keys0 = new Int32Array(capacity);
    this.keys1 = new Int32Array(capacity);
    this.keys2 = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
    this.size = 0;
  }

  /**
   * The id of the word text[start, end). `k0`..`k2`: its first 12 characters packed by the caller
   * (four per number, 7 bits each, first character highest).
   */
  get(start: number, end: number, k0: number, k1: number, k2: number): number {
    const length = end - start;
    if (length > 24) return this.table.addString(this.text.slice(start, end));
    const mask = this.mask;
    // The step to the next slot runs on every lookup, first step included: a step taken only on a
    // collision would be code V8 has never run when it first optimises the lexer, and the first
    // collision would throw that optimised code away (a cold run then lexes on in the interpreter).
    for (let slot = (slotOf(k0, k1, k2, length) - 1) & mask; ;) {
      slot = (slot + 1) & mask;
      const slotLength = this.lengths[slot]!;
      if (slotLength === 0) break;
      if (slotLength !== length || this.keys0[slot] !== k0 || this.keys1[slot] !== k1 || this.keys2[slot] !== k2) continue;
      if (length <= 12 || this.sameTail(this.starts[slot]!, start, length)) return this.ids[slot]!;
    }
    const id = this.table.addString(this.text.slice(start, end));
    this.insert(k0, k1, k2, length, start, id);
    return id;
  }

  /** Whether the characters after the first 12 of two occurrences agree. */
  private sameTail(a: number, b: number, length: number): boolean {
    const text = this.text;
    for (let k = 12; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
    return true;
  }

  private insert(k0: number, k1: number, k2: number, length: number, start: number, id: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.rehash();
    const mask = this.mask;
    let slot = slotOf(k0, k1, k2, length) & mask;
    while (this.lengths[slot] !== 0) slot = (slot + 1) & mask;
    this.keys0[slot] = k0;
    this.keys1[slot] = k1;
    this.keys2[slot] = k2;
    this.lengths[slot] = length;
    this.starts[slot] = start;
    this.ids[slot] = id;
    this.size++;
  }

  private rehash(): void {
    const { keys0, keys1, keys2, lengths, starts, ids } = this;
    this.allocate((this.mask + 1) * 2);
    for (let i = 0; i < lengths.length; i++) {
      if (lengths[i]! > 0) this.insert(keys0[i]!, keys1[i]!, keys2[i]!, lengths[i]!, starts[i]!, ids[i]!);
    }
  }
}

function slotOf(k0: number, k1: number, k2: number, length: number): number {
  let h = Math.imul(k0, 0x9e3779b1) ^ Math.imul(k1 + length, 0x85ebca77) ^ Math.imul(k2, 0xc2b2ae3d);
  h ^= h >>> 15;
  return h;
}

/** idchar of the spec: printable ASCII except space, quotes, comma, semicolon, brackets. */
const ID_CHAR = new Uint8Array(128);
for (const c of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&'*+-./:<=>?@\\^_`|~") {
  ID_CHAR[c.charCodeAt(0)] = 1;
}

function isIdChar(c: number): boolean {
  return c < 128 && ID_CHAR[c] === 1;
}

export function tokenKindName(kind: TokenKind): string {
  switch (kind) {
    case TokenKind.LParen: return '`(`';
    case TokenKind.RParen: return '`)`';
    case TokenKind.Keyword: return 'keyword';
    case TokenKind.Id: return 'identifier';
    case TokenKind.Number: return 'number';
    case TokenKind.String: return 'string';
    case TokenKind.Reserved: return 'reserved word';
    case TokenKind.Eof: return 'end of file';
  }
}

/** Skips a block comment starting at `at` (pointing at `(;`); returns the index after it. */
function skipBlockComment(text: string, at: number, sink: DiagnosticSink): number {
  const n = text.length;
  let depth = 0;
  let j = at;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 40 /* ( */ && text.charCodeAt(j + 1) === 59 /* ; */) {
      depth++;
      j += 2;
    } else if (c === 59 && text.charCodeAt(j + 1) === 41 /* ) */) {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  sink.error({ start: at, end: at + 2 }, 'unterminated-comment', 'unterminated block comment: `(;` has no matching `;)`');
  return n;
}

/** Skips a string starting at `at` (the opening quote) without diagnostics; returns the index after it. */
function skipStringQuietly(text: string, at: number): number {
  const n = text.length;
  let j = at + 1;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c === 34) return j + 1;
    if (c === 92) j += 2;
    else if (c === 10) return j;
    else j++;
  }
  return n;
}

/** Skips an annotation `(@name ...)` starting at `start`, nested lists, strings and comments included. */
function skipAnnotation(text: string, start: number, sink: DiagnosticSink): number {
  const n = text.length;
  let depth = 0;
  let j = start;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === 40 && text.charCodeAt(j + 1) === 59) { j = skipBlockComment(text, j, sink); continue; }
    if (d === 59 && text.charCodeAt(j + 1) === 59) { while (j < n && text.charCodeAt(j) !== 10) j++; continue; }
    if (d === 34) { j = skipStringQuietly(text, j); continue; }
    if (d === 40) depth++;
    else if (d === 41) {
      depth--;
      if (depth === 0) { j++; break; }
    }
    j++;
  }
  if (depth > 0) sink.error({ start, end: start + 2 }, 'unterminated-annotation', 'unterminated annotation: `(@` has no matching `)`');
  return j;
}

/** Adjacent tokens such as `$l"a"` or `"a""b"` must be separated by whitespace. */
function unseparated(sink: DiagnosticSink, at: number): void {
  sink.error({ start: at, end: at + 1 }, 'unseparated-tokens', 'tokens must be separated by whitespace or parentheses');
}

// The main loop is one function without closures: variables captured by a closure live in a
// heap context, and every character would pay for loading them from there.
export function lex(text: string, sink: DiagnosticSink): LexResult {
  // About one token per five characters in typical code: few or no regrowths. Capped, so a huge
  // text of whitespace or comments does not reserve rows it will never fill (past it, doubling).
  const table = new TokenTable(Math.min(1 << 20, Math.max(1024, text.length >> 2)));
  const lists = new ListBuilder(table);
  let lastEnd = 0;
  let lastWasOpenString = false;
  // What preceded the newest `(`: where a missing `)` would have gone.
  let endBeforeList = 0;
  let openStringBeforeList = false;
  const interner = new Interner(text, table);
  const trivia: LexResult['trivia'] = [];
  const n = text.length;
  let i = 0;
  // Whether only whitespace precedes `i` on its line, and where the line starts.
  let lineStart = 0;
  let blankSoFar = true;
  let keywords = 0;

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 10 || c === 13) {
      i++;
      lineStart = i;
      blankSoFar = true;
      continue;
    }
    if (c === 40 /* ( */) {
      const next = text.charCodeAt(i + 1);
      if (next === 59) {
        const start = i;
        i = skipBlockComment(text, i, sink);
        trivia.push({ start, end: i, kind: 'block-comment' });
        blankSoFar = false; // a list after a comment does not start its line
        continue;
      }
      if (next === 64 /* @ */) {
        // Annotations are tolerated and skipped whole, including nested lists, strings and comments.
        const start = i;
        i = skipAnnotation(text, start, sink);
        trivia.push({ start, end: i, kind: 'annotation' });
        blankSoFar = false;
        continue;
      }
      endBeforeList = lastEnd;
      openStringBeforeList = lastWasOpenString;
      lists.openList(i, blankSoFar ? i - lineStart : -1);
      blankSoFar = false;
      lastEnd = i + 1;
      lastWasOpenString = false;
      i++;
      continue;
    }
    blankSoFar = false;
    if (c === 41) {
      if (!lists.close(i)) sink.error({ start: i, end: i + 1 }, 'unexpected-token', 'unexpected `)` with no matching `(`');
      lastEnd = i + 1;
      lastWasOpenString = false;
      i++;
      continue;
    }
    if (c === 59 /* ; */ && text.charCodeAt(i + 1) === 59) {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 10 && text.charCodeAt(i) !== 13) i++;
      trivia.push({ start, end: i, kind: 'line-comment' });
      continue;
    }
    let kind: TokenKind;
    let start = i;
    let word: number;
    if (c < 128 && ID_CHAR[c] === 1) {
      // The first 12 characters, packed for the interner: four to a number, 7 bits each.
      let k0 = 0, k1 = 0, k2 = 0;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d >= 128 || ID_CHAR[d] !== 1) break;
        const k = i - start;
        if (k < 4) k0 = (k0 << 7) | d;
        else if (k < 8) k1 = (k1 << 7) | d;
        else if (k < 12) k2 = (k2 << 7) | d;
        i++;
      }
      word = interner.get(start, i, k0, k1, k2);
      if (c === 36 /* $ */) kind = i - start > 1 ? TokenKind.Id : TokenKind.Reserved;
      else if (c >= 97 && c <= 122) kind = TokenKind.Keyword;
      else if (c >= 48 && c <= 57) kind = TokenKind.Number;
      else if ((c === 43 || c === 45) && i - start > 1) {
        const d = text.charCodeAt(start + 1);
        kind = (d >= 48 && d <= 57) || text.startsWith('inf', start + 1) || text.startsWith('nan', start + 1) ? TokenKind.Number : TokenKind.Reserved;
      } else kind = TokenKind.Reserved;
      lastWasOpenString = false;
      if (i < n && text.charCodeAt(i) === 34) unseparated(sink, i);
    } else if (c === 34 /* " */) {
      let j = i + 1;
      let terminated = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 34) { terminated = true; j++; break; }
        if (d === 10 || d === 13) break;
        if (d === 92) j += 2;
        else j++;
      }
      if (j > n) j = n;
      if (!terminated) sink.error({ start, end: j }, 'unterminated-string', 'unterminated string: missing closing `"`');
      kind = TokenKind.String;
      word = table.addString(text.slice(start, j));
      lastWasOpenString = !terminated;
      i = j;
      if (terminated && i < n && (text.charCodeAt(i) === 34 || isIdChar(text.charCodeAt(i)))) unseparated(sink, i);
    } else {
      // Anything else (non-ASCII, `,`, `[`, `{`, ...) cannot start or continue a token.
      start = i;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 32 || d === 9 || d === 10 || d === 13 || d === 40 || d === 41 || d === 34 || isIdChar(d)) break;
        i++;
      }
      sink.error({ start, end: i }, 'unexpected-character', `unexpected character${i - start > 1 ? 's' : ''} \`${text.slice(start, i)}\``);
      kind = TokenKind.Reserved;
      word = table.addString(text.slice(start, i));
      lastWasOpenString = false;
    }
    if (kind === TokenKind.Keyword) {
      keywords++;
      if (lists.mayRecoverAtHead) {
        // First word of a new list: a module field keyword here may mean a `)` is missing above.
        lists.recoverFieldStart(table.strings[word]!, endBeforeList, openStringBeforeList, sink);
      }
    }
    table.push(kind, start, i, word);
    lastEnd = i;
  }
  lists.finish(n, sink);
  table.keywordCount = keywords;
  return { tokens: table, trivia, get tree() { return table.toTree(); } };
}
