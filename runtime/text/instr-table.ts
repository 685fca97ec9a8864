// The instructions of one module's text as parallel columns, one row per instruction in the order
// the binary holds them (folded forms already flattened). The parser appends rows, resolution fills
// in the indices of `$name` references, and the assembler encodes rows straight to bytes, so a
// 50,000-line module costs a few typed arrays instead of a quarter of a million instruction and
// reference objects that lived until the check ended (copying them was most of the garbage
// collector's share of the front end). Editor features that want objects ask an InstrSeq for
// `nodes()`, built from the rows on first use.
//
// What the immediate columns hold, by the instruction's immediate kind (OpInfo.imm):
//   none (end, else)      a: extras index of the repeated label (Binding), or -1
//   select_types          a: extras index of the ValType[]
//   blocktype             a: extras index of the label (Binding), or -1; b: extras index of the TypeUse
//   label, func, local, global, data, elem, memory_init, table?, memory?
//                         ref: the reference
//   br_table              a: extras index of the Ref[] (targets, default last)
//   call_indirect         a: extras index of the TypeUse; b: extras index of the table's Ref, or -1
//   table_init            ref: the element segment; b: extras index of the table's Ref, or -1
//   table_copy            ref: the destination; b: extras index of the source's Ref (both or neither)
//   memarg, memarg_lane   index: the offset; a: log2 of the alignment, or -1 for natural; b: lane
//   lane                  b: the lane
//   i32, f32              a: the value (f32: its bits)
//   i64, f64              a: extras index of the value (f64: its bits) as a bigint
//   v128, shuffle         a: extras index of the 16 bytes
//   reftype               a: the reference type
// The main reference is a token row (`refs`: the $name or number, -1 when absent) and an index
// (`indices`: the number written, or what resolution found for the name; UNRESOLVED marks a name
// resolution has not, or could not, find). A second reference is rarer and kept as a Ref object.
// Rows take 27 bytes: the columns are external memory, and V8 schedules collections by how much
// of it a check allocates.
import type { Binding, InstrNode, MemArg, Ref, TypeUse } from './ast.js';
import type { TokenTable } from './token-table.js';
import { widened } from './columns.js';
import { TokenKind } from './lexer.js';
import { opByCode, type OpInfo } from '../wasm/opcodes.js';
import type { RefType, ValType } from '../wasm/types.js';

/** The parser inserted this row for a folded form (its `end`, or the `else` of a legacy `if`). */
export const IMPLICIT = 1;
/** The row's main reference is a name that has no index (yet). */
export const UNRESOLVED = 2;

/**
 * One instruction being parsed. The parser fills one of these per folded nesting depth (reused):
 * a folded instruction's immediates are read before its operands, but its row comes after theirs.
 */
export class PendingInstr {
  code = 0;
  start = 0;
  end = 0;
  ref = -1;
  index = 0;
  a = -1;
  b = -1;
  flags = 0;

  reset(code: number, start: number, end: number): this {
    this.code = code;
    this.start = start;
    this.end = end;
    this.ref = this.a = this.b = -1;
    this.index = 0;
    this.flags = 0;
    return this;
  }
}

export class InstrTable {
  count = 0;
  /** How many rows have a main reference (what resolution will record). */
  referenceCount = 0;
  /** Opcode as Instr.op: a byte, or (prefix << 8) + subopcode. */
  codes: Uint16Array;
  starts: Int32Array;
  ends: Int32Array;
  refs: Int32Array;
  indices: Uint32Array;
  a: Int32Array;
  b: Int32Array;
  flags: Uint8Array;
  /** Immediates too rare or too large for a column (see the table above). */
  readonly extras: unknown[] = [];

  /** `capacity`: the expected number of rows (the columns double past it). */
  constructor(readonly tokens: TokenTable, capacity = 256) {
    const size = Math.max(capacity, 16);
    this.codes = new Uint16Array(size);
    this.starts = new Int32Array(size);
    this.ends = new Int32Array(size);
    this.refs = new Int32Array(size);
    this.indices = new Uint32Array(size);
    this.a = new Int32Array(size);
    this.b = new Int32Array(size);
    this.flags = new Uint8Array(size);
  }

  push(p: PendingInstr): number {
    const i = this.count;
    if (i === this.codes.length) this.grow();
    this.codes[i] = p.code;
    this.starts[i] = p.start;
    this.ends[i] = p.end;
    this.refs[i] = p.ref;
    if (p.ref >= 0) this.referenceCount++;
    this.indices[i] = p.index;
    this.a[i] = p.a;
    this.b[i] = p.b;
    this.flags[i] = p.flags;
    this.count = i + 1;
    return i;
  }

