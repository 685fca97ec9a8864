// Instructions, flat and folded, with every immediate form of Wasm 2.0 (SIMD included). Folded
// forms are flattened here (operands first, then the operator; implicit `end`s marked), so later
// stages see one linear sequence, exactly what the binary holds.
import type { DiagnosticSink } from './diagnostics.js';
import { nearestName } from '../wasm/suggest.js';
import { TokenKind } from './lexer.js';
import { LiteralError, parseF32Bits, parseF64Bits, parseI32, parseI64, parseIntN, parseUnsigned, smallUnsigned } from './literals.js';
import { Cursor, ParseError, describeItem, expectHeapType, expectValType } from './cursor.js';
import type { TokenTable } from './token-table.js';
import type { Binding, ParamDecl, Ref, TypeUse } from './ast.js';
import { IMPLICIT, InstrSeq, PendingInstr, UNRESOLVED, type InstrTable } from './instr-table.js';
import { Imm, IMM_BY_CODE, OPS, opByCode, opByName, SELECT_TYPED, type OpInfo } from '../wasm/opcodes.js';
import type { ValType } from '../wasm/types.js';

const OP_END = opByName('end')!;
const OP_ELSE = opByName('else')!;
const OP_IF = opByName('if')!;
const OP_BLOCK = opByName('block')!;
const OP_LOOP = opByName('loop')!;
const SELECT_UNTYPED = opByName('select')!.code;

/** Parses literal token `at`, turning a LiteralError into a ParseError at the token. */
export function literal<T>(t: TokenTable, at: number, parse: (text: string) => T): T {
  try {
    return parse(t.text(at));
  } catch (e) {
    if (e instanceof LiteralError) throw new ParseError(t.span(at), e.message, 'bad-number');
    throw e;
  }
}

/** An index reference (`$name` or a u32) if the next item is one. */
export function takeRef(c: Cursor): Ref | undefined {
  if (c.pos >= c.end) return undefined;
  const t = c.t;
  const at = c.pos;
  const kind = t.kinds[at];
  if (kind === TokenKind.Id) {
    c.pos++;
    // Both forms carry both fields so every Ref has one shape (resolution fills `index` in).
    return { start: t.starts[at]!, end: t.ends[at]!, name: t.text(at), index: undefined };
  }
  if (kind === TokenKind.Number) {
    c.pos++;
    return { start: t.starts[at]!, end: t.ends[at]!, name: undefined, index: u32Literal(t, at) };
  }
  return undefined;
}

export function expectRef(c: Cursor, what: string): Ref {
  return takeRef(c) ?? c.fail(what);
}

/**
 * `(type x)? (param ...)* (result ...)*`. Parameter names are allowed for functions and
 * forbidden in block types and call_indirect (`namedParams`).
 */
export function parseTypeUse(c: Cursor, namedParams: boolean): TypeUse {
  const startSpan = c.hereSpan();
  const use: TypeUse = { params: [], results: [], hasInline: false, span: { start: startSpan.start, end: startSpan.start } };
  let end = startSpan.start;
  const ends = c.t.ends;
  if (c.peekListHead() === 'type') {
    const list = c.pos;
    const inner = c.enterList('type');
    use.ref = expectRef(inner, 'a type index or name');
    inner.expectEnd();
    end = ends[list]!;
  }
  while (c.peekListHead() === 'param') {
    const list = c.pos;
    parseParamList(c.enterList('param'), use.params, namedParams, 'param');
    use.hasInline = true;
    end = ends[list]!;
  }
  while (c.peekListHead() === 'result') {
    const list = c.pos;
    const inner = c.enterList('result');
    while (!inner.atEnd) use.results.push(expectValType(inner));
    use.hasInline = true;
    end = ends[list]!;
  }
  if (c.peekListHead() === 'param') {
    throw new ParseError(c.hereSpan(), '`(param ...)` must come before `(result ...)`', 'unexpected-token');
  }
  use.span.end = end;
  return use;
}

