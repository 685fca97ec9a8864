// Reads a `.wast` script through Debian wabt's `wast2json` and returns the same command list as the
// text front end's `parseWast`. It exists so the engine can be measured against the whole suite
// before (and independently of) our own front end: `wasmscope spec --via-wast2json`. The default
// path reads `.wast` directly with runtime/text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { WastAction, WastCommand, WastConst, WastExpected, WastModuleSource } from '../text/wast-types.js';

interface JsonValue {
  type: string;
  value?: string | string[];
  lane_type?: string;
}

interface JsonAction {
  type: 'invoke' | 'get';
  module?: string;
  field: string;
  args?: JsonValue[];
}

interface JsonCommand {
  type: string;
  line: number;
  filename?: string;
  name?: string;
  as?: string;
  text?: string;
  module_type?: 'binary' | 'text';
  action?: JsonAction;
  expected?: JsonValue[];
}

export function readWastViaWast2json(path: string): WastCommand[] {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-w2j-'));
  try {
    const out = join(dir, basename(path).replace(/\.wast$/, '') + '.json');
    execFileSync('wast2json', [path, '-o', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    const json = JSON.parse(readFileSync(out, 'utf8')) as { commands: JsonCommand[] };
    return json.commands.map((c) => convertCommand(c, dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function moduleSource(c: JsonCommand, dir: string): WastModuleSource {
  const bytes = new Uint8Array(readFileSync(join(dir, c.filename!)));
  // wast2json writes text-format modules of assert_malformed as .wat files: those are quotes.
  if (c.module_type === 'text') return { kind: 'quote', text: new TextDecoder().decode(bytes) };
  return { kind: 'binary', bytes };
}

function convertAction(a: JsonAction): WastAction {
  if (a.type === 'get') return { kind: 'get', module: a.module, name: a.field };
  return { kind: 'invoke', module: a.module, name: a.field, args: (a.args ?? []).map(convertConst) };
}

function convertCommand(c: JsonCommand, dir: string): WastCommand {
  const line = c.line;
  switch (c.type) {
    case 'module':
      return { kind: 'module', name: c.name, source: moduleSource(c, dir), line };
    case 'register':
      return { kind: 'register', as: c.as!, name: c.name, line };
    case 'action':
      return { kind: 'action', action: convertAction(c.action!), line };
    case 'assert_return':
      return { kind: 'assert_return', action: convertAction(c.action!), expected: (c.expected ?? []).map(convertExpected), line };
    case 'assert_trap':
      if (!c.action) return { kind: 'assert_trap_module', source: moduleSource(c, dir), message: c.text ?? '', line };
      return { kind: 'assert_trap', action: convertAction(c.action), message: c.text ?? '', line };
    case 'assert_exhaustion':
      return { kind: 'assert_exhaustion', action: convertAction(c.action!), message: c.text ?? '', line };
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_unlinkable':
    case 'assert_uninstantiable':
      return { kind: c.type, source: moduleSource(c, dir), message: c.text ?? '', line };
    default:
      throw new Error(`wast2json: unknown command type ${c.type} at line ${line}`);
  }
}

const LANES: Record<string, { shape: 'i8x16' | 'i16x8' | 'i32x4' | 'i64x2' | 'f32x4' | 'f64x2'; bytes: number }> = {
  i8: { shape: 'i8x16', bytes: 1 }, i16: { shape: 'i16x8', bytes: 2 }, i32: { shape: 'i32x4', bytes: 4 },
  i64: { shape: 'i64x2', bytes: 8 }, f32: { shape: 'f32x4', bytes: 4 }, f64: { shape: 'f64x2', bytes: 8 },
};

function convertConst(v: JsonValue): WastConst {
  const s = v.value as string;
  switch (v.type) {
    case 'i32': return { type: 'i32', value: Number(BigInt.asIntN(32, BigInt(s))) };
    case 'i64': return { type: 'i64', value: BigInt.asIntN(64, BigInt(s)) };
    case 'f32': return { type: 'f32', bits: Number(BigInt.asIntN(32, BigInt(s))) };
    case 'f64': return { type: 'f64', bits: BigInt.asIntN(64, BigInt(s)) };
    case 'funcref': return { type: 'ref.null', ref: 'func' };
    case 'externref':
      return s === 'null' ? { type: 'ref.null', ref: 'extern' } : { type: 'ref.extern', value: Number(s) };
    case 'v128': {
      const lane = LANES[v.lane_type!];
      const bytes = new Uint8Array(16);
      const view = new DataView(bytes.buffer);
      (v.value as string[]).forEach((x, i) => writeLane(view, lane.bytes, i, BigInt(x)));
      return { type: 'v128', bytes };
    }
    default:
      throw new Error(`wast2json: unknown value type ${v.type}`);
  }
}

function writeLane(view: DataView, size: number, i: number, x: bigint): void {
  if (size === 1) view.setUint8(i, Number(BigInt.asUintN(8, x)));
  else if (size === 2) view.setUint16(i * 2, Number(BigInt.asUintN(16, x)), true);
  else if (size === 4) view.setUint32(i * 4, Number(BigInt.asUintN(32, x)), true);
  else view.setBigUint64(i * 8, BigInt.asUintN(64, x), true);
}

function isNanPattern(s: unknown): s is 'nan:canonical' | 'nan:arithmetic' {
  return s === 'nan:canonical' || s === 'nan:arithmetic';
}

function convertExpected(v: JsonValue): WastExpected {
  if ((v.type === 'f32' || v.type === 'f64') && isNanPattern(v.value)) {
    return { type: v.type, nan: v.value === 'nan:canonical' ? 'canonical' : 'arithmetic' };
  }
  if (v.type === 'funcref' && v.value !== 'null') return { type: 'ref.func' };
  if (v.type === 'externref' && v.value === undefined) return { type: 'ref.extern' };
  if (v.type === 'v128' && (v.value as string[]).some(isNanPattern)) {
    const lane = LANES[v.lane_type!];
    return {
      type: 'v128', shape: lane.shape,
      lanes: (v.value as string[]).map((x) => isNanPattern(x)
        ? { nan: x === 'nan:canonical' ? 'canonical' as const : 'arithmetic' as const }
        : laneConst(v.lane_type!, x)),
    };
  }
  return convertConst(v);
}

function laneConst(laneType: string, x: string): WastConst {
  if (laneType === 'f32') return { type: 'f32', bits: Number(BigInt.asIntN(32, BigInt(x))) };
  return { type: 'f64', bits: BigInt.asIntN(64, BigInt(x)) };
}