  /** Stores an immediate in `extras`, returning its index (what the `a`/`b` columns hold). */
  addExtra(value: unknown): number {
    this.extras.push(value);
    return this.extras.length - 1;
  }

  op(i: number): OpInfo {
    return opByCode(this.codes[i]!)!;
  }

  isImplicit(i: number): boolean {
    return (this.flags[i]! & IMPLICIT) !== 0;
  }

  /** The name of row `i`'s main reference, if written as `$name`. */
  refName(i: number): string | undefined {
    const row = this.refs[i]!;
    return row >= 0 && this.tokens.kinds[row] === TokenKind.Id ? this.tokens.text(row) : undefined;
  }

  /** Row `i`'s second reference (call_indirect's, table.init's table; table.copy's source). */
  ref2(i: number): Ref | undefined {
    return this.extra<Ref>(this.b[i]!);
  }

  extra<T>(slot: number): T | undefined {
    return slot < 0 ? undefined : this.extras[slot] as T;
  }

  private grow(): void {
    const size = this.codes.length * 2;
    this.codes = widened(this.codes, size);
    this.starts = widened(this.starts, size);
    this.ends = widened(this.ends, size);
    this.refs = widened(this.refs, size);
    this.indices = widened(this.indices, size);
    this.a = widened(this.a, size);
    this.b = widened(this.b, size);
    this.flags = widened(this.flags, size);
  }

  /** Row `i`'s main reference as an object (for editor features), as resolution left it. */
  refObject(i: number): Ref | undefined {
    const row = this.refs[i]!;
    if (row < 0) return undefined;
    const t = this.tokens;
    const name = t.kinds[row] === TokenKind.Id ? t.text(row) : undefined;
    return { start: t.starts[row]!, end: t.ends[row]!, name, index: this.flags[i]! & UNRESOLVED ? undefined : this.indices[i]! };
  }

  /** Row `i` as an InstrNode. */
  node(i: number): InstrNode {
    const op = this.op(i);
    const node: InstrNode = { op, start: this.starts[i]!, end: this.ends[i]! };
    if (this.isImplicit(i)) node.implicit = true;
    const a = this.a[i]!, b = this.b[i]!;
    switch (op.imm) {
      case 'none': if (a >= 0) node.label = this.extra<Binding>(a); break;
      case 'select_types': node.types = this.extra<ValType[]>(a); break;
      case 'blocktype':
        if (a >= 0) node.label = this.extra<Binding>(a);
        node.blockType = this.extra<TypeUse>(b);
        break;
      case 'br_table': node.labels = this.extra<Ref[]>(a); break;
      case 'call_indirect': {
        const ref2 = this.ref2(i);
        if (ref2) node.ref2 = ref2;
        node.typeUse = this.extra<TypeUse>(a);
        break;
      }
      case 'memarg':
      case 'memarg_lane': {
        const memarg: MemArg = a < 0 ? { offset: this.indices[i]! } : { offset: this.indices[i]!, align: a };
        node.memarg = memarg;
        if (op.imm === 'memarg_lane') node.lane = b;
        break;
      }
      case 'lane': node.lane = b; break;
      case 'i32': case 'f32': node.i32 = a; break;
      case 'i64': case 'f64': node.i64 = this.extra<bigint>(a); break;
      case 'v128': case 'shuffle': node.bytes = this.extra<Uint8Array>(a); break;
      case 'reftype': node.refType = a as RefType; break;
      case 'table_init':
      case 'table_copy': {
        const ref = this.refObject(i);
        const ref2 = this.ref2(i);
        if (ref) node.ref = ref;
        if (ref2) node.ref2 = ref2;
        break;
      }
      default: {
        const ref = this.refObject(i);
        if (ref) node.ref = ref;
      }
    }
    return node;
  }
}

/** A contiguous run of rows: a function body or a constant expression. */
export class InstrSeq {
  private objects: InstrNode[] | undefined;

  constructor(readonly table: InstrTable, readonly from: number, public to: number) {}

  get length(): number {
    return this.to - this.from;
  }

  /**
   * The instructions as objects, built on first use. Call after resolution: the objects copy the
   * references' indices as they are then.
   */
  nodes(): InstrNode[] {
    if (!this.objects) {
      const out: InstrNode[] = [];
      for (let i = this.from; i < this.to; i++) out.push(this.table.node(i));
      this.objects = out;
    }
    return this.objects;
  }
}