/** Contents of `(param ...)` / `(local ...)`: `$id type` or `type*`. */
export function parseParamList(inner: Cursor, out: ParamDecl[], allowNames: boolean, what: string): void {
  const t = inner.t;
  const id = inner.takeId();
  if (id !== undefined) {
    if (!allowNames) throw new ParseError(t.span(id), `names are not allowed on ${what}s here`, 'unexpected-token');
    const typeToken = inner.peek();
    const type = expectValType(inner);
    out.push({ id: { name: t.text(id), span: t.span(id) }, type, span: { start: t.starts[id]!, end: t.ends[typeToken!]! } });
    inner.expectEnd();
    return;
  }
  while (!inner.atEnd) {
    const at = inner.pos;
    out.push({ type: expectValType(inner), span: t.span(at) });
  }
}

const OP_NAMES = OPS.map((op) => op.name);

function nearestOpName(word: string): string | undefined {
  return nearestName(word, OP_NAMES, Math.max(2, Math.floor(word.length / 4)));
}

/** Suggestions already computed; garbage input repeats the same words. */
const suggestions = new Map<string, string | undefined>();

/**
 * Past this many errors in one text, unknown instructions get no suggestion: the text is not
 * WAT with typos, and the search over every instruction name would make parsing it slow.
 */
const SUGGESTION_ERROR_LIMIT = 100;

function unknownInstruction(t: TokenTable, at: number, sink: DiagnosticSink): ParseError {
  const text = t.text(at);
  let guess: string | undefined;
  if (suggestions.has(text)) guess = suggestions.get(text);
  else if (sink.errorCount < SUGGESTION_ERROR_LIMIT && text.length <= 40) {
    guess = nearestOpName(text);
    if (suggestions.size >= 2000) suggestions.clear();
    suggestions.set(text, guess);
  }
  return new ParseError(t.span(at), `unknown instruction \`${text.length > 40 ? text.slice(0, 40) + '…' : text}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}`, 'unknown-instruction');
}

const V128_SHAPES: Record<string, { lanes: number; kind: 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' }> = {
  i8x16: { lanes: 16, kind: 'i8' }, i16x8: { lanes: 8, kind: 'i16' }, i32x4: { lanes: 4, kind: 'i32' },
  i64x2: { lanes: 2, kind: 'i64' }, f32x4: { lanes: 4, kind: 'f32' }, f64x2: { lanes: 2, kind: 'f64' },
};

/** `v128.const shape lane*` immediates → 16 little-endian bytes. */
export function parseV128Const(c: Cursor): Uint8Array {
  const t = c.t;
  const shapeToken = c.peekToken(TokenKind.Keyword);
  const shape = shapeToken !== undefined ? V128_SHAPES[t.text(shapeToken)] : undefined;
  if (!shape) c.fail('a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)');
  c.pos++;
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  const width = 16 / shape.lanes;
  for (let i = 0; i < shape.lanes; i++) {
    const v = c.peekToken(TokenKind.Number) ?? c.peekToken(TokenKind.Keyword);
    if (v === undefined || (t.kinds[v] === TokenKind.Keyword && !/^(inf|nan)/.test(t.text(v)))) {
      c.fail(`${shape.lanes} lane values for ${t.text(shapeToken!)}`);
    }
    c.pos++;
    immediateEnd = t.ends[v]!;
    const at = i * width;
    switch (shape.kind) {
      case 'i8': view.setInt8(at, Number(literal(t, v, (s) => parseIntN(s, 8)))); break;
      case 'i16': view.setInt16(at, Number(literal(t, v, (s) => parseIntN(s, 16))), true); break;
      case 'i32': view.setInt32(at, literal(t, v, parseI32), true); break;
      case 'i64': view.setBigInt64(at, literal(t, v, parseI64), true); break;
      case 'f32': view.setInt32(at, literal(t, v, parseF32Bits), true); break;
      case 'f64': view.setBigInt64(at, literal(t, v, parseF64Bits), true); break;
    }
  }
  return bytes;
}

/**
 * End offset of the last immediate the helpers below consumed. A module-level slot rather than a
 * returned `{ value, end }` pair: these run once per memory instruction of a large file.
 */
let immediateEnd = 0;

/**
 * `offset=` and `align=` into `p` (index: the offset; a: log2 of the alignment, -1 when natural);
 * sets immediateEnd to the last one written, else leaves it alone.
 */
