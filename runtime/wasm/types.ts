// The decoded module: the one in-memory form of a Wasm module that the decoder produces and the
// validator, the engine, the printer, the profiler and the debug adapter consume. The text front
// end does not build this directly: it assembles bytes, and the decoder reads them, so there is
// exactly one path from any input to a Module.
//
// Byte offsets are always absolute offsets into the module's binary (as wasmtime and Chrome report
// them), never relative to the code section or to a function body.

import { demangle } from './demangle.js';

/** Value types, as their binary encoding. */
export const enum ValType {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
}

export type RefType = ValType.FuncRef | ValType.ExternRef;

/**
 * A block type as its signed-LEB (s33) value: `BLOCK_EMPTY` (-64, byte 0x40), a negative value
 * type code (-1 = i32, -2 = i64, -3 = f32, -4 = f64, -5 = v128, -16 = funcref, -17 = externref),
 * or a type index (>= 0).
 */
export type BlockType = number;
export const BLOCK_EMPTY = -64;

export interface FuncType {
  params: ValType[];
  results: ValType[];
}

export interface Limits {
  min: number;
  max?: number;
}

export interface TableType {
  elem: RefType;
  limits: Limits;
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global';

export type ImportDesc =
  | { kind: 'func'; typeIndex: number }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; type: Limits }
  | { kind: 'global'; type: GlobalType };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
  offset: number;
}

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
  offset: number;
}

/**
 * One decoded instruction. `op` is the opcode: one byte for plain instructions, and
 * `(prefix << 8) | subopcode` for prefixed ones (0xFC00 + n for the 0xFC group, 0xFD00 + n for
 * SIMD, n being the LEB-decoded sub-opcode; 0xFD00 + 0x113 = 0xFE13 stays unique).
 * Only the immediates an instruction has are set.
 */
export interface Instr {
  op: number;
  /** Absolute byte offset of the instruction's first byte. */
  offset: number;
  /** block/loop/if: index in the body of the matching `end`; if: of the `else`, or -1. */
  end?: number;
  else?: number;
  /** block/loop/if */
  blockType?: BlockType;
  /**
   * The instruction's main index immediate: label depth (br, br_if, br_table default), function
   * (call, ref.func), type (call_indirect), local, global, table (table.get/set/size/grow/fill),
   * destination table (table.copy), element segment (table.init, elem.drop), data segment
   * (memory.init, data.drop), memory (memory.size/grow/fill, destination of memory.copy),
   * reference type (ref.null).
   */
  index?: number;
  /** call_indirect: table; table.copy: source table; table.init: table; memory.copy: source memory. */
  index2?: number;
  /** br_table: the label depths before the default (the default is `index`). */
  labels?: number[];
  /** memory instructions: log2 alignment and static offset (memarg). */
  align?: number;
  memOffset?: number;
  /** SIMD lane immediate (extract/replace lane, load/store lane). */
  lane?: number;
  /** i32.const: the value (int32); f32.const: its bits as int32 (exact, NaN payloads kept). */
  i32?: number;
  /** i64.const: the value (signed 64-bit); f64.const: its bits (signed 64-bit, exact). */
  i64?: bigint;
  /** v128.const: the 16 bytes; i8x16.shuffle: the 16 lane indices. */
  bytes?: Uint8Array;
  /** typed select: its result types. */
  types?: ValType[];
}

export interface Func {
  typeIndex: number;
  /** Declared locals, expanded (one entry per local), parameters excluded. */
  locals: ValType[];
  body: Instr[];
  /** Absolute offset of the body's size LEB, of its first instruction, and just past its end. */
  start: number;
  codeStart: number;
  end: number;
}

export interface Global {
  type: GlobalType;
  init: Instr[];
  offset: number;
}

export type SegmentMode = 'active' | 'passive' | 'declarative';

export interface ElemSegment {
  mode: SegmentMode;
  /** active only */
  table: number;
  offsetExpr?: Instr[];
  type: RefType;
  /** One constant expression per element (function indices are decoded as `ref.func`). */
  init: Instr[][];
  offset: number;
}

export interface DataSegment {
  mode: Exclude<SegmentMode, 'declarative'>;
  memory: number;
  offsetExpr?: Instr[];
  bytes: Uint8Array;
  offset: number;
}

export interface CustomSection {
  name: string;
  /** Absolute offset of the payload (after the name) and the payload bytes. */
  offset: number;
  bytes: Uint8Array;
}

export interface NameMap {
  module?: string;
  funcs: Map<number, string>;
  locals: Map<number, Map<number, string>>;
  labels: Map<number, Map<number, string>>;
  types: Map<number, string>;
  tables: Map<number, string>;
  memories: Map<number, string>;
  globals: Map<number, string>;
  elems: Map<number, string>;
  datas: Map<number, string>;
}

export interface Module {
  types: FuncType[];
  imports: Import[];
  /** Defined functions only; function index = number of imported functions + position here. */
  funcs: Func[];
  tables: TableType[];
  memories: Limits[];
  globals: Global[];
  exports: Export[];
  start?: number;
  elems: ElemSegment[];
  datas: DataSegment[];
  dataCount?: number;
  customs: CustomSection[];
  names: NameMap;
  /** The bytes this module was decoded from (kept for disassembly and DWARF). */
  bytes: Uint8Array;
}

/** Counts of imported entities, which come first in each index space. */
export function importCounts(m: Module): { funcs: number; tables: number; memories: number; globals: number } {
  let funcs = 0, tables = 0, memories = 0, globals = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind === 'func') funcs++;
    else if (imp.desc.kind === 'table') tables++;
    else if (imp.desc.kind === 'memory') memories++;
    else globals++;
  }
  return { funcs, tables, memories, globals };
}

export function valTypeName(t: ValType): string {
  switch (t) {
    case ValType.I32: return 'i32';
    case ValType.I64: return 'i64';
    case ValType.F32: return 'f32';
    case ValType.F64: return 'f64';
    case ValType.V128: return 'v128';
    case ValType.FuncRef: return 'funcref';
    case ValType.ExternRef: return 'externref';
    default: return `<type 0x${(t as number).toString(16)}>`;
  }
}

/** The type of a function in the function index space (imports first). */
export function funcTypeOf(m: Module, funcIndex: number): FuncType | undefined {
  let seen = 0;
  for (const imp of m.imports) {
    if (imp.desc.kind !== 'func') continue;
    if (seen++ === funcIndex) return m.types[imp.desc.typeIndex];
  }
  const f = m.funcs[funcIndex - seen];
  return f ? m.types[f.typeIndex] : undefined;
}

/**
 * How tools name a function: the name section's name (demangled: Rust and C++ compilers write
 * linkage names there), else an export's name, else `$f<index>`.
 */
export function functionDisplayName(m: Module, funcIndex: number): string {
  const named = m.names.funcs.get(funcIndex);
  return (named === undefined ? undefined : demangle(named))
    ?? m.exports.find((e) => e.kind === 'func' && e.index === funcIndex)?.name
    ?? `$f${funcIndex}`;
}
