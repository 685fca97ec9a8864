// Decoding of instruction sequences (function bodies and constant expressions) into Instr lists.
// Every decoded expression ends with its own `end` instruction, and structured instructions carry
// the indices of their matching `else`/`end`, so later passes never rescan for them.

import { BLOCK_EMPTY, type Instr, type ValType } from '../wasm/types.js';
import { OPS, PREFIX_MISC, PREFIX_SIMD, type ImmKind } from '../wasm/opcodes.js';
import type { ByteReader } from './reader.js';

// Immediate kinds as small integers, indexed by opcode, so the hot loop switches on numbers.
const enum Imm {
  Unknown = 0, None, BlockType, Label, BrTable, Func, CallIndirect, Local, Global, Table, MemArg, I32, I64, F32, F64,
  V128, Shuffle, Lane, MemArgLane, RefType, SelectTypes, Memory, Data, Elem, TableInit, TableCopy, MemoryInit,
  MemoryCopy,
}

const IMM_IDS: Record<ImmKind, Imm> = {
  none: Imm.None, blocktype: Imm.BlockType, label: Imm.Label, br_table: Imm.BrTable, func: Imm.Func,
  call_indirect: Imm.CallIndirect, local: Imm.Local, global: Imm.Global, table: Imm.Table, memarg: Imm.MemArg,
  i32: Imm.I32, i64: Imm.I64, f32: Imm.F32, f64: Imm.F64, v128: Imm.V128, shuffle: Imm.Shuffle, lane: Imm.Lane,
  memarg_lane: Imm.MemArgLane, reftype: Imm.RefType, select_types: Imm.SelectTypes, memory: Imm.Memory,
  data: Imm.Data, elem: Imm.Elem, table_init: Imm.TableInit, table_copy: Imm.TableCopy,
  memory_init: Imm.MemoryInit, memory_copy: Imm.MemoryCopy,
};

const IMM_BY_CODE = new Uint8Array(0xfe00);
for (const op of OPS) IMM_BY_CODE[op.code] = IMM_IDS[op.imm];

const OP_BLOCK = 0x02, OP_LOOP = 0x03, OP_IF = 0x04, OP_ELSE = 0x05, OP_END = 0x0b;
const OP_MEMORY_INIT = (PREFIX_MISC << 8) + 8, OP_DATA_DROP = (PREFIX_MISC << 8) + 9;

/** Value type byte: the five number/vector types and the two reference types. */
export function isValTypeByte(b: number): boolean {
  return (b >= 0x7b && b <= 0x7f) || b === 0x70 || b === 0x6f;
}

export function readValType(r: ByteReader): ValType {
  const at = r.pos;
  const b = r.u8();
  if (!isValTypeByte(b)) r.fail(`malformed value type 0x${b.toString(16)}`, at);
  return b as ValType;
}

export function readRefType(r: ByteReader): ValType.FuncRef | ValType.ExternRef {
  const at = r.pos;
  const b = r.u8();
  if (b !== 0x70 && b !== 0x6f) r.fail('malformed reference type', at);
  return b as ValType.FuncRef | ValType.ExternRef;
}

function zeroByte(r: ByteReader): void {
  const at = r.pos;
  if (r.u8() !== 0) r.fail('zero byte expected', at);
}

export interface ExprInfo {
  /** Set when the expression uses memory.init or data.drop (they need a data count section). */
  usesDataIndex: boolean;
}

/**
 * Decode instructions up to and including the `end` that closes the expression. The reader's
 * limit bounds the expression (a function body's end, or the section end for constant
 * expressions).
 */
