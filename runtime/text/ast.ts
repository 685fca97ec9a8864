// The module syntax tree the parser builds from the concrete tree: one node per module field and
// per instruction, abbreviations already expanded (inline imports/exports stay attached to their
// field so the assembler can reproduce wat2wasm's field order). Name references are kept as
// written; runtime/text/resolve.ts turns them into indices.
import type { Span } from './diagnostics.js';
import type { InstrSeq, InstrTable } from './instr-table.js';
import type { OpInfo } from '../wasm/opcodes.js';
import type { GlobalType, Limits, RefType, TableType, ValType } from '../wasm/types.js';

// Spans of names, references and single-token nodes are the tokens themselves (a Token is a Span)
// to keep allocation down on large files; treat every span as read-only.

export type IndexSpace = 'type' | 'func' | 'table' | 'memory' | 'global' | 'elem' | 'data' | 'local' | 'label';

/** A `$name` at its definition. */
export interface Binding {
  name: string;
  span: Span;
}

/**
 * A reference to an index space entry: `$name` or a number; the reference is its own span (a large
 * module has hundreds of thousands, and a span object each was a large share of the parse's
 * garbage). `index` is filled by resolution.
 */
export interface Ref extends Span {
  name?: string;
  index?: number;
}

export interface ParamDecl {
  id?: Binding;
  type: ValType;
  span: Span;
}

export interface TypeUse {
  ref?: Ref;
  params: ParamDecl[];
  results: ValType[];
  /** True when `(param ...)` or `(result ...)` was written. */
  hasInline: boolean;
  span: Span;
  /** Filled by resolution: the type index this use ends up with (implicit types included). */
  typeIndex?: number;
}

export interface InlineExport {
  name: string;
  span: Span;
}

export interface InlineImport {
  module: string;
  name: string;
  span: Span;
}

export interface MemArg {
  /** log2 of the alignment; undefined means natural. */
  align?: number;
  offset: number;
}

/**
 * One instruction as an object: what InstrSeq.nodes() builds for editor features (the pipeline
 * itself reads InstrTable rows). The node is its own span: keyword through the last immediate (for folded forms
 * the keyword plus immediates, not the parentheses). No separate span object, for the same reason
 * as Ref.
 */
export interface InstrNode extends Span {
  op: OpInfo;
  /** block/loop/if label, or the optional id repeated after else/end. */
  label?: Binding;
  blockType?: TypeUse;
  /** Main index immediate (see Instr.index in runtime/wasm/types.ts). */
  ref?: Ref;
  ref2?: Ref;
  /** br_table targets, default last. */
  labels?: Ref[];
  /** call_indirect type use. */
  typeUse?: TypeUse;
  memarg?: MemArg;
  i32?: number;
  i64?: bigint;
  bytes?: Uint8Array;
  lane?: number;
  types?: ValType[];
  refType?: RefType;
  /** True for `end`s (and `else`s) the parser inserted for a folded form. */
  implicit?: boolean;
}

interface FieldBase {
  span: Span;
  id?: Binding;
}

export interface TypeField extends FieldBase {
  kind: 'type';
  params: ParamDecl[];
  results: ValType[];
}

export interface FuncField extends FieldBase {
  kind: 'func';
  exports: InlineExport[];
  import?: InlineImport;
  typeUse: TypeUse;
  locals: ParamDecl[];
  /** The body's rows in the module's InstrTable (`nodes()` for objects). */
  body: InstrSeq;
}

export interface TableField extends FieldBase {
  kind: 'table';
  exports: InlineExport[];
  import?: InlineImport;
  type: TableType;
  /** `(table reftype (elem ...))`: the inline segment's elements. */
  inlineElem?: { items: InstrSeq[]; funcIndices: boolean; span: Span };
}

export interface MemoryField extends FieldBase {
  kind: 'memory';
  exports: InlineExport[];
  import?: InlineImport;
  limits: Limits;
  inlineData?: { bytes: Uint8Array; span: Span };
}

export interface GlobalField extends FieldBase {
  kind: 'global';
  exports: InlineExport[];
  import?: InlineImport;
  type: GlobalType;
  init: InstrSeq;
}

export interface ExportField extends FieldBase {
  kind: 'export';
  name: string;
  space: 'func' | 'table' | 'memory' | 'global';
  ref: Ref;
}

export interface StartField extends FieldBase {
  kind: 'start';
  ref: Ref;
}

export interface ElemField extends FieldBase {
  kind: 'elem';
  mode: 'active' | 'passive' | 'declarative';
  table?: Ref;
  offset?: InstrSeq;
  elemType: RefType;
  /** One expression per element; for the `func x*` form each is a single ref.func. */
  items: InstrSeq[];
  /** Written as function indices (`func $f $g` or the legacy bare list). */
  funcIndices: boolean;
}

export interface DataField extends FieldBase {
  kind: 'data';
  mode: 'active' | 'passive';
  memory?: Ref;
  offset?: InstrSeq;
  bytes: Uint8Array;
}

export type ModuleField = TypeField | FuncField | TableField | MemoryField | GlobalField | ExportField | StartField
  | ElemField | DataField;

export interface ModuleNode {
  id?: Binding;
  fields: ModuleField[];
  span: Span;
  /** Every instruction of the module's fields, in rows. */
  instrs: InstrTable;
}
