// Runs the official Wasm 2.0 SIMD spec assertions directly against the SIMD helpers, independently
// of the engine: wast2json turns each simd_*.wast into modules plus assert_return commands,
// wasm2wat shows each module's functions, and every exported function whose body is just
// `local.get 0 … local.get n-1; <simd instruction> <immediates>` is checked by calling the matching
// helper on the assertion's arguments. The expected values (and nan:canonical / nan:arithmetic
// lanes) come from the spec suite, not from V8.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simdFunction, type SimdFunction } from '../../../runtime/engine/simd.js';

const SUITE = process.env.WASM_SPEC_TESTSUITE
  ? join(process.env.WASM_SPEC_TESTSUITE, existsSync(join(process.env.WASM_SPEC_TESTSUITE, 'wasm-2.0')) ? 'wasm-2.0' : '')
  : '/work/shared/spec-testsuite/wasm-2.0';

/** wast2json's value form: numbers as unsigned decimal strings (floats as their bits). */
interface JsonValue {
  type: string;
  lane_type?: string;
  value: string | string[];
}
interface JsonCommand {
  type: string;
  line: number;
  filename?: string;
  name?: string;
  action?: { type: string; module?: string; field: string; args: JsonValue[] };
  expected?: JsonValue[];
}

/** A function that is exactly one SIMD instruction applied to its parameters in order. */
interface SingleOp {
  instr: string;
  fn: SimdFunction;
  immediates: number[];
}

