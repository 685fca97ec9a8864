// How Wasm values look in the Variables view: the top line in the value's own type, and an
// expandable set of other readings of the same bits (i32 unsigned and hex, float bit patterns,
// v128 lanes), because a Wasm value has no "real" interpretation beyond its type and the person
// debugging usually needs the one the code is about to use.
import type { DebugValue } from '../runtime/engine/debug-api.js';

/** One alternative reading of a value: a leaf in the Variables view. */
export interface ValueView {
  name: string;
  value: string;
  type?: string;
}

/** The value column: the engine's text, with references spelled out. */
export function displayValue(v: DebugValue): string {
  switch (v.type) {
    case 'funcref': return v.raw === null ? 'null' : `func ${String(v.raw)}`;
    case 'externref': return v.raw === null ? 'null' : v.text;
    case 'v128': return `i32x4 ${v128Lanes(v128Bytes(v), 'i32x4').join(' ')}`;
    default: return v.text;
  }
}

/** True when the value has alternative readings worth an expandable node. */
export function hasViews(v: DebugValue): boolean {
  return v.type !== 'funcref' && v.type !== 'externref';
}

export function v128Bytes(v: DebugValue): Uint8Array {
  // raw is 32 hex digits, lane 0 (byte 0) first as the engine writes memory order.
  const hex = String(v.raw ?? '').replace(/[^0-9a-fA-F]/g, '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16 && i * 2 + 1 < hex.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export type LaneShape = 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2';
export const LANE_SHAPES: readonly LaneShape[] = ['i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2'];

/** The lanes of a v128 in a shape, as text (signed integers, floats shortest round-trip). */
export function v128Lanes(bytes: Uint8Array, shape: LaneShape): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const out: string[] = [];
  switch (shape) {
    case 'i8x16': for (let i = 0; i < 16; i++) out.push(String(view.getInt8(i))); break;
    case 'i16x8': for (let i = 0; i < 8; i++) out.push(String(view.getInt16(i * 2, true))); break;
    case 'i32x4': for (let i = 0; i < 4; i++) out.push(String(view.getInt32(i * 4, true))); break;
    case 'i64x2': for (let i = 0; i < 2; i++) out.push(String(view.getBigInt64(i * 8, true))); break;
    case 'f32x4': for (let i = 0; i < 4; i++) out.push(floatText(view.getFloat32(i * 4, true))); break;
    case 'f64x2': for (let i = 0; i < 2; i++) out.push(floatText(view.getFloat64(i * 8, true))); break;
  }
  return out;
}

function floatText(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

function hex(n: bigint, digits: number): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

/** The alternative readings of a value (children of its node). */
export function valueViews(v: DebugValue): ValueView[] {
  switch (v.type) {
    case 'i32': {
      const n = v.raw as number;
      const u = n >>> 0;
      const f = new DataView(new ArrayBuffer(4));
      f.setUint32(0, u);
      return [
        { name: 'signed', value: String(n | 0), type: 'i32' },
        { name: 'unsigned', value: String(u), type: 'u32' },
        { name: 'hex', value: hex(BigInt(u), 8), type: 'i32' },
        { name: 'as f32', value: floatText(f.getFloat32(0)), type: 'f32' },
      ];
    }
    case 'i64': {
      const s = BigInt(v.raw as string);
      const u = BigInt.asUintN(64, s);
      return [
        { name: 'signed', value: s.toString(), type: 'i64' },
        { name: 'unsigned', value: u.toString(), type: 'u64' },
        { name: 'hex', value: hex(u, 16), type: 'i64' },
      ];
    }
    case 'f32': {
      const bits = (v.raw as number) >>> 0;
      return [{ name: 'bits', value: hex(BigInt(bits), 8), type: 'i32' }];
    }
    case 'f64': return [{ name: 'bits', value: '0x' + String(v.raw).padStart(16, '0'), type: 'i64' }];
    case 'v128': {
      const bytes = v128Bytes(v);
      const lanes: ValueView[] = LANE_SHAPES.map((shape) => ({ name: shape, value: v128Lanes(bytes, shape).join(' '), type: shape }));
      lanes.push({ name: 'bytes', value: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' '), type: 'v128' });
      return lanes;
    }
    default: return [];
  }
}

/** One 16-byte row of a memory dump: hex bytes and printable ASCII. */
export function memoryRow(address: number, bytes: Uint8Array): { name: string; value: string } {
  const hexPart = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const ascii = Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
  return { name: '0x' + address.toString(16).padStart(8, '0'), value: `${hexPart.padEnd(47)}  ${ascii}` };
}