function parseMemArg(c: Cursor, p: PendingInstr): void {
  const t = c.t;
  const offsetToken = c.peekKeyword();
  const hasOffset = offsetToken !== undefined && t.text(offsetToken).startsWith('offset=');
  p.index = 0;
  if (hasOffset) {
    c.pos++;
    p.index = u32Literal(t, offsetToken, t.text(offsetToken).slice(7));
  }
  const alignToken = c.peekKeyword();
  if (alignToken !== undefined && t.text(alignToken).startsWith('align=')) {
    c.pos++;
    const value = u32Literal(t, alignToken, t.text(alignToken).slice(6));
    if (value === 0 || (value & (value - 1)) !== 0) {
      throw new ParseError(t.span(alignToken), `alignment must be a power of two, found ${value}`, 'bad-number');
    }
    p.a = Math.log2(value);
    immediateEnd = t.ends[alignToken]!;
  } else if (hasOffset) immediateEnd = t.ends[offsetToken]!;
}

/** A lane index; sets immediateEnd. */
function expectLane(c: Cursor): number {
  const at = c.expectNumberToken('a lane index');
  c.pos++;
  const v = literal(c.t, at, (s) => parseUnsigned(s, 32));
  if (v > 255n) throw new ParseError(c.t.span(at), `lane index ${v} is out of range`, 'bad-number');
  immediateEnd = c.t.ends[at]!;
  return Number(v);
}

function u32Literal(t: TokenTable, at: number, text = t.text(at)): number {
  const small = smallUnsigned(text);
  if (small >= 0) return small;
  try {
    return Number(parseUnsigned(text, 32));
  } catch (e) {
    if (e instanceof LiteralError) throw new ParseError(t.span(at), e.message, 'bad-number');
    throw e;
  }
}

/** The number literal an i32/i64/f32/f64 immediate needs (`inf`/`nan` keywords for floats). */
function numberImmediate(c: Cursor, op: OpInfo, float: boolean): number {
  const t = c.t;
  const at = c.peekToken(TokenKind.Number) ?? (float ? c.peekToken(TokenKind.Keyword) : undefined);
  if (at === undefined || (t.kinds[at] === TokenKind.Keyword && !/^(inf|nan)/.test(t.text(at)))) c.fail(`an ${op.imm} literal`);
  c.pos++;
  return at;
}

/** A reference immediate (`$name` or a u32) as `p`'s main reference, if the next item is one. */
function takeRefInto(c: Cursor, p: PendingInstr): boolean {
  if (c.pos >= c.end) return false;
  const t = c.t;
  const at = c.pos;
  const kind = t.kinds[at];
  if (kind === TokenKind.Number) p.index = u32Literal(t, at);
  else if (kind === TokenKind.Id) p.flags |= UNRESOLVED;
  else return false;
  c.pos++;
  p.ref = at;
  if (t.ends[at]! > p.end) p.end = t.ends[at]!;
  return true;
}

/** A second reference immediate as an extra of `p` (its `b`), if the next item is one. */
function takeRef2Into(c: Cursor, p: PendingInstr, table: InstrTable): boolean {
  const ref = takeRef(c);
  if (!ref) return false;
  p.b = table.addExtra(ref);
  if (ref.end > p.end) p.end = ref.end;
  return true;
}

/**
 * Parses the immediates of `op` (keyword row `keyword`, already consumed) into `p`, laid out as
 * instr-table.ts describes; `p.end` ends up past the last immediate.
 */
