// Instructions, flat and folded, with every immediate form of Wasm 2.0 (SIMD included). Folded
// forms are flattened here (operands first, then the operator; implicit `end`s marked), so later
// stages see one linear sequence, exactly what the binary holds.
import type { DiagnosticSink } from './diagnostics.js';
import { nearestName } from '../wasm/suggest.js';
import { TokenKind } from './lexer.js';
import { LiteralError, parseF32Bits, parseF64Bits, parseI32, parseI64, parseIntN, parseUnsigned, smallUnsigned } from './literals.js';
import { Cursor, ParseError, describeItem, expectHeapType, expectValType } from './cursor.js';
import type { TokenTable } from './token-table.js';
import type { InstrNode, MemArg, ParamDecl, Ref, TypeUse } from './ast.js';
import { OPS, opByCode, opByName, SELECT_TYPED, type OpInfo } from '../wasm/opcodes.js';
import type { ValType } from '../wasm/types.js';

const OP_END = opByName('end')!;
const OP_ELSE = opByName('else')!;
const OP_IF = opByName('if')!;

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

/** `offset=` and `align=`; sets immediateEnd to the last one written, else leaves it alone. */
function parseMemArg(c: Cursor): MemArg {
  const t = c.t;
  let offset = 0;
  let align: number | undefined;
  const offsetToken = c.peekKeyword();
  const hasOffset = offsetToken !== undefined && t.text(offsetToken).startsWith('offset=');
  if (hasOffset) {
    c.pos++;
    offset = u32Literal(t, offsetToken, t.text(offsetToken).slice(7));
  }
  const alignToken = c.peekKeyword();
  if (alignToken !== undefined && t.text(alignToken).startsWith('align=')) {
    c.pos++;
    const value = u32Literal(t, alignToken, t.text(alignToken).slice(6));
    if (value === 0 || (value & (value - 1)) !== 0) {
      throw new ParseError(t.span(alignToken), `alignment must be a power of two, found ${value}`, 'bad-number');
    }
    align = Math.log2(value);
    immediateEnd = t.ends[alignToken]!;
  } else if (hasOffset) immediateEnd = t.ends[offsetToken]!;
  return align === undefined ? { offset } : { offset, align };
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

/**
 * Parses the immediates of `op` (keyword already consumed) into a new InstrNode. Each immediate
 * form builds its node as one object literal with all its fields: fields added after creation
 * would give every node a separate properties store and the resolver and assembler a dozen
 * hidden classes to dispatch on, for each of the hundreds of thousands of instructions.
 */
function parseImmediates(c: Cursor, keyword: number, op: OpInfo, folded: boolean): InstrNode {
  const t = c.t;
  const start = t.starts[keyword]!;
  const keywordEnd = t.ends[keyword]!;
  switch (op.imm) {
    case 'none': {
      if (op.name === 'select' && c.peekListHead() === 'result') {
        const types: ValType[] = [];
        let end = keywordEnd;
        while (c.peekListHead() === 'result') {
          const list = c.pos;
          const inner = c.enterList('result');
          while (!inner.atEnd) types.push(expectValType(inner));
          end = t.ends[list]!;
        }
        // wabt encodes `select (result)` with no types as the untyped 0x1B; the validator
        // then reports the arity problem.
        if (types.length > 0) return { op: opByCode(SELECT_TYPED)!, start, end, types };
        return { op, start, end };
      }
      if (!folded && (op === OP_END || op === OP_ELSE)) {
        const id = c.takeId();
        if (id !== undefined) return { op, start, end: t.ends[id]!, label: { name: t.text(id), span: t.span(id) } };
      }
      return { op, start, end: keywordEnd };
    }
    case 'blocktype': {
      const id = c.takeId();
      let end = id !== undefined ? t.ends[id]! : keywordEnd;
      const blockType = parseTypeUse(c, false);
      if ((blockType.ref || blockType.hasInline) && blockType.span.end > end) end = blockType.span.end;
      return { op, start, end, label: id !== undefined ? { name: t.text(id), span: t.span(id) } : undefined, blockType };
    }
    case 'label':
    case 'func':
    case 'local':
    case 'global':
    case 'data':
    case 'elem':
    case 'memory_init': {
      // The message is built only on failure: this runs for every local.get and call.
      const ref = takeRef(c) ?? c.fail(op.imm === 'label' ? 'a label' : `a ${op.imm === 'memory_init' ? 'data segment' : op.imm} index or name`);
      return { op, start, end: Math.max(keywordEnd, ref.end), ref };
    }
    case 'br_table': {
      const labels: Ref[] = [];
      for (let r = takeRef(c); r; r = takeRef(c)) labels.push(r);
      if (labels.length === 0) c.fail('a label');
      return { op, start, end: Math.max(keywordEnd, labels[labels.length - 1]!.end), labels };
    }
    case 'call_indirect': {
      const ref2 = takeRef(c);
      let end = ref2 ? Math.max(keywordEnd, ref2.end) : keywordEnd;
      const typeUse = parseTypeUse(c, false);
      if ((typeUse.ref || typeUse.hasInline) && typeUse.span.end > end) end = typeUse.span.end;
      return { op, start, end, ref2, typeUse };
    }
    case 'table':
    case 'memory': {
      const ref = takeRef(c);
      return { op, start, end: ref ? Math.max(keywordEnd, ref.end) : keywordEnd, ref };
    }
    case 'table_init': {
      const first = expectRef(c, 'an element segment index or name');
      const second = takeRef(c);
      const end = Math.max(keywordEnd, (second ?? first).end);
      return second ? { op, start, end, ref: second, ref2: first } : { op, start, end, ref: first };
    }
    case 'table_copy': {
      const dst = takeRef(c);
      if (!dst) return { op, start, end: keywordEnd };
      const src = expectRef(c, 'a source table index or name');
      return { op, start, end: Math.max(keywordEnd, src.end), ref: dst, ref2: src };
    }
    case 'memarg':
    case 'memarg_lane': {
      immediateEnd = keywordEnd;
      const memarg = parseMemArg(c);
      if (op.imm === 'memarg') return { op, start, end: immediateEnd, memarg };
      const lane = expectLane(c);
      return { op, start, end: immediateEnd, memarg, lane };
    }
    case 'lane': {
      const lane = expectLane(c);
      return { op, start, end: immediateEnd, lane };
    }
    case 'i32': {
      const at = c.expectNumberToken('an i32 literal');
      c.pos++;
      return { op, start, end: t.ends[at]!, i32: literal(t, at, parseI32) };
    }
    case 'i64': {
      const at = c.expectNumberToken('an i64 literal');
      c.pos++;
      return { op, start, end: t.ends[at]!, i64: literal(t, at, parseI64) };
    }
    case 'f32': {
      const at = numberImmediate(c, op, true);
      return { op, start, end: t.ends[at]!, i32: literal(t, at, parseF32Bits) };
    }
    case 'f64': {
      const at = numberImmediate(c, op, true);
      return { op, start, end: t.ends[at]!, i64: literal(t, at, parseF64Bits) };
    }
    case 'v128': {
      const bytes = parseV128Const(c);
      return { op, start, end: immediateEnd, bytes };
    }
    case 'shuffle': {
      const bytes = new Uint8Array(16);
      let end = keywordEnd;
      for (let i = 0; i < 16; i++) {
        const at = c.peekToken(TokenKind.Number) ?? c.fail('16 lane indices for i8x16.shuffle');
        c.pos++;
        const v = literal(t, at, (s) => parseUnsigned(s, 32));
        if (v > 255n) throw new ParseError(t.span(at), `lane index ${v} is out of range`, 'bad-number');
        bytes[i] = Number(v);
        end = t.ends[at]!;
      }
      return { op, start, end, bytes };
    }
    case 'reftype': {
      const at = c.peek();
      const refType = expectHeapType(c);
      return { op, start, end: t.ends[at!]!, refType };
    }
    case 'memory_copy':
    case 'select_types':
      return { op, start, end: keywordEnd };
  }
}

/**
 * Parses an instruction sequence (the rest of the cursor's list) into `out`. An error inside one
 * instruction is reported once, and parsing resumes at the next parenthesised form.
 */
export function parseInstrSeq(c: Cursor, out: InstrNode[], sink: DiagnosticSink): void {
  const t = c.t;
  while (!c.atEnd) {
    const start = c.pos;
    try {
      parseInstr(c, out, sink);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      sink.error(e.span, e.code, e.message);
      // Resume at the next list or the next word that names an instruction: the words in
      // between are the broken instruction's immediates.
      if (c.pos <= start) c.pos = t.next(start);
      while (!c.atEnd) {
        const kind = t.kinds[c.pos];
        if (kind === TokenKind.LParen || (kind === TokenKind.Keyword && opByName(t.text(c.pos)))) break;
        c.pos++;
      }
    }
  }
}

function parseInstr(c: Cursor, out: InstrNode[], sink: DiagnosticSink): void {
  const t = c.t;
  const at = c.pos;
  const kind = t.kinds[at];
  if (kind === TokenKind.LParen) {
    c.pos = t.after[at]!;
    parseFolded(t, at, out, sink);
    return;
  }
  if (kind !== TokenKind.Keyword) {
    throw new ParseError(t.span(at), `expected an instruction but found ${describeItem(t, at)}`, 'unexpected-token');
  }
  const op = opByName(t.text(at));
  if (!op) throw unknownInstruction(t, at, sink);
  c.pos++;
  out.push(parseImmediates(c, at, op, false));
}

/**
 * Folded instructions recurse; far deeper nesting than any real program is refused with a
 * diagnostic instead of overflowing the JavaScript stack.
 */
const MAX_FOLD_DEPTH = 1000;
let foldDepth = 0;

function parseFolded(t: TokenTable, list: number, out: InstrNode[], sink: DiagnosticSink): void {
  if (foldDepth >= MAX_FOLD_DEPTH) {
    throw new ParseError(t.openParenSpan(list), `instructions nested more than ${MAX_FOLD_DEPTH} deep`, 'too-deep');
  }
  foldDepth++;
  try {
    parseFoldedAt(t, list, out, sink);
  } finally {
    foldDepth--;
  }
}

/** The implicit `end` of a folded block, mapped to its closing parenthesis. */
function implicitEnd(t: TokenTable, list: number): InstrNode {
  const end = t.ends[list]!;
  return { op: OP_END, start: t.closed[list] === 1 ? end - 1 : end, end, implicit: true };
}

/**
 * One cursor per folded nesting depth, reused: a folded instruction's cursor is dead once it
 * returns, and a large file has hundreds of thousands of them.
 */
const foldCursors: Cursor[] = [];

function parseFoldedAt(t: TokenTable, list: number, out: InstrNode[], sink: DiagnosticSink): void {
  let c = foldCursors[foldDepth];
  if (c === undefined || c.t !== t) c = foldCursors[foldDepth] = new Cursor(t, 0, 0, -1);
  c.reset(list);
  const head = c.peek();
  if (head === undefined || t.kinds[head] !== TokenKind.Keyword) {
    throw new ParseError(head === undefined ? t.openParenSpan(list) : t.span(head), `expected an instruction but found ${describeItem(t, head)}`, 'unexpected-token');
  }
  const op = opByName(t.text(head));
  if (!op) throw unknownInstruction(t, head, sink);
  if (op.name === 'else' || op.name === 'end') {
    throw new ParseError(t.span(head), `\`${op.name}\` cannot be used as a folded instruction`, 'unexpected-token');
  }
  c.pos = head + 1;
  const instr = parseImmediates(c, head, op, true);
  if (op.name === 'block' || op.name === 'loop') {
    out.push(instr);
    parseInstrSeq(c, out, sink);
    out.push(implicitEnd(t, list));
    return;
  }
  if (op === OP_IF) {
    const rest: number[] = [];
    for (let at = c.pos; at < c.end; at = t.next(at)) rest.push(at);
    const hasThen = rest.some((at) => t.head(at) === 'then');
    if (!hasThen && rest.length >= 2 && rest.length <= 3 && rest.every((at) => t.isList(at))) {
      // Legacy form still written by binaryen and accepted by wat2wasm:
      // `(if bt? cond then-expr else-expr?)`, each a single folded expression.
      parseFolded(t, rest[0]!, out, sink);
      out.push(instr);
      parseFolded(t, rest[1]!, out, sink);
      if (rest.length === 3) {
        const elseExpr = rest[2]!;
        out.push({ op: OP_ELSE, start: t.starts[elseExpr]!, end: t.starts[elseExpr]! + 1, implicit: true });
        parseFolded(t, elseExpr, out, sink);
      }
      out.push(implicitEnd(t, list));
      return;
    }
    // Condition operands come first, then (then ...) and an optional (else ...).
    while (c.peekIsList() && c.peekListHead() !== 'then') {
      const cond = c.next()!;
      try {
        parseFolded(t, cond, out, sink);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        sink.error(e.span, e.code, e.message);
      }
    }
    out.push(instr);
    const thenCursor = c.enterList('then');
    parseInstrSeq(thenCursor, out, sink);
    if (c.peekListHead() === 'else') {
      const elseList = c.pos;
      const elseCursor = c.enterList('else');
      out.push({ op: OP_ELSE, start: t.starts[elseList]!, end: t.ends[elseList + 1]!, implicit: true });
      parseInstrSeq(elseCursor, out, sink);
    }
    c.expectEnd();
    out.push(implicitEnd(t, list));
    return;
  }
  // Plain folded instruction: operands (folded) first.
  while (!c.atEnd) {
    const operand = c.pos;
    if (t.kinds[operand] !== TokenKind.LParen) {
      throw new ParseError(t.span(operand), `expected \`)\` or a folded operand after \`${op.name}\` but found ${describeItem(t, operand)}`, 'unexpected-token');
    }
    c.pos = t.after[operand]!;
    parseFolded(t, operand, out, sink);
  }
  out.push(instr);
}

/** A constant expression (global init, segment offset, element item): an instruction sequence. */
export function parseExpr(c: Cursor, sink: DiagnosticSink): InstrNode[] {
  const out: InstrNode[] = [];
  parseInstrSeq(c, out, sink);
  return out;
}

/** One folded instruction (list row `list`) used as an abbreviated expression (`(i32.const 0)` as an offset). */
export function parseFoldedExpr(t: TokenTable, list: number, sink: DiagnosticSink): InstrNode[] {
  const out: InstrNode[] = [];
  parseFolded(t, list, out, sink);
  return out;
}
