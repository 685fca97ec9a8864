// Module fields of the text format, every abbreviation expanded into the ast.ts shapes. Parsing
// never throws: each field that fails reports one diagnostic and the parser moves on to the next
// field, so one typo gives one diagnostic and later errors are still found.
import { DiagnosticSink, LineIndex, type Diagnostic, type Span } from './diagnostics.js';
import { lex, TokenKind, type LexResult } from './lexer.js';
import { Cursor, ParseError, describeItem, expectRefType, expectValType } from './cursor.js';
import type { SNode } from './sexpr.js';
import type { TokenTable } from './token-table.js';
import {
  expectRef, parseExpr, parseFoldedExpr, parseInstrSeq, parseParamList, parseTypeUse, releaseFoldCursors, takeRef, takeRefFunc,
} from './instr-parser.js';
import { InstrSeq, InstrTable } from './instr-table.js';
import type {
  Binding, DataField, ElemField, ExportField, FuncField, GlobalField, InlineExport, InlineImport, MemoryField,
  ModuleField, ModuleNode, ParamDecl, StartField, TableField, TypeField,
} from './ast.js';
import { ValType, type Limits, type RefType } from '../wasm/types.js';

export interface ParsedText {
  text: string;
  lines: LineIndex;
  lex: LexResult;
  /** Every token with each list's extent: what the parser reads. */
  tokens: TokenTable;
  /** The concrete tree as objects (top-level lists and atoms), built on first use. */
  readonly tree: SNode[];
}

/** Lexes and groups a text; the first stage shared by modules and scripts. */
export function parseTree(text: string, sink: DiagnosticSink): ParsedText {
  const lexed = lex(text, sink);
  return { text, lines: new LineIndex(text), lex: lexed, tokens: lexed.tokens, get tree() { return lexed.tree; } };
}

function binding(c: Cursor): Binding | undefined {
  const id = c.takeId();
  return id !== undefined ? { name: c.t.text(id), span: c.t.span(id) } : undefined;
}

/** The span of list row `list`, parentheses included. */
function listSpan(t: TokenTable, list: number): Span {
  return t.span(list);
}

function inlineExports(c: Cursor): InlineExport[] {
  const out: InlineExport[] = [];
  while (c.peekListHead() === 'export') {
    const inner = c.enterList('export');
    const { name, span } = inner.expectName('an export name');
    inner.expectEnd();
    out.push({ name, span });
  }
  return out;
}

function inlineImport(c: Cursor): InlineImport | undefined {
  if (c.peekListHead() !== 'import') return undefined;
  const list = c.pos;
  const inner = c.enterList('import');
  const module = inner.expectName('a module name').name;
  const name = inner.expectName('an import name').name;
  inner.expectEnd();
  return { module, name, span: listSpan(c.t, list) };
}

function parseLimits(c: Cursor): Limits {
  const min = c.expectU32('the minimum size');
  const maxToken = c.peekToken(TokenKind.Number);
  if (maxToken !== undefined) return { min, max: c.expectU32() };
  return { min };
}

/** `(offset instr*)` or one folded instruction. */
function parseOffset(c: Cursor, table: InstrTable, sink: DiagnosticSink): InstrSeq {
  if (c.peekListHead() === 'offset') {
    const inner = c.enterList('offset');
    return parseExpr(inner, table, sink);
  }
  if (!c.peekIsList()) c.fail('an offset expression');
  const list = c.next()!;
  return parseFoldedExpr(c.t, list, table, sink);
}

/** Element expressions: `(item instr*)` or one folded instruction each. */
function parseElemExprs(c: Cursor, table: InstrTable, sink: DiagnosticSink): InstrSeq[] {
  const items: InstrSeq[] = [];
  while (!c.atEnd) {
    if (c.peekListHead() === 'item') items.push(parseExpr(c.enterList('item'), table, sink));
    else {
      if (!c.peekIsList()) c.fail('an element expression');
      items.push(parseFoldedExpr(c.t, c.next()!, table, sink));
    }
  }
  return items;
}

/** `func x*`: each index as the `ref.func x` expression it stands for. */
function funcIndexItems(c: Cursor, table: InstrTable): InstrSeq[] {
  const items: InstrSeq[] = [];
  for (let from = table.count; takeRefFunc(c, table); from = table.count) items.push(new InstrSeq(table, from, table.count));
  return items;
}

