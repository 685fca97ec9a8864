// The debugger's expression language: small on purpose, so that watch expressions, conditional
// breakpoints, logpoint `{…}` holes and the Debug Console all mean the same thing.
//
//   expr     := binary expression over the operators below (C precedence, left-associative)
//                 ||  &&  |  ^  &  == !=  < <= > >=  << >> >>>  + -  * / %
//   unary    := - ~ ! unary | primary
//   primary  := INTEGER                    decimal, 0x hex or 0b binary; `_` separators allowed
//             | NAME | $NAME               a local of the selected frame, else a global (WAT id or
//                                          name-section name; the `$` is optional)
//             | local N | local.N          local by index (parameters first)
//             | global N | global.N        global by index
//             | TYPE[expr]                 load from memory 0, little-endian; TYPE is one of
//                                          i8 u8 i16 u16 i32 u32 i64 u64 f32 f64
//             | mem[expr..expr]            bytes of memory 0 in [start, end) (whole expression only,
//                                          at most 4096 bytes)
//             | ( expr )
//
// Integer arithmetic is exact (unbounded BigInt): `$ptr + 4` never wraps, so an address computed
// from an i32 means what it says. Division truncates toward zero; division by zero is an error.
// Comparisons and logical operators give 0 or 1. Floats (f32/f64 locals, globals, loads) can be
// shown but not combined with other operands — a debugger that silently mixed float and integer
// semantics would mislead more than it helps.
import type { DebugValue } from '../runtime/engine/debug-api.js';

/** What an expression can read: the program state at a stop (all async: the engine is in a worker). */
export interface EvalContext {
  /** A local of the selected frame, by name (with or without `$`) or by index; undefined if none. */
  local(ref: string | number): Promise<DebugValue | undefined>;
  /** A global by name (with or without `$`) or index; undefined if none. */
  global(ref: string | number): Promise<DebugValue | undefined>;
  /** Bytes of memory 0; rejects when the range is out of bounds. */
  readMemory(address: number, length: number): Promise<Uint8Array>;
}

export type EvalResult =
  | { kind: 'int'; value: bigint; type?: 'i32' | 'i64' }
  | { kind: 'float'; value: number; type: 'f32' | 'f64' }
  /** A value that can be shown but not computed with (v128, references). */
  | { kind: 'opaque'; value: DebugValue }
  | { kind: 'bytes'; address: number; bytes: Uint8Array };

export class EvalError extends Error {
  constructor(message: string, readonly column: number) {
    super(message);
    this.name = 'EvalError';
  }
}

export const MAX_MEMORY_SLICE = 4096;

type Token =
  | { t: 'num'; value: bigint; pos: number }
  | { t: 'name'; text: string; pos: number }
  | { t: 'op'; text: string; pos: number }
  | { t: 'end'; pos: number };

const OPERATORS = ['>>>', '..', '||', '&&', '==', '!=', '<=', '>=', '<<', '>>', '|', '^', '&', '<', '>', '+', '-', '*',
  '/', '%', '~', '!', '(', ')', '[', ']'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9a-fA-F_]+|0b[01_]+|[0-9][0-9_]*)/.exec(src.slice(i))!;
      const text = m[0].replace(/_/g, '');
      const after = i + m[0].length;
      if (/[A-Za-z0-9_]/.test(src[after] ?? '')) throw new EvalError(`malformed number at column ${i + 1}`, i + 1);
      if (src[after] === '.' && src[after + 1] !== '.') {
        throw new EvalError(`float literals are not supported (column ${i + 1}); only integers`, i + 1);
      }
      out.push({ t: 'num', value: BigInt(text), pos: i });
      i += m[0].length;
      continue;
    }
    if (/[$A-Za-z_]/.test(c)) {
      // Names follow the WAT id alphabet, so `$my.func` and `$a-b` work without quoting.
      const m = /^\$?[A-Za-z0-9_.!#'*+\-/:<=>?@\\^`|~]+|^\$/.exec(src.slice(i))!;
      let text = m[0];
      // `local.3` / `global.0` are one token; but a bare name must not swallow operators after it.
      if (!text.startsWith('$')) text = /^[A-Za-z_][A-Za-z0-9_]*(\.[0-9]+)?/.exec(text)![0];
      out.push({ t: 'name', text, pos: i });
      i += text.length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new EvalError(`unexpected character '${c}' at column ${i + 1}`, i + 1);
    out.push({ t: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ t: 'end', pos: src.length });
  return out;
}

// Binary operators from loosest to tightest binding.
const LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '<=', '>', '>='],
  ['<<', '>>', '>>>'], ['+', '-'], ['*', '/', '%']];

