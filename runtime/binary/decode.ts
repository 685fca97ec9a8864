// The one binary decoder: bytes in, the shared Module IR (runtime/wasm/types.ts) out, or a
// DecodeError naming the absolute byte offset (and function index inside code). Structural rules
// that the spec classes as "malformed" (section order and sizes, LEB widths, UTF-8, function/code
// and data count consistency) are checked here; typing rules are the validator's job.

import type {
  DataSegment, ElemSegment, Export, ExternKind, FuncType, Global, GlobalType, Import, Instr, Limits, Module,
  TableType, ValType,
} from '../wasm/types.js';
import { ByteReader } from './reader.js';
import { decodeExpr, readRefType, readValType, type ExprInfo } from './code.js';
import { emptyNames, readNameSection } from './names.js';
import { OnDemandFunc } from './on-demand-func.js';
import { DecodeError } from '../wasm/errors.js';

const MAGIC = 0x6d736100; // "\0asm" read little-endian
const VERSION = 1;

const enum Section {
  Custom = 0, Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6, Export = 7, Start = 8,
  Element = 9, Code = 10, Data = 11, DataCount = 12,
}

// Position of each known section in the required order (DataCount sits between Element and Code).
const ORDER: Record<number, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8, 9: 9, 12: 10, 10: 11, 11: 12 };

/**
 * Engines (V8, SpiderMonkey, wasmtime) reject functions with more than 50,000 locals; we do the
 * same so that a tiny body cannot make us expand billions of locals.
 */
export const MAX_LOCALS = 50000;

/**
 * Locals are stored expanded (one array entry each), so a module of tiny bodies that each declare
 * 50,000 locals could still ask for gigabytes. Real modules stay far below 4 locals per byte of
 * module; past that budget we report "too many locals" instead of exhausting memory.
 */
const LOCALS_PER_MODULE_BYTE = 4;

export interface DecodeOptions {
  /**
   * 'keep' (the default): every function's `body` is decoded and checked here, and kept.
   * 'on-demand': a body is decoded and checked when it is read (on-demand-func.ts), so a malformed
   * body is reported by validateModule instead of thrown here; for callers that read each body once.
   */
  bodies?: 'keep' | 'on-demand';
}

export function decodeModule(bytes: Uint8Array, options: DecodeOptions = {}): Module {
  return new ModuleDecoder(bytes, options.bodies === 'on-demand').decode();
}

class ModuleDecoder {
  private readonly r: ByteReader;
  private readonly m: Module;
  private funcTypeIndices: number[] = [];
  private codeCount: number | undefined;
  private dataSectionCount: number | undefined;
  private readonly exprInfo: ExprInfo = { usesDataIndex: false };
  private localsBudget: number;

  constructor(private readonly bytes: Uint8Array, private readonly bodiesOnDemand: boolean) {
    this.r = new ByteReader(bytes);
    this.localsBudget = MAX_LOCALS + LOCALS_PER_MODULE_BYTE * bytes.length;
    this.m = {
      types: [], imports: [], funcs: [], tables: [], memories: [], globals: [], exports: [], elems: [], datas: [],
      customs: [], names: emptyNames(), bytes,
    };
  }

  decode(): Module {
    try {
      return this.decodeSections();
    } catch (e) {
      // With bodies on demand, a body before the failure may be malformed too. Eager decoding
      // would have stopped there first, so that error wins: the same first error either way.
      if (this.bodiesOnDemand && e instanceof DecodeError) throw this.firstMalformedBody() ?? e;
      throw e;
    }
  }

  /** The error of the first on-demand body decoded so far that is malformed, if any. */
  private firstMalformedBody(): DecodeError | undefined {
    for (const f of this.m.funcs) {
      try {
        void f.body;
      } catch (e) {
        if (e instanceof DecodeError) return e;
        throw e;
      }
    }
    return undefined;
  }

  private decodeSections(): Module {
    const r = this.r;
    this.header();
    let lastRank = 0;
    while (!r.atEnd()) {
      const sectionStart = r.pos;
      const id = r.u8();
      if (id > Section.DataCount) r.fail('malformed section id', sectionStart);
      const sizeAt = r.pos;
      const size = r.u32();
      if (size > r.remaining) r.fail('length out of bounds', sizeAt);
      const end = r.pos + size;
      if (id !== Section.Custom) {
        const rank = ORDER[id]!;
        if (rank <= lastRank) r.fail('unexpected content after last section', sectionStart);
        lastRank = rank;
      }
      r.limit = end;
      this.section(id);
      if (r.pos !== end) r.fail('section size mismatch', r.pos);
      r.limit = this.bytes.length;
    }
    this.finish();
    return this.m;
  }

