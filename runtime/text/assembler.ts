// Resolved module → binary, byte-identical to wat2wasm (wabt 1.0.32) without its name section:
// minimal LEBs, wabt's section order, wabt's choice of element-segment encodings and of the
// data count section, implicit types already placed by resolution. Emits a source map from every
// instruction's absolute byte offset to its text span, which the debugger (breakpoints on WAT
// lines) and checkText (validator errors on text) use.
import type { DiagnosticSink, Span } from './diagnostics.js';
import { ByteWriter, u32Size } from './byte-writer.js';
import { InstrMapBuilder, type InstrColumns } from './instr-map.js';
import type { FuncField, InlineExport, Ref, TypeUse } from './ast.js';
import { InstrSeq, type InstrTable } from './instr-table.js';
import type { ResolvedModule } from './resolve.js';
import { Imm, IMM_BY_CODE, opByCode, opByName } from '../wasm/opcodes.js';
import { BLOCK_EMPTY, ValType, type FuncType, type Limits } from '../wasm/types.js';

export interface InstrMapping {
  /** Absolute byte offset of the instruction's first byte. */
  offset: number;
  span: Span;
  /** Function index space index; -1 for constant expressions outside functions. */
  funcIndex: number;
}

export interface FuncMapping {
  funcIndex: number;
  /** The whole `(func ...)` form. */
  span: Span;
  /** Absolute offsets: the body's size LEB, its first instruction, just past its final `end`. */
  start: number;
  codeStart: number;
  end: number;
}

export interface SourceMap {
  /** Sorted by offset. Built from `instrColumns` on first use when those are present. */
  instrs: InstrMapping[];
  /**
   * The same mappings without an object per instruction (what the assembler produces); the
   * source-map queries use these when present. Added for large files: see instr-map.ts.
   */
  instrColumns?: InstrColumns;
  funcs: FuncMapping[];
  /**
   * Absolute offset of every non-code section entry (type, import, function declaration, table,
   * memory, global, export, start, element and data segment) and the span of the text that
   * produced it; sorted by offset. Module-level validation errors are mapped through these.
   */
  entries: { offset: number; span: Span }[];
}

export interface AssembleOptions {
  /** Emit a `name` section like `wat2wasm --debug-names` would (function and local names). */
  debugNames?: boolean;
}

const OP_END = 0x0b;
const OP_ELSE = 0x05;
const OP_I32_CONST = 0x41;
const REF_FUNC = opByName('ref.func')!.code;
const MEMORY_INIT = opByName('memory.init')!.code;
const DATA_DROP = opByName('data.drop')!.code;

function blockTypeValue(tu: TypeUse | undefined, types: FuncType[]): number {
  if (!tu) return BLOCK_EMPTY;
  const sig = tu.typeIndex !== undefined ? types[tu.typeIndex] : undefined;
  const params = sig ? sig.params : tu.params.map((p) => p.type);
  const results = sig ? sig.results : tu.results;
  if (params.length === 0 && results.length <= 1) {
    // wabt writes the short form whenever it can, even for an explicit (type x).
    return results.length === 0 ? BLOCK_EMPTY : valTypeS33(results[0]!);
  }
  return tu.typeIndex!;
}

function valTypeS33(t: ValType): number {
  return (t as number) - 0x80;
}

function writeLimits(w: ByteWriter, limits: Limits): void {
  if (limits.max === undefined) {
    w.byte(0);
    w.u32(limits.min);
  } else {
    w.byte(1);
    w.u32(limits.min);
    w.u32(limits.max);
  }
}

/** The assembler's source map: instruction mappings kept in columns, objects made on request. */
class ColumnSourceMap implements SourceMap {
  private objects: InstrMapping[] | undefined;

  constructor(readonly instrColumns: InstrMapBuilder, readonly funcs: FuncMapping[], readonly entries: { offset: number; span: Span }[]) {}

