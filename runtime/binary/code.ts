// Decoding of instruction sequences (function bodies and constant expressions) into Instr lists.
// Every decoded expression ends with its own `end` instruction, and structured instructions carry
// the indices of their matching `else`/`end`, so later passes never rescan for them.

import { BLOCK_EMPTY, type Instr, type ValType } from '../wasm/types.js';
import { Imm, IMM_BY_CODE, PREFIX_MISC, PREFIX_SIMD } from '../wasm/opcodes.js';
import type { ByteReader } from './reader.js';

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

/** See decodeExpr. */
const scratch: (Instr | undefined)[] = [];

/**
 * Decode instructions up to and including the `end` that closes the expression. The reader's
 * limit bounds the expression (a function body's end, or the section end for constant
 * expressions).
 */
export function decodeExpr(r: ByteReader, info?: ExprInfo): Instr[] {
  // Instructions go into a scratch array reused by every call (decoding is never reentrant) and
  // are copied out at the exact size: pushing onto a fresh array per body grew it step by step,
  // and the discarded backing stores were a third of the decoder's garbage.
  const body = scratch;
  let n = 0;
  // Indices in `body` of the open block/loop/if instructions.
  const open: number[] = [];
  const bytes = r.bytes;
  try {
    for (;;) {
      const offset = r.pos;
      // Inlined r.u8(): this loop runs once per instruction of the module.
      let op = offset < r.limit ? bytes[r.pos++]! : missingEnd(r);
      if (op === PREFIX_MISC || op === PREFIX_SIMD) {
        const sub = r.u32();
        if (sub > 0xff) r.fail(`illegal opcode 0x${op.toString(16)} ${sub}`, offset);
        op = (op << 8) + sub;
      }
      // Each case builds its Instr as one literal, so V8 gives the few instruction shapes stable
      // hidden classes instead of transitioning objects field by field.
      switch (IMM_BY_CODE[op]!) {
        case Imm.None:
          if (op === OP_END) {
            const idx = n;
            body[n++] = { op, offset };
            if (open.length === 0) return body.slice(0, n) as Instr[];
            body[open.pop()!]!.end = idx;
            continue;
          }
          if (op === OP_ELSE) {
            const top = open.length > 0 ? body[open[open.length - 1]!]! : undefined;
            if (!top || top.op !== OP_IF || top.else !== -1) r.fail('else without matching if', offset);
            top.else = n;
          }
          body[n++] = { op, offset };
          continue;
        case Imm.BlockType: {
          const blockType = r.s33();
          if (blockType < 0 && blockType !== BLOCK_EMPTY && !isValTypeByte(blockType + 0x80)) {
            r.fail('malformed block type', offset + 1);
          }
          open.push(n);
          body[n++] = op === OP_IF ? { op, offset, blockType, end: -1, else: -1 } : { op, offset, blockType, end: -1 };
          continue;
        }
        case Imm.Label: case Imm.Func: case Imm.Local: case Imm.Global: case Imm.Table: case Imm.Elem:
          body[n++] = { op, offset, index: r.u32() };
          continue;
        case Imm.Data:
          body[n++] = { op, offset, index: r.u32() };
          if (info) info.usesDataIndex = true;
          continue;
        case Imm.BrTable: {
          const at = r.pos;
          const count = r.u32();
          // Each label takes at least one byte: refuse counts the body cannot hold before allocating.
          if (count >= r.remaining) r.fail('length out of bounds', at);
          const labels = new Array<number>(count);
          for (let i = 0; i < count; i++) labels[i] = r.u32();
          body[n++] = { op, offset, labels, index: r.u32() };
          continue;
        }
        case Imm.CallIndirect: case Imm.TableInit: case Imm.TableCopy: {
          const index = r.u32();
          body[n++] = { op, offset, index, index2: r.u32() };
          continue;
        }
        case Imm.MemArg: {
          const align = r.u32();
          body[n++] = { op, offset, align, memOffset: r.u32() };
          continue;
        }
        case Imm.MemArgLane: {
          const align = r.u32();
          const memOffset = r.u32();
          body[n++] = { op, offset, align, memOffset, lane: r.u8() };
          continue;
        }
        case Imm.Lane:
          body[n++] = { op, offset, lane: r.u8() };
          continue;
        case Imm.I32:
          body[n++] = { op, offset, i32: r.s32() };
          continue;
        case Imm.I64:
          body[n++] = { op, offset, i64: r.s64() };
          continue;
        case Imm.F32:
          body[n++] = { op, offset, i32: r.i32Bits() };
          continue;
        case Imm.F64:
          body[n++] = { op, offset, i64: r.i64Bits() };
          continue;
        case Imm.V128: case Imm.Shuffle:
          body[n++] = { op, offset, bytes: r.take(16) };
          continue;
        case Imm.RefType:
          body[n++] = { op, offset, index: readRefType(r) };
          continue;
        case Imm.SelectTypes: {
          const at = r.pos;
          const count = r.u32();
          if (count > r.remaining) r.fail('length out of bounds', at);
          const types: ValType[] = [];
          for (let i = 0; i < count; i++) types.push(readValType(r));
          body[n++] = { op, offset, types };
          continue;
        }
        case Imm.Memory:
          zeroByte(r);
          body[n++] = { op, offset, index: 0 };
          continue;
        case Imm.MemoryInit: {
          const index = r.u32();
          zeroByte(r);
          if (info) info.usesDataIndex = true;
          body[n++] = { op, offset, index };
          continue;
        }
        case Imm.MemoryCopy:
          zeroByte(r);
          zeroByte(r);
          body[n++] = { op, offset, index: 0, index2: 0 };
          continue;
        default:
          r.fail(`illegal opcode ${opcodeText(op)}`, offset);
      }
    }
  } finally {
    // The scratch must not keep this body's objects alive (nor, through v128 immediates, which are
    // views of the module's bytes, the whole module) once the copy is made or decoding failed.
    body.fill(undefined, 0, n);
  }
}

/**
 * A body that stops before its final `end`. Inside the module the spec calls this "END opcode
 * expected"; at the very end of the file it is an ordinary "unexpected end".
 */
function missingEnd(r: ByteReader): number {
  if (r.funcIndex !== undefined && r.limit < r.bytes.length) r.fail('END opcode expected');
  return r.u8(); // the region is exhausted, so this throws the usual "unexpected end"
}

function opcodeText(op: number): string {
  return op > 0xff ? `0x${(op >> 8).toString(16)} ${op & 0xff}` : `0x${op.toString(16)}`;
}

export { OP_BLOCK, OP_LOOP, OP_IF, OP_ELSE, OP_END, OP_MEMORY_INIT, OP_DATA_DROP };