/** `reftype expr*` or `func x*`; returns undefined when neither starts here. */
function parseElemList(c: Cursor, table: InstrTable, sink: DiagnosticSink): { type: RefType; items: InstrSeq[]; funcIndices: boolean } | undefined {
  if (c.takeKeyword('func')) return { type: ValType.FuncRef, items: funcIndexItems(c, table), funcIndices: true };
  const at = c.peekKeyword();
  const word = at === undefined ? undefined : c.t.text(at);
  if (word === 'funcref' || word === 'externref') {
    const type = expectRefType(c);
    return { type, items: parseElemExprs(c, table, sink), funcIndices: false };
  }
  return undefined;
}

class ModuleParser {
  readonly fields: ModuleField[] = [];
  private sawDefinition = false;

  constructor(private readonly sink: DiagnosticSink, readonly table: InstrTable) {}

  /** Imports must precede definitions of functions, tables, memories and globals. */
  private noteImport(span: Span): void {
    if (this.sawDefinition) throw new ParseError(span, 'imports must occur before all non-import definitions', 'import-after-definition');
  }

  parseField(t: TokenTable, list: number): void {
    const head = t.head(list);
    const c = Cursor.inList(t, list, 1);
    const span = listSpan(t, list);
    switch (head) {
      case 'type': return this.push(this.typeField(c, span));
      case 'func': return this.push(this.funcField(c, span));
      case 'table': return this.push(this.tableField(c, span));
      case 'memory': return this.push(this.memoryField(c, span));
      case 'global': return this.push(this.globalField(c, span));
      case 'import': return this.push(this.importField(c, span));
      case 'export': return this.push(this.exportField(c, span));
      case 'start': return this.push(this.startField(c, span));
      case 'elem': return this.push(this.elemField(c, span));
      case 'data': return this.push(this.dataField(c, span));
      default: {
        const first = list + 1 < t.itemsEnd(list) ? list + 1 : undefined;
        throw new ParseError(first !== undefined ? t.span(first) : t.openParenSpan(list),
          `expected a module field (type, import, func, table, memory, global, export, start, elem, data) but found ${describeItem(t, first ?? list)}`,
          'unexpected-token');
      }
    }
  }

  private push(field: ModuleField): void {
    this.fields.push(field);
  }

  private typeField(c: Cursor, span: Span): TypeField {
    const id = binding(c);
    const inner = c.enterList('func');
    const params: ParamDecl[] = [];
    const results: ValType[] = [];
    while (inner.peekListHead() === 'param') parseParamList(inner.enterList('param'), params, true, 'param');
    while (inner.peekListHead() === 'result') {
      const r = inner.enterList('result');
      while (!r.atEnd) results.push(expectValType(r));
    }
    inner.expectEnd();
    c.expectEnd();
    return { kind: 'type', span, id, params, results };
  }

  private funcField(c: Cursor, span: Span, importDesc?: InlineImport): FuncField {
    const id = binding(c);
    const exports = importDesc ? [] : inlineExports(c);
    const imp = importDesc ?? inlineImport(c);
    if (imp) this.noteImport(span);
    const typeUse = parseTypeUse(c, true);
    const table = this.table;
    const field: FuncField = { kind: 'func', span, id, exports, import: imp, typeUse, locals: [], body: new InstrSeq(table, table.count, table.count) };
    if (imp) {
      c.expectEnd();
      return field;
    }
    this.sawDefinition = true;
    while (c.peekListHead() === 'local') parseParamList(c.enterList('local'), field.locals, true, 'local');
    parseInstrSeq(c, table, this.sink);
    field.body.to = table.count;
    return field;
  }

  private tableField(c: Cursor, span: Span, importDesc?: InlineImport): TableField {
    const id = binding(c);
    const exports = importDesc ? [] : inlineExports(c);
    const imp = importDesc ?? inlineImport(c);
    if (imp) this.noteImport(span);
    else this.sawDefinition = true;
    const field: TableField = { kind: 'table', span, id, exports, import: imp, type: { elem: ValType.FuncRef, limits: { min: 0 } } };
    const refTok = c.peekKeyword();
    const refWord = refTok === undefined ? undefined : c.t.text(refTok);
    if (!imp && (refWord === 'funcref' || refWord === 'externref')) {
      // `(table reftype (elem ...))`: the size is the number of elements.
      field.type.elem = expectRefType(c);
      const elemList = c.pos;
      const inner = c.enterList('elem');
      let items: InstrSeq[];
      let funcIndices = true;
      if (inner.peekIsList()) {
        items = parseElemExprs(inner, this.table, this.sink);
        funcIndices = false;
      } else items = funcIndexItems(inner, this.table);
      inner.expectEnd();
      c.expectEnd();
      field.type.limits = { min: items.length, max: items.length };
      field.inlineElem = { items, funcIndices, span: listSpan(c.t, elemList) };
      return field;
    }
    field.type.limits = parseLimits(c);
    field.type.elem = expectRefType(c);
    c.expectEnd();
    return field;
  }