function parseImmediates(c: Cursor, keyword: number, op: OpInfo, folded: boolean, p: PendingInstr, table: InstrTable): void {
  const t = c.t;
  const keywordEnd = t.ends[keyword]!;
  p.reset(op.code, t.starts[keyword]!, keywordEnd);
  const imm = IMM_BY_CODE[op.code];
  switch (imm) {
    case Imm.None: {
      if (op.code === SELECT_UNTYPED && c.peekListHead() === 'result') {
        const types: ValType[] = [];
        while (c.peekListHead() === 'result') {
          const list = c.pos;
          const inner = c.enterList('result');
          while (!inner.atEnd) types.push(expectValType(inner));
          p.end = t.ends[list]!;
        }
        // wabt encodes `select (result)` with no types as the untyped 0x1B; the validator
        // then reports the arity problem.
        if (types.length > 0) {
          p.code = SELECT_TYPED;
          p.a = table.addExtra(types);
        }
        return;
      }
      if (!folded && (op === OP_END || op === OP_ELSE)) {
        const id = c.takeId();
        if (id !== undefined) {
          p.end = t.ends[id]!;
          p.a = table.addExtra({ name: t.text(id), span: t.span(id) } satisfies Binding);
        }
      }
      return;
    }
    case Imm.BlockType: {
      const id = c.takeId();
      if (id !== undefined) {
        p.end = t.ends[id]!;
        p.a = table.addExtra({ name: t.text(id), span: t.span(id) } satisfies Binding);
      }
      const blockType = parseTypeUse(c, false);
      if ((blockType.ref || blockType.hasInline) && blockType.span.end > p.end) p.end = blockType.span.end;
      p.b = table.addExtra(blockType);
      return;
    }
    case Imm.Label:
    case Imm.Func:
    case Imm.Local:
    case Imm.Global:
    case Imm.Data:
    case Imm.Elem:
    case Imm.MemoryInit:
      // The message is built only on failure: this runs for every local.get and call.
      if (!takeRefInto(c, p)) c.fail(op.imm === 'label' ? 'a label' : `a ${op.imm === 'memory_init' ? 'data segment' : op.imm} index or name`);
      return;
    case Imm.BrTable: {
      const labels: Ref[] = [];
      for (let r = takeRef(c); r; r = takeRef(c)) labels.push(r);
      if (labels.length === 0) c.fail('a label');
      p.end = Math.max(keywordEnd, labels[labels.length - 1]!.end);
      p.a = table.addExtra(labels);
      return;
    }
    case Imm.CallIndirect: {
      takeRef2Into(c, p, table);
      const typeUse = parseTypeUse(c, false);
      if ((typeUse.ref || typeUse.hasInline) && typeUse.span.end > p.end) p.end = typeUse.span.end;
      p.a = table.addExtra(typeUse);
      return;
    }
    case Imm.Table:
    case Imm.Memory:
      takeRefInto(c, p);
      return;
    case Imm.TableInit: {
      // `table.init elem` or `table.init table elem`: the element segment is the last one written.
      const first = takeRef(c) ?? c.fail('an element segment index or name');
      if (takeRefInto(c, p)) p.b = table.addExtra(first);
      else {
        c.pos--;
        takeRefInto(c, p);
      }
      return;
    }
    case Imm.TableCopy:
      if (takeRefInto(c, p) && !takeRef2Into(c, p, table)) c.fail('a source table index or name');
      return;
    case Imm.MemArg:
    case Imm.MemArgLane: {
      immediateEnd = keywordEnd;
      parseMemArg(c, p);
      if (imm === Imm.MemArgLane) p.b = expectLane(c);
      p.end = immediateEnd;
      return;
    }
    case Imm.Lane:
      p.b = expectLane(c);
      p.end = immediateEnd;
      return;
    case Imm.I32: {
      const at = c.expectNumberToken('an i32 literal');
      c.pos++;
      p.end = t.ends[at]!;
      p.a = literal(t, at, parseI32);
      return;
    }
    case Imm.I64: {
      const at = c.expectNumberToken('an i64 literal');
      c.pos++;
      p.end = t.ends[at]!;
      p.a = table.addExtra(literal(t, at, parseI64));
      return;
    }
    case Imm.F32: {
      const at = numberImmediate(c, op, true);
      p.end = t.ends[at]!;
      p.a = literal(t, at, parseF32Bits);
      return;
    }
    case Imm.F64: {
      const at = numberImmediate(c, op, true);
      p.end = t.ends[at]!;
      p.a = table.addExtra(literal(t, at, parseF64Bits));
      return;
    }
    case Imm.V128:
      p.a = table.addExtra(parseV128Const(c));
      p.end = immediateEnd;
      return;
    case Imm.Shuffle: {
      const bytes = new Uint8Array(16);
      for (let i = 0; i < 16; i++) {
        const at = c.peekToken(TokenKind.Number) ?? c.fail('16 lane indices for i8x16.shuffle');
        c.pos++;
        const v = literal(t, at, (s) => parseUnsigned(s, 32));
        if (v > 255n) throw new ParseError(t.span(at), `lane index ${v} is out of range`, 'bad-number');
        bytes[i] = Number(v);
        p.end = t.ends[at]!;
      }
      p.a = table.addExtra(bytes);
      return;
    }
    case Imm.RefType: {
      const at = c.peek();
      p.a = expectHeapType(c);
      p.end = t.ends[at!]!;
      return;
    }
    case Imm.MemoryCopy:
    case Imm.SelectTypes:
      return;
  }
}