export function decodeExpr(r: ByteReader, info?: ExprInfo): Instr[] {
  const body: Instr[] = [];
  // Indices in `body` of the open block/loop/if instructions.
  const open: number[] = [];
  for (;;) {
    const offset = r.pos;
    let op = r.u8();
    if (op === PREFIX_MISC || op === PREFIX_SIMD) {
      const sub = r.u32();
      if (sub > 0xff) r.fail(`illegal opcode 0x${op.toString(16)} ${sub}`, offset);
      op = (op << 8) + sub;
    }
    const imm = IMM_BY_CODE[op]!;
    const instr: Instr = { op, offset };
    switch (imm) {
      case Imm.None:
        if (op === OP_END) {
          const idx = body.length;
          body.push(instr);
          if (open.length === 0) return body;
          body[open.pop()!]!.end = idx;
          continue;
        }
        if (op === OP_ELSE) {
          const top = open.length > 0 ? body[open[open.length - 1]!]! : undefined;
          if (!top || top.op !== OP_IF || top.else !== -1) r.fail('else without matching if', offset);
          top.else = body.length;
        }
        break;
      case Imm.BlockType: {
        const bt = r.s33();
        if (bt < 0 && bt !== BLOCK_EMPTY && !isValTypeByte(bt + 0x80)) r.fail('malformed block type', offset + 1);
        instr.blockType = bt;
        instr.end = -1;
        if (op === OP_IF) instr.else = -1;
        open.push(body.length);
        break;
      }
      case Imm.Label: case Imm.Func: case Imm.Local: case Imm.Global: case Imm.Table: case Imm.Elem:
        instr.index = r.u32();
        break;
      case Imm.Data:
        instr.index = r.u32();
        if (info) info.usesDataIndex = true;
        break;
      case Imm.BrTable: {
        const at = r.pos;
        const count = r.u32();
        // Each label takes at least one byte: refuse counts the body cannot hold before allocating.
        if (count >= r.remaining) r.fail('length out of bounds', at);
        const labels = new Array<number>(count);
        for (let i = 0; i < count; i++) labels[i] = r.u32();
        instr.labels = labels;
        instr.index = r.u32();
        break;
      }
      case Imm.CallIndirect:
        instr.index = r.u32();
        instr.index2 = r.u32();
        break;
      case Imm.MemArg:
        instr.align = r.u32();
        instr.memOffset = r.u32();
        break;
      case Imm.MemArgLane:
        instr.align = r.u32();
        instr.memOffset = r.u32();
        instr.lane = r.u8();
        break;
      case Imm.Lane:
        instr.lane = r.u8();
        break;
      case Imm.I32:
        instr.i32 = r.s32();
        break;
      case Imm.I64:
        instr.i64 = r.s64();
        break;
      case Imm.F32:
        instr.i32 = r.i32Bits();
        break;
      case Imm.F64:
        instr.i64 = r.i64Bits();
        break;
      case Imm.V128: case Imm.Shuffle:
        instr.bytes = r.take(16);
        break;
      case Imm.RefType:
        instr.index = readRefType(r);
        break;
      case Imm.SelectTypes: {
        const at = r.pos;
        const count = r.u32();
        if (count > r.remaining) r.fail('length out of bounds', at);
        const types: ValType[] = [];
        for (let i = 0; i < count; i++) types.push(readValType(r));
        instr.types = types;
        break;
      }
      case Imm.Memory:
        zeroByte(r);
        instr.index = 0;
        break;
      case Imm.TableInit:
        instr.index = r.u32();
        instr.index2 = r.u32();
        break;
      case Imm.TableCopy:
        instr.index = r.u32();
        instr.index2 = r.u32();
        break;
      case Imm.MemoryInit:
        instr.index = r.u32();
        zeroByte(r);
        if (info) info.usesDataIndex = true;
        break;
      case Imm.MemoryCopy:
        zeroByte(r);
        zeroByte(r);
        instr.index = 0;
        instr.index2 = 0;
        break;
      default:
        r.fail(`illegal opcode ${opcodeText(op)}`, offset);
    }
    body.push(instr);
  }
}

function opcodeText(op: number): string {
  return op > 0xff ? `0x${(op >> 8).toString(16)} ${op & 0xff}` : `0x${op.toString(16)}`;
}

export { OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE, OP_END, OP_MEMORY_INIT, OP_DATA_DROP };
