// The .wast script layer: modules (text, binary, quote), actions and assertions, as the spec
// harness consumes them. Text modules are assembled here with the same pipeline as .wat files.
import { DiagnosticSink, type Diagnostic } from './diagnostics.js';
import { TokenKind } from './lexer.js';
import { decodeString, parseF32Bits, parseF64Bits, parseI32, parseI64, parseUnsigned, utf8Name } from './literals.js';
import { Cursor, ParseError, describeItem } from './cursor.js';
import { parseTree, type ParsedText } from './parser.js';
import type { TokenTable } from './token-table.js';
import { assembleModuleList } from './module-text.js';
import type { AssembleOptions } from './assembler.js';
import { literal, parseV128Const } from './instr-parser.js';
import type { WastAction, WastCommand, WastConst, WastExpected, WastModuleSource, WastNanPattern } from './wast-types.js';

export type * from './wast-types.js';

function concatStrings(c: Cursor): Uint8Array {
  const parts: Uint8Array[] = [];
  while (!c.atEnd) parts.push(c.expectString());
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

class WastParser {
  readonly commands: WastCommand[] = [];

  private readonly t: TokenTable;

  constructor(private readonly parsed: ParsedText, private readonly options: AssembleOptions) {
    this.t = parsed.tokens;
  }

  private lineOf(row: number): number {
    return this.parsed.lines.positionAt(this.t.starts[row]!).line + 1;
  }

  private takeIdText(c: Cursor): string | undefined {
    const id = c.takeId();
    return id === undefined ? undefined : this.t.text(id);
  }

  /** `(module $id? ...)` in any of its three forms; `list` 'bare' for a script of bare fields. */
  moduleSource(list: number | 'bare'): { name?: string; source: WastModuleSource } {
    if (list === 'bare') {
      const { bytes, diagnostics } = assembleModuleList(this.parsed, 'bare', this.options);
      return { source: bytes ? { kind: 'text', bytes } : { kind: 'text-error', diagnostics } };
    }
    const c = Cursor.inList(this.t, list, 1);
    const name = this.takeIdText(c);
    if (c.takeKeyword('binary') !== undefined) return { name, source: { kind: 'binary', bytes: concatStrings(c) } };
    if (c.takeKeyword('quote') !== undefined) {
      const texts: string[] = [];
      while (!c.atEnd) {
        const at = c.takeString() ?? c.fail('a string');
        const { bytes } = decodeString(this.t.text(at));
        texts.push(utf8Name(bytes) ?? new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
      }
      return { name, source: { kind: 'quote', text: texts.join(' ') } };
    }
    const { bytes, diagnostics } = assembleModuleList(this.parsed, list, this.options);
    if (!bytes) return { name, source: { kind: 'text-error', diagnostics } };
    return { name, source: { kind: 'text', bytes } };
  }

  private expectModule(c: Cursor): { name?: string; source: WastModuleSource } {
    if (c.peekListHead() !== 'module') c.fail('`(module`');
    return this.moduleSource(c.next()!);
  }

  /** The action `(invoke ...)` / `(get ...)` that is the next item of `c`. */
  private action(c: Cursor): WastAction {
    const head = c.peekListHead();
    if (head !== 'invoke' && head !== 'get') c.fail('an action `(invoke ...)` or `(get ...)`');
    const inner = Cursor.inList(this.t, c.next()!, 1);
    const module = this.takeIdText(inner);
    const name = inner.expectName('an export name').name;
    if (head === 'get') {
      inner.expectEnd();
      return module ? { kind: 'get', module, name } : { kind: 'get', name };
    }
    const args: WastConst[] = [];
    while (!inner.atEnd) args.push(this.constant(inner, false) as WastConst);
    return module ? { kind: 'invoke', module, name, args } : { kind: 'invoke', name, args };
  }

  /** `(i32.const 1)`, `(ref.null func)`, ...; with `expected`, also NaN patterns and `(ref.func)`. */
  private constant(c: Cursor, expected: boolean): WastExpected {
    const t = this.t;
    const node = c.peek();
    const head = c.peekListHead();
    if (!head) c.fail('a constant like `(i32.const 0)`');
    const inner = Cursor.inList(t, c.next()!, 1);
    const num = (what: string): number => {
      const at = inner.peekToken(TokenKind.Number) ?? inner.peekToken(TokenKind.Keyword) ?? inner.fail(what);
      inner.pos++;
      return at;
    };
    const isNanPattern = (at: number) => t.text(at) === 'nan:canonical' || t.text(at) === 'nan:arithmetic';
    let result: WastExpected;
    switch (head) {
      case 'i32.const': result = { type: 'i32', value: literal(t, num('an i32 literal'), parseI32) }; break;
      case 'i64.const': result = { type: 'i64', value: literal(t, num('an i64 literal'), parseI64) }; break;
      case 'f32.const':
      case 'f64.const': {
        const at = num('a float literal');
        const type = head === 'f32.const' ? 'f32' : 'f64';
        if (expected && isNanPattern(at)) {
          result = { type, nan: t.text(at) === 'nan:canonical' ? 'canonical' : 'arithmetic' };
        } else if (type === 'f32') result = { type, bits: literal(t, at, parseF32Bits) };
        else result = { type, bits: literal(t, at, parseF64Bits) };
        break;
      }
      case 'v128.const': {
        const shapeToken = inner.peekKeyword();
        const shape = shapeToken === undefined ? undefined : t.text(shapeToken);
        let hasNanPattern = false;
        if (expected && (shape === 'f32x4' || shape === 'f64x2')) {
          for (let at = inner.pos; at < inner.end; at = t.next(at)) if (!t.isList(at) && isNanPattern(at)) hasNanPattern = true;
        }
        if (hasNanPattern) {
          inner.pos++;
          const lanes: (WastConst | WastNanPattern)[] = [];
          while (!inner.atEnd) {
            const at = num('a lane value');
            if (isNanPattern(at)) lanes.push({ nan: t.text(at) === 'nan:canonical' ? 'canonical' : 'arithmetic' });
            else if (shape === 'f32x4') lanes.push({ type: 'f32', bits: literal(t, at, parseF32Bits) });
            else lanes.push({ type: 'f64', bits: literal(t, at, parseF64Bits) });
          }
          result = { type: 'v128', shape: shape as 'f32x4' | 'f64x2', lanes };
        } else result = { type: 'v128', bytes: parseV128Const(inner) };
        break;
      }
      case 'ref.null': {
        const at = inner.peekKeyword();
        const word = at === undefined ? undefined : t.text(at);
        if (word !== 'func' && word !== 'extern') return inner.fail('`func` or `extern`');
        inner.pos++;
        result = { type: 'ref.null', ref: word };
        break;
      }
      case 'ref.extern': {
        const at = inner.peekToken(TokenKind.Number);
        if (at === undefined) {
          if (!expected) inner.fail('an extern reference number');
          result = { type: 'ref.extern' };
        } else {
          inner.pos++;
          result = { type: 'ref.extern', value: Number(literal(t, at, (s) => parseUnsigned(s, 32))) };
        }
        break;
      }
      case 'ref.func':
        if (!expected) inner.fail('a constant');
        // Any function reference matches; an index, if written, is not checked.
        while (!inner.atEnd) inner.advance();
        result = { type: 'ref.func' };
        break;
      default:
        throw new ParseError(t.span(node!), `expected a constant but found ${describeItem(t, node)}`, 'unexpected-token');
    }
    inner.expectEnd();
    return result;
  }

  private message(c: Cursor): string {
    const at = c.takeString() ?? c.fail('a failure message string');
    const { bytes } = decodeString(this.t.text(at));
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }

  command(list: number): void {
    const t = this.t;
    const head = t.head(list);
    const c = Cursor.inList(t, list, 1);
    const line = this.lineOf(list);
    const push = (cmd: WastCommand) => this.commands.push(cmd);
    switch (head) {
      case 'module': {
        const { name, source } = this.moduleSource(list);
        push(name ? { kind: 'module', name, source, line } : { kind: 'module', source, line });
        return;
      }
      case 'register': {
        const as = c.expectName('a registration name').name;
        const name = this.takeIdText(c);
        c.expectEnd();
        push(name ? { kind: 'register', as, name, line } : { kind: 'register', as, line });
        return;
      }
      case 'invoke':
      case 'get': {
        // The command is itself the action: a cursor whose one item is the list.
        const outer = new Cursor(t, list, t.next(list), -1);
        push({ kind: 'action', action: this.action(outer), line });
        return;
      }
      case 'assert_return': {
        const action = this.action(c);
        const expected: WastExpected[] = [];
        while (!c.atEnd) expected.push(this.constant(c, true));
        push({ kind: 'assert_return', action, expected, line });
        return;
      }
      case 'assert_trap': {
        if (c.peekListHead() === 'module') {
          const { source } = this.expectModule(c);
          push({ kind: 'assert_trap_module', source, message: this.message(c), line });
        } else {
          const action = this.action(c);
          push({ kind: 'assert_trap', action, message: this.message(c), line });
        }
        c.expectEnd();
        return;
      }
      case 'assert_exhaustion': {
        const action = this.action(c);
        push({ kind: 'assert_exhaustion', action, message: this.message(c), line });
        c.expectEnd();
        return;
      }
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_unlinkable':
      case 'assert_uninstantiable': {
        const { source } = this.expectModule(c);
        push({ kind: head, source, message: this.message(c), line });
        c.expectEnd();
        return;
      }
      default:
      {
        const first = c.end > list + 1 ? list + 1 : undefined;
        throw new ParseError(first !== undefined ? t.span(first) : t.openParenSpan(list),
          `expected a script command (module, register, invoke, get, assert_...) but found ${describeItem(t, first ?? list)}`, 'unexpected-token');
      }
    }
  }
}

/** Parses a .wast script. Never throws; bad commands are reported and skipped. */
export function parseWast(text: string, fileName?: string, options: AssembleOptions = {}): { commands: WastCommand[]; diagnostics: Diagnostic[] } {
  // Diagnostics carry ranges only; callers format them with the file name (formatDiagnostic).
  void fileName;
  const sink = new DiagnosticSink();
  const parsed = parseTree(text, sink);
  const parser = new WastParser(parsed, options);
  const t = parsed.tokens;
  const items: number[] = [];
  for (let i = 0; i < t.count; i = t.next(i)) items.push(i);
  // A script may also be a bare module (fields at top level): treat it as one module command.
  if (items.length > 0 && items.every((i) => t.isList(i)) && !items.some((i) => isScriptHead(t.head(i)))) {
    const { source } = parser.moduleSource('bare');
    parser.commands.push({ kind: 'module', source, line: 1 });
    return { commands: parser.commands, diagnostics: sink.toDiagnostics(parsed.lines) };
  }
  for (const item of items) {
    if (!t.isList(item)) {
      sink.error(t.span(item), 'unexpected-token', `expected a script command but found ${describeItem(t, item)}`);
      continue;
    }
    try {
      parser.command(item);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      sink.error(e.span, e.code, e.message);
    }
  }
  return { commands: parser.commands, diagnostics: sink.toDiagnostics(parsed.lines) };
}

function isScriptHead(head: string | undefined): boolean {
  return head === 'module' || head === 'register' || head === 'invoke' || head === 'get' || (head?.startsWith('assert_') ?? false);
}