  private header(): void {
    const r = this.r;
    if (this.bytes.length < 4) r.fail('unexpected end', this.bytes.length);
    const magic = r.i32Bits() >>> 0;
    if (magic !== MAGIC) r.fail('magic header not detected', 0);
    if (this.bytes.length < 8) r.fail('unexpected end', this.bytes.length);
    if (r.i32Bits() !== VERSION) r.fail('unknown binary version', 4);
  }

  private finish(): void {
    const m = this.m;
    const codeCount = this.codeCount ?? 0;
    if (this.funcTypeIndices.length !== codeCount) {
      this.r.fail('function and code section have inconsistent lengths', this.bytes.length);
    }
    const dataCount = this.dataSectionCount ?? 0;
    if (m.dataCount !== undefined && m.dataCount !== dataCount) {
      this.r.fail('data count and data section have inconsistent lengths', this.bytes.length);
    }
  }

  private section(id: number): unknown {
    switch (id) {
      case Section.Custom: return this.custom();
      case Section.Type: return this.vec(() => this.m.types.push(this.funcType()));
      case Section.Import: return this.vec(() => this.m.imports.push(this.importEntry()));
      case Section.Function:
        return this.vec(() => this.funcTypeIndices.push(this.r.u32()));
      case Section.Table: return this.vec(() => this.m.tables.push(this.tableType()));
      case Section.Memory: return this.vec(() => this.m.memories.push(this.limits()));
      case Section.Global: return this.vec(() => this.m.globals.push(this.global()));
      case Section.Export: return this.vec(() => this.m.exports.push(this.exportEntry()));
      case Section.Start: this.m.start = this.r.u32(); return;
      case Section.Element: return this.vec(() => this.m.elems.push(this.elemSegment()));
      case Section.DataCount: this.m.dataCount = this.r.u32(); return;
      case Section.Code: return this.code();
      case Section.Data: {
        const count = this.vec(() => this.m.datas.push(this.dataSegment()));
        this.dataSectionCount = count;
        return;
      }
    }
  }

  /**
   * Read a counted vector. Items are pushed as they are read (never preallocated from the
   * untrusted count) and each item consumes at least one byte, so a huge count just runs into
   * the end of the section.
   */
  private vec(item: () => unknown): number {
    const count = this.r.u32();
    for (let i = 0; i < count; i++) item();
    return count;
  }

  private custom(): void {
    const r = this.r;
    const name = r.name();
    const offset = r.pos;
    const payload = r.take(r.limit - r.pos);
    this.m.customs.push({ name, offset, bytes: payload });
    if (name === 'name') readNameSection(this.bytes, offset, offset + payload.length, this.m.names);
  }

  private funcType(): FuncType {
    const r = this.r;
    const at = r.pos;
    const form = r.u8();
    if (form & 0x80) r.fail('integer representation too long', at);
    if (form !== 0x60) r.fail(`malformed function type 0x${form.toString(16)}`, at);
    const params: ValType[] = [];
    this.vec(() => params.push(readValType(r)));
    const results: ValType[] = [];
    this.vec(() => results.push(readValType(r)));
    return { params, results };
  }

  private limits(): Limits {
    const r = this.r;
    const at = r.pos;
    const flags = r.u8();
    // The flags are a one-byte LEB: a continuation bit means an over-long encoding.
    if (flags & 0x80) r.fail('integer representation too long', at);
    if (flags > 1) r.fail('integer too large', at);
    const min = r.u32();
    return flags === 1 ? { min, max: r.u32() } : { min };
  }

  private tableType(): TableType {
    const elem = readRefType(this.r);
    return { elem, limits: this.limits() };
  }

  private globalType(): GlobalType {
    const r = this.r;
    const type = readValType(r);
    const at = r.pos;
    const mut = r.u8();
    if (mut > 1) r.fail('malformed mutability', at);
    return { type, mutable: mut === 1 };
  }

  private importEntry(): Import {
    const r = this.r;
    const offset = r.pos;
    const module = r.name();
    const name = r.name();
    const kindAt = r.pos;
    const kind = r.u8();
    switch (kind) {
      case 0: return { module, name, desc: { kind: 'func', typeIndex: r.u32() }, offset };
      case 1: return { module, name, desc: { kind: 'table', type: this.tableType() }, offset };
      case 2: return { module, name, desc: { kind: 'memory', type: this.limits() }, offset };
      case 3: return { module, name, desc: { kind: 'global', type: this.globalType() }, offset };
      default: return r.fail('malformed import kind', kindAt);
    }
  }

  private constExpr(): Instr[] {
    return decodeExpr(this.r, this.exprInfo);
  }

  private global(): Global {
    const offset = this.r.pos;
    const type = this.globalType();
    return { type, init: this.constExpr(), offset };
  }