  get instrs(): InstrMapping[] {
    if (!this.objects) {
      const c = this.instrColumns;
      const out: InstrMapping[] = new Array(c.count);
      for (let i = 0; i < c.count; i++) out[i] = { offset: c.offsets[i]!, span: { start: c.starts[i]!, end: c.ends[i]! }, funcIndex: c.funcIndices[i]! };
      this.objects = out;
    }
    return this.objects;
  }
}

class CodeWriter {
  /** Index of this writer's first mapping in the module's map. */
  readonly firstMapping: number;
  usesDataCount = false;

  /**
   * Mappings go straight into the module's map, at offsets in `w` until rebased. Function bodies
   * share one writer: a small buffer each, grown and then copied, cost more than the writing.
   */
  constructor(private readonly types: FuncType[], private readonly mappings: InstrMapBuilder, readonly w = new ByteWriter()) {
    this.firstMapping = mappings.count;
  }

  /** Records a mapping for the byte about to be written. */
  map(span: Span): void {
    this.mappings.push(this.w.length, span.start, span.end, -1);
  }

  instrs(seq: InstrSeq): void {
    const table = seq.table;
    const codes = table.codes;
    for (let i = seq.from; i < seq.to; i++) {
      // wabt drops an empty else branch (`else` directly followed by its `end`).
      if (codes[i] === OP_ELSE && i + 1 < seq.to && codes[i + 1] === OP_END) continue;
      this.instr(table, i);
    }
  }

  /** `i32.const 0` mapped to `span`: the offset wat2wasm gives inline element and data segments. */
  zeroOffset(span: Span): void {
    this.map(span);
    this.w.byte(OP_I32_CONST);
    this.w.byte(0);
  }

  instr(table: InstrTable, i: number): void {
    const w = this.w;
    const code = table.codes[i]!;
    this.mappings.push(w.length, table.starts[i]!, table.ends[i]!, -1);
    if (code < 0x100) w.byte(code);
    else {
      w.byte(code >> 8);
      w.u32(code & 0xff);
    }
    if (code === MEMORY_INIT || code === DATA_DROP) this.usesDataCount = true;
    const imm = IMM_BY_CODE[code];
    switch (imm) {
      case Imm.None:
        break;
      case Imm.MemoryCopy:
        w.byte(0);
        w.byte(0);
        break;
      case Imm.BlockType:
        w.s32(blockTypeValue(table.extra<TypeUse>(table.b[i]!), this.types));
        break;
      case Imm.Label:
      case Imm.Func:
      case Imm.Local:
      case Imm.Global:
      case Imm.Data:
      case Imm.Elem:
      case Imm.Table:
      case Imm.Memory:
        w.u32(table.indices[i]!);
        break;
      case Imm.MemoryInit:
        w.u32(table.indices[i]!);
        w.byte(0);
        break;
      case Imm.BrTable: {
        const labels = table.extra<Ref[]>(table.a[i]!)!;
        w.u32(labels.length - 1);
        for (const l of labels) w.u32(l.index ?? 0);
        break;
      }
      case Imm.CallIndirect:
        w.u32(table.extra<TypeUse>(table.a[i]!)?.typeIndex ?? 0);
        w.u32(table.ref2(i)?.index ?? 0);
        break;
      case Imm.TableInit:
      case Imm.TableCopy:
        w.u32(table.indices[i]!);
        w.u32(table.ref2(i)?.index ?? 0);
        break;
      case Imm.MemArg:
      case Imm.MemArgLane: {
        const align = table.a[i]!;
        w.u32(align >= 0 ? align : opByCode(code)!.naturalAlign ?? 0);
        w.u32(table.indices[i]!);
        if (imm === Imm.MemArgLane) w.byte(table.b[i]!);
        break;
      }
      case Imm.Lane:
        w.byte(table.b[i]!);
        break;
      case Imm.I32:
        w.s32(table.a[i]!);
        break;
      case Imm.I64:
        w.s64(table.extra<bigint>(table.a[i]!) ?? 0n);
        break;
      case Imm.F32:
        w.f32Bits(table.a[i]!);
        break;
      case Imm.F64:
        w.f64Bits(table.extra<bigint>(table.a[i]!) ?? 0n);
        break;
      case Imm.V128:
      case Imm.Shuffle:
        w.bytes(table.extra<Uint8Array>(table.a[i]!)!);
        break;
      case Imm.RefType:
        w.byte(table.a[i]!);
        break;
      case Imm.SelectTypes: {
        const types = table.extra<ValType[]>(table.a[i]!)!;
        w.u32(types.length);
        for (const t of types) w.byte(t);
        break;
      }
    }
  }
}