/**
 * Parses an instruction sequence (the rest of the cursor's list), appending rows to `table`. An
 * error inside one instruction is reported once, and parsing resumes at the next parenthesised form.
 */
export function parseInstrSeq(c: Cursor, table: InstrTable, sink: DiagnosticSink): void {
  const t = c.t;
  while (!c.atEnd) {
    const start = c.pos;
    try {
      parseInstr(c, table, sink);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      sink.error(e.span, e.code, e.message);
      // Resume at the next list or the next word that names an instruction: the words in
      // between are the broken instruction's immediates.
      if (c.pos <= start) c.pos = t.next(start);
      while (!c.atEnd) {
        const kind = t.kinds[c.pos];
        if (kind === TokenKind.LParen || (kind === TokenKind.Keyword && opOfRow(t, c.pos))) break;
        c.pos++;
      }
    }
  }
}

const OP_UNKNOWN = -2, NOT_AN_OP = -1;

/**
 * The instruction a keyword row names. Memoised per interned text in the table itself (a large
 * module names a few hundred distinct instructions hundreds of thousands of times).
 */
function opOfRow(t: TokenTable, row: number): OpInfo | undefined {
  const id = t.textIds[row]!;
  let memo = t.opCodes;
  if (memo === undefined || id >= memo.length) memo = t.opCodes = new Int32Array(t.strings.length).fill(OP_UNKNOWN);
  let code = memo[id]!;
  if (code === OP_UNKNOWN) {
    code = opByName(t.strings[id]!)?.code ?? NOT_AN_OP;
    memo[id] = code;
  }
  return code === NOT_AN_OP ? undefined : opByCode(code);
}

/** Flat instructions are appended as soon as they are read, so they share one PendingInstr. */
const flatPending = new PendingInstr();

function parseInstr(c: Cursor, table: InstrTable, sink: DiagnosticSink): void {
  const t = c.t;
  const at = c.pos;
  const kind = t.kinds[at];
  if (kind === TokenKind.LParen) {
    c.pos = t.after[at]!;
    parseFolded(t, at, table, sink);
    return;
  }
  if (kind !== TokenKind.Keyword) {
    throw new ParseError(t.span(at), `expected an instruction but found ${describeItem(t, at)}`, 'unexpected-token');
  }
  const op = opOfRow(t, at);
  if (!op) throw unknownInstruction(t, at, sink);
  c.pos++;
  parseImmediates(c, at, op, false, flatPending, table);
  table.push(flatPending);
}

/**
 * Folded instructions recurse; far deeper nesting than any real program is refused with a
 * diagnostic instead of overflowing the JavaScript stack.
 */
const MAX_FOLD_DEPTH = 1000;
let foldDepth = 0;

function parseFolded(t: TokenTable, list: number, table: InstrTable, sink: DiagnosticSink): void {
  if (foldDepth >= MAX_FOLD_DEPTH) {
    throw new ParseError(t.openParenSpan(list), `instructions nested more than ${MAX_FOLD_DEPTH} deep`, 'too-deep');
  }
  foldDepth++;
  try {
    parseFoldedAt(t, list, table, sink);
  } finally {
    foldDepth--;
  }
}

/** Appends an `end` (or `else`) the parser inserted for a folded form, spanning [start, end). */
function pushImplicit(table: InstrTable, p: PendingInstr, code: number, start: number, end: number): void {
  p.reset(code, start, end).flags = IMPLICIT;
  table.push(p);
}

/** The implicit `end` of a folded block, mapped to its closing parenthesis. */
function pushImplicitEnd(t: TokenTable, list: number, table: InstrTable, p: PendingInstr): void {
  const end = t.ends[list]!;
  pushImplicit(table, p, OP_END.code, t.closed[list] === 1 ? end - 1 : end, end);
}

/**
 * One cursor and one PendingInstr per folded nesting depth, reused: a folded instruction's are
 * dead once it returns, and a large file has hundreds of thousands of them.
 */
const foldCursors: Cursor[] = [];
const foldPending: PendingInstr[] = [];

/** Drops the reused cursors, which point into the last parsed token table (so it can be freed). */
export function releaseFoldCursors(): void {
  foldCursors.length = 0;
}

