// Instructions, flat and folded, with every immediate form of Wasm 2.0 (SIMD included). Folded
// forms are flattened here (operands first, then the operator; implicit `end`s marked), so later
// stages see one linear sequence, exactly what the binary holds.
import type { DiagnosticSink, Span } from './diagnostics.js';
import { nearestName } from '../wasm/suggest.js';
import { TokenKind, type Token } from './lexer.js';
import { LiteralError, parseF32Bits, parseF64Bits, parseI32, parseI64, parseIntN, parseUnsigned, smallUnsigned } from './literals.js';
import { Cursor, ParseError, describeNode, expectHeapType, expectValType } from './cursor.js';
import { closeParenSpan, headKeyword, isList, openParenSpan, type SList, type SNode } from './sexpr.js';
import type { InstrNode, MemArg, ParamDecl, Ref, TypeUse } from './ast.js';
import { OPS, opByCode, opByName, SELECT_TYPED, type OpInfo } from '../wasm/opcodes.js';
import type { ValType } from '../wasm/types.js';

const OP_END = opByName('end')!;
const OP_ELSE = opByName('else')!;
const OP_IF = opByName('if')!;

/** Parses a literal token, turning a LiteralError into a ParseError at the token. */
export function literal<T>(token: Token, parse: (text: string) => T): T {
  try {
    return parse(token.text);
  } catch (e) {
    if (e instanceof LiteralError) throw new ParseError(token, e.message, 'bad-number');
    throw e;
  }
}