  private memoryField(c: Cursor, span: Span, importDesc?: InlineImport): MemoryField {
    const id = binding(c);
    const exports = importDesc ? [] : inlineExports(c);
    const imp = importDesc ?? inlineImport(c);
    if (imp) this.noteImport(span);
    else this.sawDefinition = true;
    const field: MemoryField = { kind: 'memory', span, id, exports, import: imp, limits: { min: 0 } };
    if (!imp && c.peekListHead() === 'data') {
      const dataList = c.pos;
      const inner = c.enterList('data');
      const chunks: Uint8Array[] = [];
      while (!inner.atEnd) chunks.push(inner.expectString());
      const bytes = concat(chunks);
      const pages = Math.ceil(bytes.length / 65536);
      field.limits = { min: pages, max: pages };
      field.inlineData = { bytes, span: listSpan(c.t, dataList) };
    } else field.limits = parseLimits(c);
    c.expectEnd();
    return field;
  }

  private globalField(c: Cursor, span: Span, importDesc?: InlineImport): GlobalField {
    const id = binding(c);
    const exports = importDesc ? [] : inlineExports(c);
    const imp = importDesc ?? inlineImport(c);
    if (imp) this.noteImport(span);
    else this.sawDefinition = true;
    let type;
    if (c.peekListHead() === 'mut') {
      const inner = c.enterList('mut');
      type = { type: expectValType(inner), mutable: true };
      inner.expectEnd();
    } else type = { type: expectValType(c), mutable: false };
    const table = this.table;
    const field: GlobalField = { kind: 'global', span, id, exports, import: imp, type, init: new InstrSeq(table, table.count, table.count) };
    if (imp) c.expectEnd();
    else field.init = parseExpr(c, table, this.sink);
    return field;
  }

  private importField(c: Cursor, span: Span): ModuleField {
    const module = c.expectName('a module name').name;
    const name = c.expectName('an import name').name;
    const imp: InlineImport = { module, name, span };
    const kind = c.peekListHead();
    if (kind !== 'func' && kind !== 'table' && kind !== 'memory' && kind !== 'global') {
      c.fail('an import description `(func ...)`, `(table ...)`, `(memory ...)` or `(global ...)`');
    }
    const inner = c.enterList(kind);
    c.expectEnd();
    if (kind === 'func') return this.funcField(inner, span, imp);
    if (kind === 'memory') return this.memoryField(inner, span, imp);
    if (kind === 'global') return this.globalField(inner, span, imp);
    return this.tableField(inner, span, imp);
  }

  private exportField(c: Cursor, span: Span): ExportField {
    const { name } = c.expectName('an export name');
    const kind = c.peekListHead();
    if (kind !== 'func' && kind !== 'table' && kind !== 'memory' && kind !== 'global') {
      c.fail('an export description `(func x)`, `(table x)`, `(memory x)` or `(global x)`');
    }
    const inner = c.enterList(kind);
    const ref = expectRef(inner, `a ${kind} index or name`);
    inner.expectEnd();
    c.expectEnd();
    return { kind: 'export', span, name, space: kind, ref };
  }

  private sawStart = false;

  private startField(c: Cursor, span: Span): StartField {
    if (this.sawStart) throw new ParseError(span, 'multiple start sections', 'duplicate-start');
    this.sawStart = true;
    const ref = expectRef(c, 'a function index or name');
    c.expectEnd();
    return { kind: 'start', span, ref };
  }

  private elemField(c: Cursor, span: Span): ElemField {
    const id = binding(c);
    const field: ElemField = { kind: 'elem', span, id, mode: 'passive', elemType: ValType.FuncRef, items: [], funcIndices: false };
    if (c.takeKeyword('declare')) {
      field.mode = 'declarative';
      const list = parseElemList(c, this.table, this.sink) ?? c.fail('`func` or a reference type');
      Object.assign(field, { elemType: list.type, items: list.items, funcIndices: list.funcIndices });
      c.expectEnd();
      return field;
    }
    let activeTable = false;
    if (c.peekListHead() === 'table') {
      const inner = c.enterList('table');
      field.table = expectRef(inner, 'a table index or name');
      inner.expectEnd();
      activeTable = true;
    } else {
      // Legacy form `(elem 0 (offset ...) ...)`: a bare table index.
      const ref = c.peekToken(TokenKind.Number) !== undefined ? takeRef(c) : undefined;
      if (ref) { field.table = ref; activeTable = true; }
    }
    if (activeTable || c.peekIsList()) {
      field.mode = 'active';
      field.offset = parseOffset(c, this.table, this.sink);
      const list = parseElemList(c, this.table, this.sink);
      if (list) Object.assign(field, { elemType: list.type, items: list.items, funcIndices: list.funcIndices });
      else Object.assign(field, { items: funcIndexItems(c, this.table), funcIndices: true });
      c.expectEnd();
      return field;
    }
    const list = parseElemList(c, this.table, this.sink) ?? c.fail('`func`, a reference type, or an offset');
    Object.assign(field, { elemType: list.type, items: list.items, funcIndices: list.funcIndices });
    c.expectEnd();
    return field;
  }

