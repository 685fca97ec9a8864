// The .wast script layer: modules (text, binary, quote), actions and assertions, as the spec
// harness consumes them. Text modules are assembled here with the same pipeline as .wat files.
import { DiagnosticSink, type Diagnostic } from './diagnostics.js';
import { TokenKind, type Token } from './lexer.js';
import { decodeString, parseF32Bits, parseF64Bits, parseI32, parseI64, parseUnsigned, utf8Name } from './literals.js';
import { Cursor, ParseError, describeNode } from './cursor.js';
import { headKeyword, isList, openParenSpan, type SList, type SNode } from './sexpr.js';
import { parseTree, type ParsedText } from './parser.js';
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

  constructor(private readonly parsed: ParsedText, private readonly options: AssembleOptions) {}

  private lineOf(node: SNode): number {
    return this.parsed.lines.positionAt(node.start).line + 1;
  }

  /** `(module $id? ...)` in any of its three forms. */
  private moduleSource(list: SList): { name?: string; source: WastModuleSource } {
    const c = new Cursor(list.items, list);
    c.pos = 1;
    const name = c.takeId()?.text;
    if (c.takeKeyword('binary')) return { name, source: { kind: 'binary', bytes: concatStrings(c) } };
    if (c.takeKeyword('quote')) {
      const texts: string[] = [];
      while (!c.atEnd) {
        const t = c.takeString() ?? c.fail('a string');
        const { bytes } = decodeString(t.text);
        texts.push(utf8Name(bytes) ?? new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
      }
      return { name, source: { kind: 'quote', text: texts.join(' ') } };
    }
    const { bytes, diagnostics } = assembleModuleList(this.parsed, list, this.options);
    if (!bytes) return { name, source: { kind: 'text-error', diagnostics } };
    return { name, source: { kind: 'text', bytes } };
  }

  private expectModule(c: Cursor): { name?: string; source: WastModuleSource } {
    const node = c.peek();
    if (headKeyword(node) !== 'module') c.fail('`(module`');
    c.pos++;
    return this.moduleSource(node as SList);
  }

  private action(list: SNode | undefined, c: Cursor): WastAction {
    const head = headKeyword(list);
    if (head !== 'invoke' && head !== 'get') c.fail('an action `(invoke ...)` or `(get ...)`');
    c.pos++;
    const inner = new Cursor((list as SList).items, list as SList);
    inner.pos = 1;
    const module = inner.takeId()?.text;
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
    const node = c.peek();
    const head = headKeyword(node);
    if (!head) c.fail('a constant like `(i32.const 0)`');
    c.pos++;
    const inner = new Cursor((node as SList).items, node as SList);
    inner.pos = 1;
    const num = (what: string): Token => {
      const t = inner.peekToken(TokenKind.Number) ?? inner.peekToken(TokenKind.Keyword) ?? inner.fail(what);
      inner.pos++;
      return t;
    };
    let result: WastExpected;
    switch (head) {
      case 'i32.const': result = { type: 'i32', value: literal(num('an i32 literal'), parseI32) }; break;
      case 'i64.const': result = { type: 'i64', value: literal(num('an i64 literal'), parseI64) }; break;
      case 'f32.const':
      case 'f64.const': {
        const t = num('a float literal');
        const type = head === 'f32.const' ? 'f32' : 'f64';
        if (expected && (t.text === 'nan:canonical' || t.text === 'nan:arithmetic')) {
          result = { type, nan: t.text === 'nan:canonical' ? 'canonical' : 'arithmetic' };
        } else if (type === 'f32') result = { type, bits: literal(t, parseF32Bits) };
        else result = { type, bits: literal(t, parseF64Bits) };
        break;
      }
      case 'v128.const': {
        const shapeToken = inner.peekKeyword();
        const shape = shapeToken?.text;
        const hasNanPattern = expected && (shape === 'f32x4' || shape === 'f64x2')
          && inner.items.some((n) => !isList(n) && (n.text === 'nan:canonical' || n.text === 'nan:arithmetic'));
        if (hasNanPattern) {
          inner.pos++;
          const lanes: (WastConst | WastNanPattern)[] = [];
          while (!inner.atEnd) {
            const t = num('a lane value');
            if (t.text === 'nan:canonical' || t.text === 'nan:arithmetic') lanes.push({ nan: t.text === 'nan:canonical' ? 'canonical' : 'arithmetic' });
            else if (shape === 'f32x4') lanes.push({ type: 'f32', bits: literal(t, parseF32Bits) });
            else lanes.push({ type: 'f64', bits: literal(t, parseF64Bits) });
          }
          result = { type: 'v128', shape: shape as 'f32x4' | 'f64x2', lanes };
        } else result = { type: 'v128', bytes: parseV128Const(inner) };
        break;
      }
      case 'ref.null': {
        const t = inner.peekKeyword();
        if (!t || (t.text !== 'func' && t.text !== 'extern')) return inner.fail('`func` or `extern`');
        inner.pos++;
        result = { type: 'ref.null', ref: t.text };
        break;
      }
      case 'ref.extern': {
        const t = inner.peekToken(TokenKind.Number);
        if (!t) {
          if (!expected) inner.fail('an extern reference number');
          result = { type: 'ref.extern' };
        } else {
          inner.pos++;
          result = { type: 'ref.extern', value: Number(literal(t, (s) => parseUnsigned(s, 32))) };
        }
        break;
      }
      case 'ref.func':
        if (!expected) inner.fail('a constant');
        // Any function reference matches; an index, if written, is not checked.
        while (!inner.atEnd) inner.pos++;
        result = { type: 'ref.func' };
        break;
      default:
        throw new ParseError(node!, `expected a constant but found ${describeNode(node)}`, 'unexpected-token');
    }
    inner.expectEnd();
    return result;
  }

  private message(c: Cursor): string {
    const t = c.takeString() ?? c.fail('a failure message string');
    const { bytes } = decodeString(t.text);
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }

  command(list: SList): void {
    const head = headKeyword(list);
    const c = new Cursor(list.items, list);
    c.pos = 1;
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
        const name = c.takeId()?.text;
        c.expectEnd();
        push(name ? { kind: 'register', as, name, line } : { kind: 'register', as, line });
        return;
      }
      case 'invoke':
      case 'get': {
        const outer = new Cursor([list], undefined);
        push({ kind: 'action', action: this.action(list, outer), line });
        return;
      }
      case 'assert_return': {
        const action = this.action(c.peek(), c);
        const expected: WastExpected[] = [];
        while (!c.atEnd) expected.push(this.constant(c, true));
        push({ kind: 'assert_return', action, expected, line });
        return;
      }
      case 'assert_trap': {
        if (headKeyword(c.peek()) === 'module') {
          const { source } = this.expectModule(c);
          push({ kind: 'assert_trap_module', source, message: this.message(c), line });
        } else {
          const action = this.action(c.peek(), c);
          push({ kind: 'assert_trap', action, message: this.message(c), line });
        }
        c.expectEnd();
        return;
      }
      case 'assert_exhaustion': {
        const action = this.action(c.peek(), c);
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
        throw new ParseError(list.items[0] ?? openParenSpan(list), `expected a script command (module, register, invoke, get, assert_...) but found ${describeNode(list.items[0] ?? list)}`, 'unexpected-token');
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
  const items = parsed.tree;
  // A script may also be a bare module (fields at top level): treat it as one module command.
  if (items.length > 0 && items.every((n) => isList(n)) && !items.some((n) => isScriptHead(headKeyword(n)))) {
    const pseudo: SList = {
      kind: 'list', closed: false,
      items: [{ kind: TokenKind.Keyword, start: 0, end: 0, text: 'module' }, ...items], start: 0, end: text.length,
    };
    parser.command(pseudo);
    return { commands: parser.commands, diagnostics: sink.toDiagnostics(parsed.lines) };
  }
  for (const item of items) {
    if (!isList(item)) {
      sink.error(item, 'unexpected-token', `expected a script command but found ${describeNode(item)}`);
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