const LOAD_TYPES: Record<string, { size: number; signed: boolean; float?: 'f32' | 'f64' }> = {
  i8: { size: 1, signed: true }, u8: { size: 1, signed: false }, i16: { size: 2, signed: true },
  u16: { size: 2, signed: false }, i32: { size: 4, signed: true }, u32: { size: 4, signed: false },
  i64: { size: 8, signed: true }, u64: { size: 8, signed: false }, f32: { size: 4, signed: true, float: 'f32' },
  f64: { size: 8, signed: true, float: 'f64' },
};

/** Converts an engine value to an evaluator value. */
export function fromDebugValue(v: DebugValue): EvalResult {
  switch (v.type) {
    case 'i32': return { kind: 'int', value: BigInt(v.raw as number), type: 'i32' };
    case 'i64': return { kind: 'int', value: BigInt(v.raw as string), type: 'i64' };
    case 'f32': {
      const view = new DataView(new ArrayBuffer(4));
      view.setInt32(0, v.raw as number);
      return { kind: 'float', value: view.getFloat32(0), type: 'f32' };
    }
    case 'f64': {
      const view = new DataView(new ArrayBuffer(8));
      view.setBigUint64(0, BigInt('0x' + String(v.raw)));
      return { kind: 'float', value: view.getFloat64(0), type: 'f64' };
    }
    default: return { kind: 'opaque', value: v };
  }
}

