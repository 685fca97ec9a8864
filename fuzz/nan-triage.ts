// Which instructions may legally produce different NaN bits on different engines. The spec fixes
// the bits of abs, neg, copysign, loads, stores, moves and reinterpretations, but lets float
// arithmetic return any canonical NaN (either sign) or, given a NaN input, any arithmetic NaN.
// V8 propagates input payloads where wasmscope returns the canonical NaN: both are correct. When
// such a NaN's bits then flow into integers (extract_lane, reinterpret, shifts), the two engines'
// results differ although neither is wrong. The differential fuzzer re-runs a diverging module
// single-stepped to count these NaNs (differential.ts, watchOpenNaNs) before it calls it a bug.

import { opByCode } from '../runtime/wasm/opcodes.js';
import type { Module } from '../runtime/wasm/types.js';
import type { DebugValue } from '../runtime/engine/debug-api.js';

export type NaNLanes = 'f32' | 'f64' | 'f32x4' | 'f64x2';

const OPEN = /^(f32|f64|f32x4|f64x2)\.(add|sub|mul|div|sqrt|min|max|ceil|floor|trunc|nearest|demote_f64x2_zero|promote_low_f32x4|demote_f64|promote_f32)$/;

/** The result lanes of an instruction whose NaN bits are open, or undefined. */
export function openNaNLanes(op: number): NaNLanes | undefined {
  const name = opByCode(op)?.name;
  const m = name ? OPEN.exec(name) : null;
  return m ? (m[1] as NaNLanes) : undefined;
}

/** Offset → result lanes of every open-NaN instruction in the module's code. */
export function nanOpenInstructions(m: Module): Map<number, NaNLanes> {
  const out = new Map<number, NaNLanes>();
  for (const f of m.funcs) {
    for (const instr of f.body) {
      const lanes = openNaNLanes(instr.op);
      if (lanes) out.set(instr.offset, lanes);
    }
  }
  return out;
}

function f32BitsNaN(bits: number): boolean {
  return (bits & 0x7f800000) === 0x7f800000 && (bits & 0x007fffff) !== 0;
}

function f64BitsNaN(bits: bigint): boolean {
  return (bits & 0x7ff0000000000000n) === 0x7ff0000000000000n && (bits & 0x000fffffffffffffn) !== 0n;
}

/** Whether a debugger value (see DebugValue.raw) holds a NaN in any lane of the given shape. */
export function holdsNaN(lanes: NaNLanes, v: DebugValue): boolean {
  if (v.raw === null) return false;
  switch (lanes) {
    case 'f32': return v.type === 'f32' && f32BitsNaN(Number(v.raw));
    case 'f64': return v.type === 'f64' && f64BitsNaN(BigInt(`0x${v.raw}`));
    default: {
      if (v.type !== 'v128') return false;
      const bytes = Buffer.from(String(v.raw), 'hex');
      if (lanes === 'f32x4') {
        for (let i = 0; i < 16; i += 4) if (f32BitsNaN(bytes.readInt32LE(i))) return true;
      } else {
        for (let i = 0; i < 16; i += 8) if (f64BitsNaN(bytes.readBigUInt64LE(i))) return true;
      }
      return false;
    }
  }
}