/** An index reference (`$name` or a u32) if the next item is one. */
export function takeRef(c: Cursor): Ref | undefined {
  const node = c.peek();
  if (!node || isList(node)) return undefined;
  if (node.kind === TokenKind.Id) {
    c.pos++;
    // Both forms carry both fields so every Ref has one shape (resolution fills `index` in).
    return { span: node, name: node.text, index: undefined };
  }
  if (node.kind === TokenKind.Number) {
    c.pos++;
    return { span: node, name: undefined, index: u32Literal(node) };
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
  if (c.peekListHead() === 'type') {
    const list = c.peek() as SList;
    const inner = c.enterList('type');
    use.ref = expectRef(inner, 'a type index or name');
    inner.expectEnd();
    end = list.end;
  }
  while (c.peekListHead() === 'param') {
    const list = c.peek() as SList;
    parseParamList(c.enterList('param'), use.params, namedParams, 'param');
    use.hasInline = true;
    end = list.end;
  }
  while (c.peekListHead() === 'result') {
    const list = c.peek() as SList;
    const inner = c.enterList('result');
    while (!inner.atEnd) use.results.push(expectValType(inner));
    use.hasInline = true;
    end = list.end;
  }
  if (c.peekListHead() === 'param') {
    throw new ParseError(c.hereSpan(), '`(param ...)` must come before `(result ...)`', 'unexpected-token');
  }
  use.span.end = end;
  return use;
}

/** Contents of `(param ...)` / `(local ...)`: `$id type` or `type*`. */
export function parseParamList(inner: Cursor, out: ParamDecl[], allowNames: boolean, what: string): void {
  const id = inner.takeId();
  if (id) {
    if (!allowNames) throw new ParseError(id, `names are not allowed on ${what}s here`, 'unexpected-token');
    const typeToken = inner.peek();
    const type = expectValType(inner);
    out.push({ id: { name: id.text, span: id }, type, span: { start: id.start, end: typeToken!.end } });
    inner.expectEnd();
    return;
  }
  while (!inner.atEnd) {
    const node = inner.peek()!;
    out.push({ type: expectValType(inner), span: node });
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

export function unknownInstruction(token: Token, sink: DiagnosticSink): ParseError {
  let guess: string | undefined;
  if (suggestions.has(token.text)) guess = suggestions.get(token.text);
  else if (sink.errorCount < SUGGESTION_ERROR_LIMIT && token.text.length <= 40) {
    guess = nearestOpName(token.text);
    if (suggestions.size >= 2000) suggestions.clear();
    suggestions.set(token.text, guess);
  }
  return new ParseError(token, `unknown instruction \`${token.text.length > 40 ? token.text.slice(0, 40) + '…' : token.text}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}`, 'unknown-instruction');
}

const V128_SHAPES: Record<string, { lanes: number; kind: 'i8' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' }> = {
  i8x16: { lanes: 16, kind: 'i8' }, i16x8: { lanes: 8, kind: 'i16' }, i32x4: { lanes: 4, kind: 'i32' },
  i64x2: { lanes: 2, kind: 'i64' }, f32x4: { lanes: 4, kind: 'f32' }, f64x2: { lanes: 2, kind: 'f64' },
};

/** `v128.const shape lane*` immediates → 16 little-endian bytes. */
export function parseV128Const(c: Cursor): Uint8Array {
  const shapeToken = c.peekToken(TokenKind.Keyword);
  const shape = shapeToken ? V128_SHAPES[shapeToken.text] : undefined;
  if (!shape) c.fail('a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)');
  c.pos++;
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  const width = 16 / shape.lanes;
  for (let i = 0; i < shape.lanes; i++) {
    const t = c.peekToken(TokenKind.Number) ?? c.peekToken(TokenKind.Keyword);
    if (!t || (t.kind === TokenKind.Keyword && !/^(inf|nan)/.test(t.text))) c.fail(`${shape.lanes} lane values for ${shapeToken!.text}`);
    c.pos++;
    const at = i * width;
    switch (shape.kind) {
      case 'i8': view.setInt8(at, Number(literal(t, (s) => parseIntN(s, 8)))); break;
      case 'i16': view.setInt16(at, Number(literal(t, (s) => parseIntN(s, 16))), true); break;
      case 'i32': view.setInt32(at, literal(t, parseI32), true); break;
      case 'i64': view.setBigInt64(at, literal(t, parseI64), true); break;
      case 'f32': view.setInt32(at, literal(t, parseF32Bits), true); break;
      case 'f64': view.setBigInt64(at, literal(t, parseF64Bits), true); break;
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
  let offset = 0;
  let align: number | undefined;
  const offsetToken = c.peekKeyword();
  if (offsetToken && offsetToken.text.startsWith('offset=')) {
    c.pos++;
    offset = u32Literal(offsetToken, offsetToken.text.slice(7));
  }
  const alignToken = c.peekKeyword();
  if (alignToken && alignToken.text.startsWith('align=')) {
    c.pos++;
    const value = u32Literal(alignToken, alignToken.text.slice(6));
    if (value === 0 || (value & (value - 1)) !== 0) {
      throw new ParseError(alignToken, `alignment must be a power of two, found ${value}`, 'bad-number');
    }
    align = Math.log2(value);
    immediateEnd = alignToken.end;
  } else if (offsetToken && offsetToken.text.startsWith('offset=')) immediateEnd = offsetToken.end;
  return align === undefined ? { offset } : { offset, align };
}

/** A lane index; sets immediateEnd. */
function expectLane(c: Cursor): number {
  const t = c.expectNumberToken('a lane index');
  c.pos++;
  const v = literal(t, (s) => parseUnsigned(s, 32));
  if (v > 255n) throw new ParseError(t, `lane index ${v} is out of range`, 'bad-number');
  immediateEnd = t.end;
  return Number(v);
}

function u32Literal(token: Token, text = token.text): number {
  const small = smallUnsigned(text);
  if (small >= 0) return small;
  try {
    return Number(parseUnsigned(text, 32));
  } catch (e) {
    if (e instanceof LiteralError) throw new ParseError(token, e.message, 'bad-number');
    throw e;
  }
}

/** The number literal an i32/i64/f32/f64 immediate needs (`inf`/`nan` keywords for floats). */
function numberImmediate(c: Cursor, op: OpInfo, float: boolean): Token {
  const t = c.peekToken(TokenKind.Number) ?? (float ? c.peekToken(TokenKind.Keyword) : undefined);
  if (!t || (t.kind === TokenKind.Keyword && !/^(inf|nan)/.test(t.text))) c.fail(`an ${op.imm} literal`);
  c.pos++;
  return t;
}

/**
 * Parses the immediates of `op` (keyword already consumed) into a new InstrNode. Each immediate
 * form builds its node as one object literal with all its fields: fields added after creation
 * would give every node a separate properties store and the resolver and assembler a dozen
 * hidden classes to dispatch on, for each of the hundreds of thousands of instructions.
 */
function parseImmediates(c: Cursor, keyword: Token, op: OpInfo, folded: boolean): InstrNode {
  const start = keyword.start;
  switch (op.imm) {
    case 'none': {
      if (op.name === 'select' && c.peekListHead() === 'result') {
        const types: ValType[] = [];
        let end = keyword.end;
        while (c.peekListHead() === 'result') {
          const list = c.peek() as SList;
          const inner = c.enterList('result');
          while (!inner.atEnd) types.push(expectValType(inner));
          end = list.end;
        }
        // wabt encodes `select (result)` with no types as the untyped 0x1B; the validator
        // then reports the arity problem.
        if (types.length > 0) return { op: opByCode(SELECT_TYPED)!, span: { start, end }, types };
        return { op, span: { start, end } };
      }
      if (!folded && (op === OP_END || op === OP_ELSE)) {
        const id = c.takeId();
        if (id) return { op, span: { start, end: id.end }, label: { name: id.text, span: id } };
      }
      return { op, span: { start, end: keyword.end } };
    }
    case 'blocktype': {
      const id = c.takeId();
      let end = id ? id.end : keyword.end;
      const blockType = parseTypeUse(c, false);
      if ((blockType.ref || blockType.hasInline) && blockType.span.end > end) end = blockType.span.end;
      return { op, span: { start, end }, label: id ? { name: id.text, span: id } : undefined, blockType };
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
      return { op, span: { start, end: Math.max(keyword.end, ref.span.end) }, ref };
    }
    case 'br_table': {
      const labels: Ref[] = [];
      for (let r = takeRef(c); r; r = takeRef(c)) labels.push(r);
      if (labels.length === 0) c.fail('a label');
      return { op, span: { start, end: Math.max(keyword.end, labels[labels.length - 1]!.span.end) }, labels };
    }
    case 'call_indirect': {
      const ref2 = takeRef(c);
      let end = ref2 ? Math.max(keyword.end, ref2.span.end) : keyword.end;
      const typeUse = parseTypeUse(c, false);
      if ((typeUse.ref || typeUse.hasInline) && typeUse.span.end > end) end = typeUse.span.end;
      return { op, span: { start, end }, ref2, typeUse };
    }
    case 'table':
    case 'memory': {
      const ref = takeRef(c);
      return { op, span: { start, end: ref ? Math.max(keyword.end, ref.span.end) : keyword.end }, ref };
    }
    case 'table_init': {
      const first = expectRef(c, 'an element segment index or name');
      const second = takeRef(c);
      const end = Math.max(keyword.end, (second ?? first).span.end);
      return second ? { op, span: { start, end }, ref: second, ref2: first } : { op, span: { start, end }, ref: first };
    }
    case 'table_copy': {
      const dst = takeRef(c);
      if (!dst) return { op, span: { start, end: keyword.end } };
      const src = expectRef(c, 'a source table index or name');
      return { op, span: { start, end: Math.max(keyword.end, src.span.end) }, ref: dst, ref2: src };
    }
    case 'memarg':
    case 'memarg_lane': {
      immediateEnd = keyword.end;
      const memarg = parseMemArg(c);
      if (op.imm === 'memarg') return { op, span: { start, end: immediateEnd }, memarg };
      const lane = expectLane(c);
      return { op, span: { start, end: immediateEnd }, memarg, lane };
    }
    case 'lane': {
      const lane = expectLane(c);
      return { op, span: { start, end: immediateEnd }, lane };
    }
    case 'i32': {
      const t = c.expectNumberToken('an i32 literal');
      c.pos++;
      return { op, span: { start, end: t.end }, i32: literal(t, parseI32) };
    }
    case 'i64': {
      const t = c.expectNumberToken('an i64 literal');
      c.pos++;
      return { op, span: { start, end: t.end }, i64: literal(t, parseI64) };
    }
    case 'f32': {
      const t = numberImmediate(c, op, true);
      return { op, span: { start, end: t.end }, i32: literal(t, parseF32Bits) };
    }
    case 'f64': {
      const t = numberImmediate(c, op, true);
      return { op, span: { start, end: t.end }, i64: literal(t, parseF64Bits) };
    }
    case 'v128': {
      const bytes = parseV128Const(c);
      return { op, span: { start, end: (c.peek(-1) as Token).end }, bytes };
    }
    case 'shuffle': {
      const bytes = new Uint8Array(16);
      let end = keyword.end;
      for (let i = 0; i < 16; i++) {
        const t = c.peekToken(TokenKind.Number) ?? c.fail('16 lane indices for i8x16.shuffle');
        c.pos++;
        const v = literal(t, (s) => parseUnsigned(s, 32));
        if (v > 255n) throw new ParseError(t, `lane index ${v} is out of range`, 'bad-number');
        bytes[i] = Number(v);
        end = t.end;
      }
      return { op, span: { start, end }, bytes };
    }
    case 'reftype': {
      const t = c.peek();
      const refType = expectHeapType(c);
      return { op, span: { start, end: t!.end }, refType };
    }
    case 'memory_copy':
    case 'select_types':
      return { op, span: { start, end: keyword.end } };
  }
}

/**
 * Parses an instruction sequence (the rest of the cursor's list) into `out`. An error inside one
 * instruction is reported once, and parsing resumes at the next parenthesised form.
 */
export function parseInstrSeq(c: Cursor, out: InstrNode[], sink: DiagnosticSink): void {
  while (!c.atEnd) {
    const start = c.pos;
    try {
      parseInstr(c, out, sink);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      sink.error(e.span, e.code, e.message);
      // Resume at the next list or the next word that names an instruction: the words in
      // between are the broken instruction's immediates.
      c.pos = Math.max(c.pos, start + 1);
      while (!c.atEnd) {
        const node = c.peek()!;
        if (isList(node) || (node.kind === TokenKind.Keyword && opByName(node.text))) break;
        c.pos++;
      }
    }
  }
}

function parseInstr(c: Cursor, out: InstrNode[], sink: DiagnosticSink): void {
  const node = c.peek()!;
  if (isList(node)) {
    c.pos++;
    parseFolded(node, out, sink);
    return;
  }
  if (node.kind !== TokenKind.Keyword) {
    throw new ParseError(node, `expected an instruction but found ${describeNode(node)}`, 'unexpected-token');
  }
  const op = opByName(node.text);
  if (!op) throw unknownInstruction(node, sink);
  c.pos++;
  out.push(parseImmediates(c, node, op, false));
}

/**
 * Folded instructions recurse; far deeper nesting than any real program is refused with a
 * diagnostic instead of overflowing the JavaScript stack.
 */
const MAX_FOLD_DEPTH = 1000;
let foldDepth = 0;

function parseFolded(list: SList, out: InstrNode[], sink: DiagnosticSink): void {
  if (foldDepth >= MAX_FOLD_DEPTH) {
    throw new ParseError(openParenSpan(list), `instructions nested more than ${MAX_FOLD_DEPTH} deep`, 'too-deep');
  }
  foldDepth++;
  try {
    parseFoldedAt(list, out, sink);
  } finally {
    foldDepth--;
  }
}

/** The implicit `end` of a folded block maps to its closing parenthesis. */
function endSpan(list: SList): Span {
  return closeParenSpan(list) ?? { start: list.end, end: list.end };
}

/**
 * One cursor per folded nesting depth, reused: a folded instruction's cursor is dead once it
 * returns, and a large file has hundreds of thousands of them.
 */
const foldCursors: Cursor[] = [];

function parseFoldedAt(list: SList, out: InstrNode[], sink: DiagnosticSink): void {
  const c = (foldCursors[foldDepth] ??= new Cursor(list.items, list)).reset(list.items, list, 0);
  const head = list.items[0];
  if (!head || isList(head) || head.kind !== TokenKind.Keyword) {
    throw new ParseError(head ?? openParenSpan(list), `expected an instruction but found ${describeNode(head)}`, 'unexpected-token');
  }
  const op = opByName(head.text);
  if (!op) throw unknownInstruction(head, sink);
  if (op.name === 'else' || op.name === 'end') {
    throw new ParseError(head, `\`${op.name}\` cannot be used as a folded instruction`, 'unexpected-token');
  }
  c.pos = 1;
  const instr = parseImmediates(c, head, op, true);
  if (op.name === 'block' || op.name === 'loop') {
    out.push(instr);
    parseInstrSeq(c, out, sink);
    out.push({ op: OP_END, span: endSpan(list), implicit: true });
    return;
  }
  if (op === OP_IF) {
    const hasThen = c.items.some((n, i) => i >= c.pos && headKeyword(n) === 'then');
    if (!hasThen && c.items.length - c.pos >= 2 && c.items.length - c.pos <= 3 && c.items.slice(c.pos).every(isList)) {
      // Legacy form still written by binaryen and accepted by wat2wasm:
      // `(if bt? cond then-expr else-expr?)`, each a single folded expression.
      parseFolded(c.next() as SList, out, sink);
      out.push(instr);
      parseFolded(c.next() as SList, out, sink);
      if (!c.atEnd) {
        const elseExpr = c.next() as SList;
        out.push({ op: OP_ELSE, span: openParenSpan(elseExpr), implicit: true });
        parseFolded(elseExpr, out, sink);
      }
      out.push({ op: OP_END, span: endSpan(list), implicit: true });
      return;
    }
    // Condition operands come first, then (then ...) and an optional (else ...).
    while (!c.atEnd && isList(c.peek()) && headKeyword(c.peek()) !== 'then') {
      const cond = c.next() as SList;
      try {
        parseFolded(cond, out, sink);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        sink.error(e.span, e.code, e.message);
      }
    }
    out.push(instr);
    const thenCursor = c.enterList('then');
    parseInstrSeq(thenCursor, out, sink);
    if (c.peekListHead() === 'else') {
      const elseList = c.peek() as SList;
      const elseCursor = c.enterList('else');
      out.push({ op: OP_ELSE, span: { start: elseList.start, end: elseList.items[0]!.end }, implicit: true });
      parseInstrSeq(elseCursor, out, sink);
    }
    c.expectEnd();
    out.push({ op: OP_END, span: endSpan(list), implicit: true });
    return;
  }
  // Plain folded instruction: operands (folded) first.
  while (!c.atEnd) {
    const operand = c.peek();
    if (!isList(operand)) {
      throw new ParseError(operand!, `expected \`)\` or a folded operand after \`${op.name}\` but found ${describeNode(operand)}`, 'unexpected-token');
    }
    c.pos++;
    parseFolded(operand, out, sink);
  }
  out.push(instr);
}

/** A constant expression (global init, segment offset, element item): an instruction sequence. */
export function parseExpr(c: Cursor, sink: DiagnosticSink): InstrNode[] {
  const out: InstrNode[] = [];
  parseInstrSeq(c, out, sink);
  return out;
}

/** One folded instruction used as an abbreviated expression (`(i32.const 0)` as an offset). */
export function parseFoldedExpr(list: SNode, sink: DiagnosticSink): InstrNode[] {
  const out: InstrNode[] = [];
  parseFolded(list as SList, out, sink);
  return out;
}