/** Deeper nesting is refused: the parser recurses, and a watch expression never needs more. */
const MAX_NESTING = 200;

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[], private readonly ctx: EvalContext) {}

  private peek(): Token { return this.tokens[this.pos]!; }
  private next(): Token { return this.tokens[this.pos++]!; }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.text === text;
  }
  private expectOp(text: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.text !== text) throw new EvalError(`expected '${text}' at column ${t.pos + 1}`, t.pos + 1);
  }

  async top(): Promise<EvalResult> {
    const first = this.peek();
    let result: EvalResult;
    if (first.t === 'name' && first.text === 'mem' && this.tokens[this.pos + 1]?.t === 'op' &&
      (this.tokens[this.pos + 1] as { text: string }).text === '[') {
      result = await this.memSlice();
    } else {
      result = await this.binary(0);
    }
    const end = this.peek();
    if (end.t !== 'end') throw new EvalError(`unexpected '${tokenText(end)}' at column ${end.pos + 1}`, end.pos + 1);
    return result;
  }

  private async memSlice(): Promise<EvalResult> {
    this.next();
    this.expectOp('[');
    const start = asInt(await this.binary(0), this.peek().pos);
    this.expectOp('..');
    const end = asInt(await this.binary(0), this.peek().pos);
    this.expectOp(']');
    if (start < 0n || end < start) throw new EvalError(`bad memory range ${start}..${end}`, 1);
    if (end - start > BigInt(MAX_MEMORY_SLICE)) throw new EvalError(`memory range longer than ${MAX_MEMORY_SLICE} bytes`, 1);
    if (end > 0xffffffffn + 1n) throw new EvalError(`address ${end} is outside the 32-bit address space`, 1);
    const bytes = await this.ctx.readMemory(Number(start), Number(end - start));
    return { kind: 'bytes', address: Number(start), bytes };
  }

  /** Parses a nested sub-expression (parentheses, brackets, unary operators) within MAX_NESTING. */
  private async nested(pos: number, parse: () => Promise<EvalResult>): Promise<EvalResult> {
    if (++this.depth > MAX_NESTING) throw new EvalError(`expression nested more than ${MAX_NESTING} levels deep at column ${pos + 1}`, pos + 1);
    try {
      return await parse();
    } finally {
      this.depth--;
    }
  }

  private async binary(level: number): Promise<EvalResult> {
    if (level === LEVELS.length) return this.unary();
    let left = await this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.t !== 'op' || !LEVELS[level]!.includes(t.text)) return left;
      this.next();
      const right = await this.binary(level + 1);
      left = { kind: 'int', value: applyBinary(t.text, asInt(left, t.pos), asInt(right, t.pos), t.pos) };
    }
  }

  private async unary(): Promise<EvalResult> {
    const t = this.peek();
    if (t.t === 'op' && (t.text === '-' || t.text === '~' || t.text === '!')) {
      this.next();
      const operand = await this.nested(t.pos, () => this.unary());
      if (t.text === '-' && operand.kind === 'float') return { ...operand, value: -operand.value };
      const v = asInt(operand, t.pos);
      return { kind: 'int', value: t.text === '-' ? -v : t.text === '~' ? ~v : v === 0n ? 1n : 0n };
    }
    return this.primary();
  }

  private async primary(): Promise<EvalResult> {
    const t = this.next();
    if (t.t === 'num') return { kind: 'int', value: t.value };
    if (t.t === 'op' && t.text === '(') {
      const v = await this.nested(t.pos, () => this.binary(0));
      this.expectOp(')');
      return v;
    }
    if (t.t !== 'name') throw new EvalError(`expected a value at column ${t.pos + 1}, found '${tokenText(t)}'`, t.pos + 1);
    const dotted = /^(local|global)\.([0-9]+)$/.exec(t.text);
    if (dotted) return this.indexed(dotted[1] as 'local' | 'global', Number(dotted[2]), t.pos);
    if ((t.text === 'local' || t.text === 'global') && this.peek().t === 'num') {
      const n = this.next() as { value: bigint };
      return this.indexed(t.text, Number(n.value), t.pos);
    }
    const load = LOAD_TYPES[t.text];
    if (load && this.isOp('[')) {
      this.next();
      const address = asInt(await this.nested(t.pos, () => this.binary(0)), t.pos);
      this.expectOp(']');
      return this.load(t.text, load, address, t.pos);
    }
    const local = await this.ctx.local(t.text);
    if (local) return fromDebugValue(local);
    const global = await this.ctx.global(t.text);
    if (global) return fromDebugValue(global);
    throw new EvalError(`unknown name '${t.text}' (not a local of this frame nor a global)`, t.pos + 1);
  }

  private async indexed(space: 'local' | 'global', index: number, pos: number): Promise<EvalResult> {
    const v = space === 'local' ? await this.ctx.local(index) : await this.ctx.global(index);
    if (!v) throw new EvalError(`no ${space} ${index}`, pos + 1);
    return fromDebugValue(v);
  }

  private async load(name: string, type: { size: number; signed: boolean; float?: 'f32' | 'f64' }, address: bigint,
    pos: number): Promise<EvalResult> {
    if (address < 0n || address + BigInt(type.size) > 0x100000000n) {
      throw new EvalError(`address ${address} is outside the 32-bit address space`, pos + 1);
    }
    const bytes = await this.ctx.readMemory(Number(address), type.size);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (type.float === 'f32') return { kind: 'float', value: view.getFloat32(0, true), type: 'f32' };
    if (type.float === 'f64') return { kind: 'float', value: view.getFloat64(0, true), type: 'f64' };
    let value: bigint;
    if (type.size === 8) value = type.signed ? view.getBigInt64(0, true) : view.getBigUint64(0, true);
    else if (type.size === 4) value = BigInt(type.signed ? view.getInt32(0, true) : view.getUint32(0, true));
    else if (type.size === 2) value = BigInt(type.signed ? view.getInt16(0, true) : view.getUint16(0, true));
    else value = BigInt(type.signed ? view.getInt8(0) : view.getUint8(0));
    return { kind: 'int', value, type: name.endsWith('64') ? 'i64' : 'i32' };
  }
}

function tokenText(t: Token): string {
  return t.t === 'end' ? 'end of expression' : t.t === 'num' ? String(t.value) : t.text;
}

function asInt(v: EvalResult, pos: number): bigint {
  if (v.kind === 'int') return v.value;
  const what = v.kind === 'float' ? v.type : v.kind === 'bytes' ? 'a memory range' : v.value.type;
  throw new EvalError(`cannot compute with ${what} values (column ${pos + 1}); only integers`, pos + 1);
}