function parseFoldedAt(t: TokenTable, list: number, table: InstrTable, sink: DiagnosticSink): void {
  let c = foldCursors[foldDepth];
  if (c === undefined || c.t !== t) c = foldCursors[foldDepth] = new Cursor(t, 0, 0, -1);
  const p = foldPending[foldDepth] ??= new PendingInstr();
  c.reset(list);
  const head = c.peek();
  if (head === undefined || t.kinds[head] !== TokenKind.Keyword) {
    throw new ParseError(head === undefined ? t.openParenSpan(list) : t.span(head), `expected an instruction but found ${describeItem(t, head)}`, 'unexpected-token');
  }
  const op = opOfRow(t, head);
  if (!op) throw unknownInstruction(t, head, sink);
  if (op === OP_ELSE || op === OP_END) {
    throw new ParseError(t.span(head), `\`${op.name}\` cannot be used as a folded instruction`, 'unexpected-token');
  }
  c.pos = head + 1;
  parseImmediates(c, head, op, true, p, table);
  if (op === OP_BLOCK || op === OP_LOOP) {
    table.push(p);
    parseInstrSeq(c, table, sink);
    pushImplicitEnd(t, list, table, p);
    return;
  }
  if (op === OP_IF) {
    const rest: number[] = [];
    for (let at = c.pos; at < c.end; at = t.next(at)) rest.push(at);
    const hasThen = rest.some((at) => t.head(at) === 'then');
    if (!hasThen && rest.length >= 2 && rest.length <= 3 && rest.every((at) => t.isList(at))) {
      // Legacy form still written by binaryen and accepted by wat2wasm:
      // `(if bt? cond then-expr else-expr?)`, each a single folded expression.
      parseFolded(t, rest[0]!, table, sink);
      table.push(p);
      parseFolded(t, rest[1]!, table, sink);
      if (rest.length === 3) {
        const elseExpr = rest[2]!;
        pushImplicit(table, p, OP_ELSE.code, t.starts[elseExpr]!, t.starts[elseExpr]! + 1);
        parseFolded(t, elseExpr, table, sink);
      }
      pushImplicitEnd(t, list, table, p);
      return;
    }
    // Condition operands come first, then (then ...) and an optional (else ...).
    while (c.peekIsList() && c.peekListHead() !== 'then') {
      const cond = c.next()!;
      try {
        parseFolded(t, cond, table, sink);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        sink.error(e.span, e.code, e.message);
      }
    }
    table.push(p);
    const thenCursor = c.enterList('then');
    parseInstrSeq(thenCursor, table, sink);
    if (c.peekListHead() === 'else') {
      const elseList = c.pos;
      const elseCursor = c.enterList('else');
      pushImplicit(table, p, OP_ELSE.code, t.starts[elseList]!, t.ends[elseList + 1]!);
      parseInstrSeq(elseCursor, table, sink);
    }
    c.expectEnd();
    pushImplicitEnd(t, list, table, p);
    return;
  }
  // Plain folded instruction: operands (folded) first.
  while (!c.atEnd) {
    const operand = c.pos;
    if (t.kinds[operand] !== TokenKind.LParen) {
      throw new ParseError(t.span(operand), `expected \`)\` or a folded operand after \`${op.name}\` but found ${describeItem(t, operand)}`, 'unexpected-token');
    }
    c.pos = t.after[operand]!;
    parseFolded(t, operand, table, sink);
  }
  table.push(p);
}

const REF_FUNC = opByName('ref.func')!.code;

/** A function index in `func x*` element lists, appended as the `ref.func x` it stands for; false when none is next. */
export function takeRefFunc(c: Cursor, table: InstrTable): boolean {
  const at = c.pos;
  if (!takeRefInto(c, flatPending.reset(REF_FUNC, c.t.starts[at] ?? 0, c.t.ends[at] ?? 0))) return false;
  table.push(flatPending);
  return true;
}

/** A constant expression (global init, segment offset, element item): an instruction sequence. */
export function parseExpr(c: Cursor, table: InstrTable, sink: DiagnosticSink): InstrSeq {
  const from = table.count;
  parseInstrSeq(c, table, sink);
  return new InstrSeq(table, from, table.count);
}

/** One folded instruction (list row `list`) used as an abbreviated expression (`(i32.const 0)` as an offset). */
export function parseFoldedExpr(t: TokenTable, list: number, table: InstrTable, sink: DiagnosticSink): InstrSeq {
  const from = table.count;
  parseFolded(t, list, table, sink);
  return new InstrSeq(table, from, table.count);
}