function toolsAvailable(): boolean {
  try {
    execFileSync('wast2json', ['--version'], { stdio: 'ignore' });
    execFileSync('wasm2wat', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Maps export name → single-instruction function, from wasm2wat's flat (unfolded) output. */
function singleOpExports(wasmPath: string): Map<string, SingleOp> {
  const wat = execFileSync('wasm2wat', [wasmPath], { encoding: 'utf8' });
  const funcs = new Map<number, SingleOp>();
  const funcRe = /^ {2}\(func \(;(\d+);\) \(type \d+\)((?: \(param[^)]*\))?)(?: \(result [^)]*\))?\n((?: {4}.*\n)*)/gm;
  for (const m of wat.matchAll(funcRe)) {
    const paramCount = m[2] ? m[2].replace(/\(param|\)/g, '').trim().split(/\s+/).length : 0;
    const lines = m[3].trimEnd().split('\n').map((l) => l.trim());
    if (lines.length !== paramCount + 1 || !lines[paramCount].endsWith(')')) continue;
    if (!lines.slice(0, paramCount).every((l, i) => l === `local.get ${i}`)) continue;
    const [instr, ...imms] = lines[paramCount].slice(0, -1).split(' ');
    if (/^v128\.(load|store|const)/.test(instr)) continue; // memory access and constants live in the engine
    const fn = simdFunction(instr);
    if (!fn || !imms.every((x) => /^\d+$/.test(x))) continue;
    funcs.set(Number(m[1]), { instr, fn, immediates: imms.map(Number) });
  }
  const exports = new Map<string, SingleOp>();
  for (const m of wat.matchAll(/\(export "((?:[^"\\]|\\.)*)" \(func (\d+)\)\)/g)) {
    const op = funcs.get(Number(m[2]));
    if (op) exports.set(m[1], op);
  }
  return exports;
}

const scratch = new DataView(new ArrayBuffer(16));

function v128Of(v: JsonValue): Uint8Array {
  const lanes = v.value as string[];
  const width = { i8: 1, i16: 2, i32: 4, f32: 4, i64: 8, f64: 8 }[v.lane_type!]!;
  lanes.forEach((s, i) => {
    if (width === 1) scratch.setUint8(i, Number(s));
    else if (width === 2) scratch.setUint16(2 * i, Number(s), true);
    else if (width === 4) scratch.setUint32(4 * i, Number(s), true);
    else scratch.setBigUint64(8 * i, BigInt(s), true);
  });
  return new Uint8Array(scratch.buffer.slice(0));
}

const f64FromBits = (bits: bigint): number => {
  scratch.setBigUint64(0, bits, true);
  return scratch.getFloat64(0, true);
};

/**
 * An assertion argument as the engine carries it (f32 as int32 bits, f64 as number, i64 as bigint).
 * f64 stays as bits until the call: a NaN stored in a JS array of doubles is silenced by V8, which
 * would turn a signalling-NaN argument into a quiet one before the helper even sees it.
 */
type RawArg = Uint8Array | number | bigint | { f64Bits: bigint };

function argOf(v: JsonValue): RawArg {
  switch (v.type) {
    case 'v128': return v128Of(v);
    case 'i32': case 'f32': return Number(v.value) | 0;
    case 'i64': return BigInt.asIntN(64, BigInt(v.value as string));
    case 'f64': return { f64Bits: BigInt(v.value as string) };
    default: throw new Error(`unexpected argument type ${v.type}`);
  }
}

const resolve = (a: RawArg | undefined): unknown =>
  typeof a === 'object' && !(a instanceof Uint8Array) ? f64FromBits(a.f64Bits) : a;

/** Calls the helper with each argument passed directly (never through a double array). */
function invoke(op: SingleOp, raw: RawArg[]): unknown {
  const imms: unknown[] = op.instr === 'i8x16.shuffle' ? [Uint8Array.from(op.immediates)] : op.immediates;
  switch (raw.length) {
    case 1: return op.fn(resolve(raw[0]), ...imms);
    case 2: return op.fn(resolve(raw[0]), resolve(raw[1]), ...imms);
    case 3: return op.fn(resolve(raw[0]), resolve(raw[1]), resolve(raw[2]), ...imms);
    default: throw new Error(`${op.instr}: unexpected argument count ${raw.length}`);
  }
}

function laneMatches(expected: string, bits: bigint, width: number, isFloat: boolean): boolean {
  if (isFloat && expected.startsWith('nan:')) {
    const exp = width === 4 ? 0x7f800000n : 0x7ff0000000000000n;
    const quiet = width === 4 ? 0x400000n : 0x8000000000000n;
    const mantissa = quiet * 2n - 1n;
    const abs = bits & (width === 4 ? 0x7fffffffn : 0x7fffffffffffffffn);
    if ((abs & exp) !== exp || (abs & quiet) === 0n) return false;
    return expected === 'nan:arithmetic' || (abs & mantissa) === quiet;
  }
  return bits === BigInt(expected);
}

function resultMatches(expected: JsonValue, actual: unknown): boolean {
  if (expected.type === 'v128') {
    if (!(actual instanceof Uint8Array) || actual.length !== 16) return false;
    const view = new DataView(actual.buffer, actual.byteOffset, 16);
    const lt = expected.lane_type!;
    const width = { i8: 1, i16: 2, i32: 4, f32: 4, i64: 8, f64: 8 }[lt]!;
    return (expected.value as string[]).every((s, i) => {
      const bits = width === 1 ? BigInt(view.getUint8(i)) : width === 2 ? BigInt(view.getUint16(2 * i, true))
        : width === 4 ? BigInt(view.getUint32(4 * i, true)) : view.getBigUint64(8 * i, true);
      return laneMatches(s, bits, width, lt.startsWith('f'));
    });
  }
  const s = expected.value as string;
  switch (expected.type) {
    case 'i32': return typeof actual === 'number' && BigInt(actual >>> 0) === BigInt(s);
    case 'f32': return typeof actual === 'number' && laneMatches(s, BigInt(actual >>> 0), 4, true);
    case 'i64': return typeof actual === 'bigint' && BigInt.asUintN(64, actual) === BigInt(s);
    case 'f64': {
      if (typeof actual !== 'number') return false;
      scratch.setFloat64(0, actual, true);
      return laneMatches(s, scratch.getBigUint64(0, true), 8, true);
    }
    default: return false;
  }
}

const show = (v: unknown): string =>
  v instanceof Uint8Array ? [...v].map((x) => x.toString(16).padStart(2, '0')).join(' ')
    : typeof v === 'object' && v !== null && 'f64Bits' in v ? `f64:0x${(v.f64Bits as bigint).toString(16)}` : String(v);

test('SIMD helpers pass the Wasm 2.0 spec suite assertions on single-instruction functions', (t) => {
  if (!existsSync(SUITE)) {
    t.skip(`spec test suite not found at ${SUITE} (set WASM_SPEC_TESTSUITE): skipping`);
    return;
  }
  if (!toolsAvailable()) {
    t.skip('wast2json/wasm2wat (Debian package wabt) not installed: skipping');
    return;
  }
  const files = readdirSync(SUITE).filter((f) => /^simd_.*\.wast$/.test(f)).sort();
  assert.ok(files.length > 0, `no simd_*.wast files in ${SUITE}`);
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-simd-spec-'));
  const failures: string[] = [];
  const covered = new Set<string>();
  let checked = 0;
  try {
    for (const file of files) {
      const base = file.replace(/\.wast$/, '');
      execFileSync('wast2json', [join(SUITE, file), '-o', join(dir, `${base}.json`)], { stdio: 'pipe' });
      const { commands } = JSON.parse(readFileSync(join(dir, `${base}.json`), 'utf8')) as { commands: JsonCommand[] };
      const named = new Map<string, Map<string, SingleOp>>();
      let current = new Map<string, SingleOp>();
      for (const cmd of commands) {
        if (cmd.type === 'module') {
          current = singleOpExports(join(dir, cmd.filename!));
          if (cmd.name) named.set(cmd.name, current);
          continue;
        }
        if (cmd.type !== 'assert_return' || cmd.action?.type !== 'invoke') continue;
        const exports = cmd.action.module ? named.get(cmd.action.module) : current;
        const op = exports?.get(cmd.action.field);
        if (!op) continue;
        const args = cmd.action.args.map(argOf);
        const actual = invoke(op, args);
        checked++;
        covered.add(op.instr);
        if (cmd.expected!.length !== 1 || !resultMatches(cmd.expected![0], actual)) {
          failures.push(`${file}:${cmd.line}: ${op.instr} ${op.immediates.join(' ')}(${args.map(show).join(', ')})\n` +
            `    expected ${JSON.stringify(cmd.expected)}\n    got      ${show(actual)}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.diagnostic(`${checked} assertions checked, covering ${covered.size} instructions`);
  // The suite holds well over 10,000 such assertions; far fewer means the function matching broke.
  assert.ok(checked > 10000, `only ${checked} spec assertions were matched to SIMD helpers`);
  assert.equal(failures.length, 0, `${failures.length} failures:\n${failures.slice(0, 30).join('\n')}`);
});