function applyBinary(op: string, a: bigint, b: bigint, pos: number): bigint {
  switch (op) {
    case '||': return a !== 0n || b !== 0n ? 1n : 0n;
    case '&&': return a !== 0n && b !== 0n ? 1n : 0n;
    case '|': return a | b;
    case '^': return a ^ b;
    case '&': return a & b;
    case '==': return a === b ? 1n : 0n;
    case '!=': return a !== b ? 1n : 0n;
    case '<': return a < b ? 1n : 0n;
    case '<=': return a <= b ? 1n : 0n;
    case '>': return a > b ? 1n : 0n;
    case '>=': return a >= b ? 1n : 0n;
    case '<<':
    case '>>':
    case '>>>':
      if (b < 0n || b > 1024n) throw new EvalError(`shift count ${b} out of range`, pos + 1);
      // Exact integers have no width, so >>> and >> both shift the exact value.
      return op === '<<' ? a << b : a >> b;
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
    case '%':
      if (b === 0n) throw new EvalError('division by zero', pos + 1);
      return op === '/' ? a / b : a % b;
    default: throw new EvalError(`unknown operator '${op}'`, pos + 1);
  }
}

/** Evaluates an expression; throws EvalError with a message fit for the user. */
export async function evaluateExpression(source: string, ctx: EvalContext): Promise<EvalResult> {
  if (source.trim() === '') throw new EvalError('empty expression', 1);
  return new Parser(tokenize(source), ctx).top();
}

/** True when the value counts as "hit" for a conditional breakpoint (non-zero). */
export function isTruthy(v: EvalResult): boolean {
  if (v.kind === 'int') return v.value !== 0n;
  if (v.kind === 'float') return v.value !== 0 && !Number.isNaN(v.value);
  if (v.kind === 'bytes') return v.bytes.some((b) => b !== 0);
  return v.value.raw !== null && v.value.raw !== 0;
}

/** Display text of a result, as the Debug Console shows it. */
export function formatResult(v: EvalResult): string {
  switch (v.kind) {
    case 'int': return v.value.toString();
    case 'float': return Object.is(v.value, -0) ? '-0' : String(v.value);
    case 'opaque': return v.value.text;
    case 'bytes': return Array.from(v.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
  }
}

/** Words of the language itself, offered by Debug Console completion next to names. */
export const EXPRESSION_KEYWORDS: readonly string[] = ['local', 'global', 'mem', ...Object.keys(LOAD_TYPES)];

/**
 * The syntax error of an expression, or undefined when it parses. Names are not resolved (they
 * belong to the frame where it will run) and loads read zeros, so only the form is checked.
 */
export async function syntaxError(source: string): Promise<string | undefined> {
  const one: DebugValue = { type: 'i32', text: '1', raw: 1 };
  const probe: EvalContext = {
    local: async () => one,
    global: async () => one,
    readMemory: async (_address, length) => new Uint8Array(length),
  };
  try {
    await evaluateExpression(source, probe);
    return undefined;
  } catch (e) {
    // Only the form is judged here: arithmetic faults depend on the values at the stop.
    if (e instanceof EvalError && !/division by zero|shift count|bad memory range|outside the 32-bit/.test(e.message)) {
      return e.message;
    }
    return undefined;
  }
}

/**
 * Debug Console completion: the word being typed ends at `cursor` (0-based); candidates are the
 * given names (locals, globals: `$x` also matches a typed `x`) and the language's keywords.
 */
export function completions(text: string, cursor: number, names: readonly string[]):
  { start: number; targets: { label: string; type: 'variable' | 'keyword' }[] } {
  const prefix = /[$A-Za-z_][A-Za-z0-9_.$]*$/.exec(text.slice(0, cursor))?.[0] ?? '';
  const bare = prefix.startsWith('$') ? prefix.slice(1) : prefix;
  const matches = (label: string): boolean => label.startsWith(prefix) || label.startsWith(`$${bare}`);
  return {
    start: cursor - prefix.length,
    targets: [
      ...names.filter(matches).map((label) => ({ label, type: 'variable' as const })),
      ...EXPRESSION_KEYWORDS.filter(matches).map((label) => ({ label, type: 'keyword' as const })),
    ],
  };
}