  private exportEntry(): Export {
    const r = this.r;
    const offset = r.pos;
    const name = r.name();
    const kindAt = r.pos;
    const kindByte = r.u8();
    const kinds: ExternKind[] = ['func', 'table', 'memory', 'global'];
    const kind = kinds[kindByte];
    if (kind === undefined) r.fail('malformed export kind', kindAt);
    return { name, kind, index: r.u32(), offset };
  }

  /** A function index in an elem segment, as the `ref.func` expression it stands for. */
  private funcIndexExpr(): Instr[] {
    const offset = this.r.pos;
    const index = this.r.u32();
    return [{ op: 0xd2, offset, index }, { op: 0x0b, offset: this.r.pos }];
  }

  private elemSegment(): ElemSegment {
    const r = this.r;
    const offset = r.pos;
    const flags = r.u32();
    if (flags > 7) r.fail('malformed elements segment kind', offset);
    // Bit 0: passive or declarative; bit 1: explicit table (active) or declarative (passive);
    // bit 2: elements are expressions instead of function indices.
    const passiveOrDeclarative = (flags & 1) !== 0;
    const explicitTable = (flags & 2) !== 0;
    const usesExprs = (flags & 4) !== 0;
    const mode = !passiveOrDeclarative ? 'active' : explicitTable ? 'declarative' : 'passive';
    const table = mode === 'active' && explicitTable ? r.u32() : 0;
    const offsetExpr = mode === 'active' ? this.constExpr() : undefined;
    let type: ValType.FuncRef | ValType.ExternRef = 0x70 as ValType.FuncRef;
    if (passiveOrDeclarative || explicitTable) {
      if (usesExprs) type = readRefType(r);
      else {
        const kindAt = r.pos;
        if (r.u8() !== 0) r.fail('malformed element kind', kindAt);
      }
    }
    const init: Instr[][] = [];
    this.vec(() => init.push(usesExprs ? this.constExpr() : this.funcIndexExpr()));
    const seg: ElemSegment = { mode, table, type, init, offset };
    if (offsetExpr) seg.offsetExpr = offsetExpr;
    return seg;
  }

  private dataSegment(): DataSegment {
    const r = this.r;
    const offset = r.pos;
    const flags = r.u32();
    if (flags > 2) r.fail('malformed data segment kind', offset);
    if (flags === 1) return { mode: 'passive', memory: 0, bytes: r.byteVec(), offset };
    const memory = flags === 2 ? r.u32() : 0;
    const offsetExpr = this.constExpr();
    return { mode: 'active', memory, offsetExpr, bytes: r.byteVec(), offset };
  }

  private code(): void {
    const r = this.r;
    const countAt = r.pos;
    const count = r.u32();
    if (count !== this.funcTypeIndices.length) {
      r.fail('function and code section have inconsistent lengths', countAt);
    }
    this.codeCount = count;
    const importedFuncs = this.m.imports.reduce((n, imp) => n + (imp.desc.kind === 'func' ? 1 : 0), 0);
    const sectionEnd = r.limit;
    const info: ExprInfo = { usesDataIndex: false };
    for (let i = 0; i < count; i++) {
      const start = r.pos;
      const size = r.u32();
      if (size > r.remaining) r.fail('length out of bounds', start);
      const end = r.pos + size;
      r.funcIndex = importedFuncs + i;
      r.limit = end;
      const locals = this.locals();
      const codeStart = r.pos;
      const typeIndex = this.funcTypeIndices[i]!;
      if (this.bodiesOnDemand) {
        this.m.funcs.push(new OnDemandFunc(this.bytes, importedFuncs + i, typeIndex, locals, start, codeStart, end,
          this.m.dataCount !== undefined));
        r.pos = end;
      } else {
        const body = decodeExpr(r, info);
        if (r.pos !== end) r.fail('END opcode expected', r.pos);
        if (info.usesDataIndex && this.m.dataCount === undefined) {
          r.fail('data count section required', codeStart);
        }
        this.m.funcs.push({ typeIndex, locals, body, start, codeStart, end });
      }
      r.limit = sectionEnd;
      r.funcIndex = undefined;
    }
  }

  private locals(): ValType[] {
    const r = this.r;
    const groups = r.u32();
    const runs: { count: number; type: ValType }[] = [];
    let total = 0;
    for (let g = 0; g < groups; g++) {
      const at = r.pos;
      const count = r.u32();
      total += count;
      if (total > MAX_LOCALS) r.fail('too many locals', at);
      if (total > this.localsBudget) r.fail('too many locals for the size of the module', at);
      runs.push({ count, type: readValType(r) });
    }
    this.localsBudget -= total;
    const locals = new Array<ValType>(total);
    let k = 0;
    for (const run of runs) for (let j = 0; j < run.count; j++) locals[k++] = run.type;
    return locals;
  }
}