export interface AssembleResult {
  bytes: Uint8Array;
  sourceMap: SourceMap;
}

/** Assembles a resolved module. Reports only what the binary cannot express (e.g. oversized data). */
export function assembleModule(r: ResolvedModule, sink: DiagnosticSink, options: AssembleOptions = {}): AssembleResult {
  // Sized for the function bodies (each instruction plus the final `end`) so the columns are
  // allocated once; constant expressions may grow them.
  let bodyInstrs = 64;
  for (const f of r.funcs) if (!f.import) bodyInstrs += f.body.length + 1;
  // About three bytes per instruction: the output then grows once or not at all, instead of
  // doubling from a few hundred bytes (every step a new buffer and a copy).
  const out = new ByteWriter(bodyInstrs * 3 + 1024);
  out.bytes(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
  const instrMaps = new InstrMapBuilder(bodyInstrs);
  const funcMaps: FuncMapping[] = [];
  // No assembly diagnostics exist yet: everything the binary cannot express is caught while
  // parsing, resolving or decoding. The sink stays in the signature so callers need not change.
  void sink;

  const section = (id: number, build: (w: ByteWriter) => void, force = false): number | undefined => {
    const w = new ByteWriter();
    build(w);
    if (w.length === 0 && !force) return undefined;
    out.byte(id);
    out.u32(w.length);
    const contentStart = out.length;
    out.bytes(w.toBytes());
    return contentStart;
  };

  const entryMaps: { offset: number; span: Span }[] = [];
  // Entries are recorded relative to the section content, then rebased once it is placed.
  let pendingEntries: { rel: number; span: Span }[] = [];
  const entry = (w: ByteWriter, span: Span | undefined): void => {
    if (span) pendingEntries.push({ rel: w.length, span });
  };
  const flushEntries = (contentStart: number | undefined): void => {
    if (contentStart !== undefined) for (const e of pendingEntries) entryMaps.push({ offset: contentStart + e.rel, span: e.span });
    pendingEntries = [];
  };

  const vecSection = <T>(id: number, items: T[], each: (w: ByteWriter, item: T) => void, spanOf?: (item: T) => Span | undefined): number | undefined => {
    if (items.length === 0) return undefined;
    const start = section(id, (w) => {
      w.u32(items.length);
      for (const item of items) {
        if (spanOf) entry(w, spanOf(item));
        each(w, item);
      }
    });
    flushEntries(start);
    return start;
  };

  /** A constant expression: `seq`, or for a segment's implicit offset `i32.const 0` mapped to a span. */
  const constExpr = (w: ByteWriter, instrs: InstrSeq | Span | undefined): void => {
    const cw = new CodeWriter(r.types, instrMaps);
    if (instrs instanceof InstrSeq) cw.instrs(instrs);
    else if (instrs) cw.zeroOffset(instrs);
    cw.w.byte(OP_END);
    const start = w.length;
    w.bytes(cw.w.toBytes());
    // Constant expressions are mapped once the section is placed (flushConst knows its start).
    pendingConst.push({ rel: start, from: cw.firstMapping, to: instrMaps.count });
  };
  let pendingConst: { rel: number; from: number; to: number }[] = [];
  const flushConst = (contentStart: number | undefined) => {
    if (contentStart !== undefined) {
      for (const p of pendingConst) instrMaps.rebase(p.from, p.to, contentStart + p.rel, -1);
    }
    pendingConst = [];
  };

  // Type section.
  const typeSpans = r.module.fields.filter((f) => f.kind === 'type').map((f) => f.span);
  vecSection(1, r.types.map((t, i) => ({ t, i })), (w, { t }) => {
    w.byte(0x60);
    w.u32(t.params.length);
    for (const p of t.params) w.byte(p);
    w.u32(t.results.length);
    for (const res of t.results) w.byte(res);
  }, ({ i }) => typeSpans[i]);

  // Imports, in field order.
  const imports = r.module.fields.filter((f) => (f.kind === 'func' || f.kind === 'table' || f.kind === 'memory' || f.kind === 'global') && f.import);
  vecSection(2, imports, (w, f) => {
    if (f.kind !== 'func' && f.kind !== 'table' && f.kind !== 'memory' && f.kind !== 'global') return;
    w.name(f.import!.module);
    w.name(f.import!.name);
    switch (f.kind) {
      case 'func': w.byte(0); w.u32(f.typeUse.typeIndex ?? 0); break;
      case 'table': w.byte(1); w.byte(f.type.elem); writeLimits(w, f.type.limits); break;
      case 'memory': w.byte(2); writeLimits(w, f.limits); break;
      case 'global': w.byte(3); w.byte(f.type.type); w.byte(f.type.mutable ? 1 : 0); break;
    }
  }, (f) => f.span);

  const definedFuncs = r.funcs.filter((f) => !f.import);
  const importedFuncCount = r.funcs.length - definedFuncs.length;
  vecSection(3, definedFuncs, (w, f) => w.u32(f.typeUse.typeIndex ?? 0), (f) => f.span);
  vecSection(4, r.tables.filter((t) => !t.import), (w, t) => {
    w.byte(t.type.elem);
    writeLimits(w, t.type.limits);
  }, (t) => t.span);
  vecSection(5, r.memories.filter((m) => !m.import), (w, m) => writeLimits(w, m.limits), (m) => m.span);
  const definedGlobals = r.globals.filter((g) => !g.import);
  if (definedGlobals.length) {
    const start = section(6, (w) => {
      w.u32(definedGlobals.length);
      for (const g of definedGlobals) {
        entry(w, g.span);
        w.byte(g.type.type);
        w.byte(g.type.mutable ? 1 : 0);
        constExpr(w, g.init);
      }
    });
    flushConst(start);
    flushEntries(start);
  }

  // Exports: inline ones at their field's position, explicit ones where written.
  const exports: { name: string; kind: number; index: number; span: Span }[] = [];
  const counters = { func: 0, table: 0, memory: 0, global: 0 };
  const kindCode = { func: 0, table: 1, memory: 2, global: 3 } as const;
  for (const f of r.module.fields) {
    if (f.kind === 'func' || f.kind === 'table' || f.kind === 'memory' || f.kind === 'global') {
      const index = counters[f.kind]++;
      for (const e of f.exports as InlineExport[]) exports.push({ name: e.name, kind: kindCode[f.kind], index, span: e.span });
    } else if (f.kind === 'export') {
      exports.push({ name: f.name, kind: kindCode[f.space], index: f.ref.index ?? 0, span: f.span });
    }
  }
  vecSection(7, exports, (w, e) => {
    w.name(e.name);
    w.byte(e.kind);
    w.u32(e.index);
  }, (e) => e.span);

  const start = r.module.fields.find((f) => f.kind === 'start');
  if (start && start.kind === 'start') {
    flushEntries(section(8, (w) => {
      entry(w, start.span);
      w.u32(start.ref.index ?? 0);
    }));
  }

  if (r.elems.length) {
    const contentStart = section(9, (w) => {
      w.u32(r.elems.length);
      for (const e of r.elems) {
        entry(w, e.kind === 'table' ? e.field.inlineElem!.span : e.field.span);
        if (e.kind === 'table') {
          const items = e.field.inlineElem!.items;
          const funcIndices = allRefFunc(items) && e.field.type.elem === ValType.FuncRef;
          const explicit = e.tableIndex !== 0;
          w.u32((explicit ? 2 : 0) | (funcIndices ? 0 : 4));
          if (explicit) w.u32(e.tableIndex);
          constExpr(w, e.field.inlineElem!.span);
          if (explicit) w.byte(funcIndices ? 0 : e.field.type.elem);
          writeElemItems(w, items, funcIndices);
          continue;
        }
        const f = e.field;
        const funcIndices = allRefFunc(f.items) && f.elemType === ValType.FuncRef;
        const exprBit = funcIndices ? 0 : 4;
        if (f.mode === 'active') {
          const tableIndex = f.table?.index ?? 0;
          const explicit = tableIndex !== 0 || (!funcIndices && f.elemType !== ValType.FuncRef);
          w.u32((explicit ? 2 : 0) | exprBit);
          if (explicit) w.u32(tableIndex);
          constExpr(w, f.offset);
          if (explicit) w.byte(funcIndices ? 0 : f.elemType);
        } else {
          w.u32((f.mode === 'passive' ? 1 : 3) | exprBit);
          w.byte(funcIndices ? 0 : f.elemType);
        }
        writeElemItems(w, f.items, funcIndices);
      }
    });
    flushConst(contentStart);
    flushEntries(contentStart);
  }

  function writeElemItems(w: ByteWriter, items: InstrSeq[], funcIndices: boolean): void {
    w.u32(items.length);
    for (const item of items) {
      if (funcIndices) w.u32(item.table.indices[item.from]!);
      else constExpr(w, item);
    }
  }

  // Code is assembled before the data count section is written, since wabt only keeps that
  // section when the code uses memory.init or data.drop.
  // All bodies go into one writer, each at [start, end); mappings [from, to) are relative to it.
  const bodies: { start: number; end: number; from: number; to: number; field: FuncField; codeRel: number }[] = [];
  const code = new ByteWriter(bodyInstrs * 3);
  let usesDataCount = false;
  for (const f of definedFuncs) {
    const cw = new CodeWriter(r.types, instrMaps, code);
    const start = code.length;
    const groups: { count: number; type: ValType }[] = [];
    for (const l of f.locals) {
      const last = groups[groups.length - 1];
      if (last && last.type === l.type) last.count++;
      else groups.push({ count: 1, type: l.type });
    }
    cw.w.u32(groups.length);
    for (const g of groups) {
      cw.w.u32(g.count);
      cw.w.byte(g.type);
    }
    const codeRel = cw.w.length - start;
    cw.instrs(f.body);
    cw.map({ start: f.span.end - 1, end: f.span.end });
    cw.w.byte(OP_END);
    usesDataCount ||= cw.usesDataCount;
    bodies.push({ start, end: code.length, from: cw.firstMapping, to: instrMaps.count, field: f, codeRel });
  }

  if (r.datas.length && usesDataCount) section(12, (w) => w.u32(r.datas.length));
  // The function section's entries point at the declarations; the code bodies map to instructions.

  if (bodies.length) {
    out.byte(10);
    let size = u32Size(bodies.length);
    for (const b of bodies) size += u32Size(b.end - b.start) + b.end - b.start;
    out.ensure(size + 10);
    out.u32(size);
    out.u32(bodies.length);
    bodies.forEach((b, i) => {
      const bodyStart = out.length;
      out.u32(b.end - b.start);
      const base = out.length;
      out.bytes(code.view(b.start, b.end));
      const funcIndex = importedFuncCount + i;
      funcMaps.push({ funcIndex, span: b.field.span, start: bodyStart, codeStart: base + b.codeRel, end: out.length });
      instrMaps.rebase(b.from, b.to, base - b.start, funcIndex);
    });
  }

  if (r.datas.length) {
    const contentStart = section(11, (w) => {
      w.u32(r.datas.length);
      for (const d of r.datas) {
        entry(w, d.kind === 'memory' ? d.field.inlineData!.span : d.field.span);
        if (d.kind === 'memory') {
          const explicit = d.memoryIndex !== 0;
          w.u32(explicit ? 2 : 0);
          if (explicit) w.u32(d.memoryIndex);
          constExpr(w, d.field.inlineData!.span);
          w.u32(d.field.inlineData!.bytes.length);
          w.bytes(d.field.inlineData!.bytes);
          continue;
        }
        const f = d.field;
        if (f.mode === 'passive') w.u32(1);
        else {
          const memoryIndex = f.memory?.index ?? 0;
          w.u32(memoryIndex !== 0 ? 2 : 0);
          if (memoryIndex !== 0) w.u32(memoryIndex);
          constExpr(w, f.offset);
        }
        w.u32(f.bytes.length);
        w.bytes(f.bytes);
      }
    });
    flushConst(contentStart);
    flushEntries(contentStart);
  }

  if (options.debugNames) writeNameSection(out, r);

  // Sections are written in offset order and mapped as they are placed, so the list is already
  // sorted; sorting is only a fallback.
  instrMaps.finish();
  entryMaps.sort((a, b) => a.offset - b.offset);
  return { bytes: out.toBytes(), sourceMap: new ColumnSourceMap(instrMaps, funcMaps, entryMaps) };
}

function allRefFunc(items: InstrSeq[]): boolean {
  for (const item of items) if (item.length !== 1 || item.table.codes[item.from] !== REF_FUNC) return false;
  return true;
}

/**
 * The name section as `wat2wasm --debug-names` writes it: module name, function names, local
 * names for every function (even with none named), then type, table, memory, global, element
 * and data segment names; label names are not written.
 */
function writeNameSection(out: ByteWriter, r: ResolvedModule): void {
  const content = new ByteWriter();
  content.name('name');
  const subsection = (id: number, build: (w: ByteWriter) => void): void => {
    const sub = new ByteWriter();
    build(sub);
    content.byte(id);
    content.u32(sub.length);
    content.bytes(sub.toBytes());
  };
  const nameMap = (id: number, names: (string | undefined)[]): void => {
    const named = names.map((name, index) => ({ name, index })).filter((n) => n.name !== undefined);
    if (named.length === 0) return;
    subsection(id, (w) => {
      w.u32(named.length);
      for (const n of named) {
        w.u32(n.index);
        w.name(n.name!.slice(1));
      }
    });
  };
  if (r.module.id) subsection(0, (w) => w.name(r.module.id!.name.slice(1)));
  nameMap(1, r.funcs.map((f) => f.id?.name));
  subsection(2, (w) => {
    w.u32(r.funcs.length);
    r.funcs.forEach((f, i) => {
      // With only `(type $t)` the parameters are unnamed, but they still take the first indices.
      const paramsFromType = f.typeUse.ref && !f.typeUse.hasInline;
      const first = paramsFromType ? r.types[f.typeUse.typeIndex ?? -1]?.params.length ?? 0 : 0;
      const decls = [...(paramsFromType ? [] : f.typeUse.params), ...f.locals];
      const named = decls.map((d, j) => ({ d, j: first + j })).filter(({ d }) => d.id);
      w.u32(i);
      w.u32(named.length);
      for (const { d, j } of named) {
        w.u32(j);
        w.name(d.id!.name.slice(1));
      }
    });
  });
  nameMap(4, r.module.fields.filter((f) => f.kind === 'type').map((f) => f.id?.name));
  nameMap(5, r.tables.map((t) => t.id?.name));
  nameMap(6, r.memories.map((m) => m.id?.name));
  nameMap(7, r.globals.map((g) => g.id?.name));
  nameMap(8, r.elems.map((e) => (e.kind === 'field' ? e.field.id?.name : undefined)));
  nameMap(9, r.datas.map((d) => (d.kind === 'field' ? d.field.id?.name : undefined)));
  out.byte(0);
  out.u32(content.length);
  out.bytes(content.toBytes());
}