  private dataField(c: Cursor, span: Span): DataField {
    const id = binding(c);
    const field: DataField = { kind: 'data', span, id, mode: 'passive', bytes: new Uint8Array(0) };
    let active = false;
    if (c.peekListHead() === 'memory') {
      const inner = c.enterList('memory');
      field.memory = expectRef(inner, 'a memory index or name');
      inner.expectEnd();
      active = true;
    } else if (c.peekToken(TokenKind.Number) !== undefined) {
      field.memory = takeRef(c);
      active = true;
    }
    if (active || c.peekIsList()) {
      field.mode = 'active';
      field.offset = parseOffset(c, this.table, this.sink);
    }
    const chunks: Uint8Array[] = [];
    while (!c.atEnd) chunks.push(c.expectString('a data string'));
    field.bytes = concat(chunks);
    return field;
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  let total = 0;
  for (const ch of chunks) total += ch.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const ch of chunks) {
    out.set(ch, at);
    at += ch.length;
  }
  return out;
}

/**
 * Parses module fields from the items of `c` (the inside of `(module ...)` after the optional id,
 * or the top level of a .wat file written without the wrapper).
 */
export function parseModuleFields(c: Cursor, sink: DiagnosticSink): { fields: ModuleField[]; instrs: InstrTable } {
  // Nearly every instruction is one keyword, and most keywords are instructions: the count sizes the
  // rows within a few percent (the columns are allocated once; a miss doubles them).
  const parser = new ModuleParser(sink, new InstrTable(c.t, c.t.keywordsIn(c.pos, c.end) + 16));
  const t = c.t;
  try {
    while (!c.atEnd) {
      const item = c.next()!;
      if (!t.isList(item)) {
        sink.error(t.span(item), 'unexpected-token', `expected a module field but found ${describeItem(t, item)}`);
        continue;
      }
      try {
        parser.parseField(t, item);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        sink.error(e.span, e.code, e.message);
      }
    }
  } finally {
    releaseFoldCursors();
  }
  return { fields: parser.fields, instrs: parser.table };
}

export interface ModuleParse {
  module: ModuleNode;
  parsed: ParsedText;
  diagnostics: Diagnostic[];
  /** The sink, still open: resolution and assembly append to it. */
  sink: DiagnosticSink;
}

/** Parses a .wat text: either one `(module ...)` or bare module fields. */
export function parseModuleText(text: string): ModuleParse {
  const sink = new DiagnosticSink();
  const parsed = parseTree(text, sink);
  const module = moduleFromTokens(parsed.tokens, sink, { start: 0, end: text.length });
  return { module, parsed, sink, get diagnostics() { return sink.toDiagnostics(parsed.lines); } };
}

/** The module of a whole text: one `(module ...)`, or bare fields. */
export function moduleFromTokens(t: TokenTable, sink: DiagnosticSink, whole: Span): ModuleNode {
  if (t.count > 0 && t.head(0) === 'module') {
    for (let i = t.next(0); i < t.count; i = t.next(i)) {
      sink.error(t.span(i), 'unexpected-token', `unexpected ${describeItem(t, i)} after the module`);
    }
    return moduleFromList(t, 0, sink);
  }
  return bareModule(t, 0, t.count, sink, whole);
}

/** Module fields written without `(module ...)` around them: the items in rows [from, to). */
export function bareModule(t: TokenTable, from: number, to: number, sink: DiagnosticSink, whole: Span): ModuleNode {
  return { ...parseModuleFields(new Cursor(t, from, to, -1), sink), span: whole };
}

/** `(module $id? field*)` at list row `list`. */
export function moduleFromList(t: TokenTable, list: number, sink: DiagnosticSink): ModuleNode {
  const c = Cursor.inList(t, list, 1);
  const id = binding(c);
  return { id, ...parseModuleFields(c, sink), span: listSpan(t, list) };
}
