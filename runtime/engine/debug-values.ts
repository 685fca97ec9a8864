// Display and parsing of internal-convention values for debuggers (DebugValue in debug-api.ts).

import { ValType } from '../wasm/types.js';
import type { DebugValue } from './debug-api.js';
import { WasmFunction } from './externs.js';
import { fb, fv, f64ToBits, f64FromBits } from './numeric.js';
import { LiteralError, parseIntN } from '../text/literals.js';

const TYPE_NAMES: Record<number, DebugValue['type']> = {
  [ValType.I32]: 'i32', [ValType.I64]: 'i64', [ValType.F32]: 'f32', [ValType.F64]: 'f64',
  [ValType.V128]: 'v128', [ValType.FuncRef]: 'funcref', [ValType.ExternRef]: 'externref',
};

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function floatText(x: number): string {
  return Number.isNaN(x) ? 'nan' : Object.is(x, -0) ? '-0' : String(x);
}

export function debugValue(t: ValType, v: unknown): DebugValue {
  const type = TYPE_NAMES[t] ?? 'i32';
  switch (t) {
    case ValType.I32: return { type, text: String(v), raw: v as number };
    case ValType.I64: return { type, text: String(v), raw: String(v) };
    case ValType.F32: return { type, text: floatText(fv(v as number)), raw: v as number };
    case ValType.F64: {
      const bits = BigInt.asUintN(64, f64ToBits(v as number));
      return { type, text: floatText(v as number), raw: bits.toString(16).padStart(16, '0') };
    }
    case ValType.V128: return { type, text: `0x${hex(v as Uint8Array)}`, raw: hex(v as Uint8Array) };
    case ValType.FuncRef: {
      const index = v instanceof WasmFunction ? v.index : null;
      return { type, text: v === null ? 'null' : `func ${index}`, raw: index };
    }
    default: return { type, text: v === null ? 'null' : String(v), raw: v === null ? null : String(v) };
  }
}

/**
 * A table element as a debugger shows it. A funcref is named by its index in *this* instance's
 * function index space (`functions`, the instance's FO): an imported host function's
 * WasmFunction.index is -1, so the index must come from where the instance keeps it. A function
 * the instance does not know (another instance's) has raw -1.
 */
export function tableElementValue(elem: ValType, v: unknown, functions: readonly WasmFunction[]): DebugValue {
  if (v === null || v === undefined) return { type: elem === ValType.ExternRef ? 'externref' : 'funcref', text: 'null', raw: null };
  if (v instanceof WasmFunction) {
    const index = v.index >= 0 && functions[v.index] === v ? v.index : functions.indexOf(v);
    return { type: 'funcref', text: index >= 0 ? `func ${index}` : 'func (of another instance)', raw: index };
  }
  return { type: 'externref', text: String(v), raw: String(v) };
}

/** Best-effort type of a value whose static type is unknown (operand-stack slots). */
export function guessType(v: unknown): ValType {
  if (typeof v === 'bigint') return ValType.I64;
  if (v instanceof Uint8Array) return ValType.V128;
  if (v === null || v instanceof WasmFunction) return ValType.FuncRef;
  if (typeof v === 'number') return Number.isInteger(v) && (v | 0) === v && !Object.is(v, -0) ? ValType.I32 : ValType.F64;
  return ValType.ExternRef;
}

/**
 * Parses user text for a value of type `t`: decimal or 0x-hex integers, floats ("1.5", "-inf",
 * "nan"), or for floats an explicit bit pattern "bits:0x7fc00001".
 */
export function parseValue(t: ValType, text: string): unknown {
  const s = text.trim();
  const fail = (): never => { throw new Error(`cannot parse "${text}" as ${TYPE_NAMES[t] ?? 'value'}`); };
  const float = (): number => {
    const lower = s.toLowerCase();
    if (lower === 'nan') return NaN;
    if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
    if (lower === '-inf' || lower === '-infinity') return -Infinity;
    const x = Number(s);
    return Number.isNaN(x) ? fail() : x;
  };
  const bits = /^bits:(0x[0-9a-f]+)$/i.exec(s);
  const integer = (width: 32 | 64): bigint => {
    try {
      return parseIntN(s, width);
    } catch (e) {
      if (e instanceof LiteralError) fail();
      throw e;
    }
  };
  switch (t) {
    // Integers are read as the text format reads them (signed or unsigned range, hex, `_`):
    // out-of-range values are refused rather than silently wrapped.
    case ValType.I32: return Number(integer(32));
    case ValType.I64: return integer(64);
    case ValType.F32: return bits ? Number(BigInt.asIntN(32, BigInt(bits[1]!))) : fb(float());
    case ValType.F64: return bits ? f64FromBits(BigInt.asIntN(64, BigInt(bits[1]!))) : float();
    case ValType.V128: {
      const h = s.replace(/^0x/i, '');
      if (!/^[0-9a-f]{32}$/i.test(h)) fail();
      return Uint8Array.from({ length: 16 }, (_, k) => parseInt(h.slice(k * 2, k * 2 + 2), 16));
    }
    default:
      if (s === 'null') return null;
      return fail();
  }
}
