// One analysed document: the concrete tree of the whole text plus one analysed unit per module it
// holds (a .wat file is one module; a .wast script holds many). Every feature of the language
// server is a query over this value, computed once per document version.
import {
  DiagnosticSink, LineIndex, Severity, type Diagnostic, type Span, parseTree, type ParsedText, resolveModule,
  type ResolvedModule, parseWast, headKeyword, isList, type SList, type SNode, TokenKind, type Token,
  type ModuleNode,
} from '../../runtime/text/index.js';
import { bareModule, moduleFromList, moduleFromTokens } from '../../runtime/text/parser.js';
import { checkWithStacks, emptyStacks, refineCode, validateScriptModule, type StackFacts } from './validation.js';

export type DocumentKind = 'wat' | 'wast';

/** The assertion a .wast script wraps a module in, when it expects the module to fail. */
export type ModuleExpectation = 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable'
  | 'assert_trap';

export interface ModuleUnit {
  /** The `(module ...)` form, or the whole text for a .wat file written without the wrapper. */
  span: Span;
  module: ModuleNode;
  resolved: ResolvedModule;
  expectation?: ModuleExpectation;
  /** Parse, name and validation diagnostics of this module, as found (before any demotion). */
  diagnostics: Diagnostic[];
  /** Operand-stack types from the validator; empty when the module did not assemble. Computed on first use. */
  readonly stacks: StackFacts;
}

export interface DocumentAnalysis {
  kind: DocumentKind;
  text: string;
  lines: LineIndex;
  parsed: ParsedText;
  units: ModuleUnit[];
  /** What the editor shows: all diagnostics of the document. */
  diagnostics: Diagnostic[];
  /** Every token in text order, parentheses included (built on first use). */
  readonly tokens: Token[];
  /** Lexical or structural errors: the token stream cannot be trusted (formatting refuses). */
  hasSyntaxErrors: boolean;
}

/** Diagnostic codes that come after parsing: a text with only these still has a sound syntax tree. */
const SEMANTIC_CODES = new Set(['duplicate-name', 'undefined-name', 'type-mismatch', 'mismatching-label', 'invalid',
  'malformed', 'import-after-definition', 'duplicate-start']);

export function isSyntaxDiagnostic(d: Diagnostic): boolean {
  return d.severity === Severity.Error && !SEMANTIC_CODES.has(d.code);
}

export function documentKindOf(uriOrName: string, languageId?: string): DocumentKind {
  if (languageId === 'wast' || languageId === 'wat') return languageId;
  return /\.wast$/i.test(uriOrName) ? 'wast' : 'wat';
}

const EXPECTATIONS = new Set<string>(['assert_invalid', 'assert_malformed', 'assert_unlinkable', 'assert_uninstantiable',
  'assert_trap']);

/** Analyses a whole document. Never throws for any input text. */
export function analyzeDocument(text: string, kind: DocumentKind, fileName = '<input>'): DocumentAnalysis {
  try {
    return kind === 'wast' ? analyzeScript(text) : analyzeWat(text, fileName);
  } catch (e) {
    // The front end refuses deep folded nesting itself; this catches any other recursion that
    // absurd input could still drive past the stack, and keeps the tokens-only features working.
    if (!(e instanceof RangeError)) throw e;
    return degraded(text, kind);
  }
}

/** Where a degraded analysis reports the nesting: the first list this deep. */
export const MAX_NESTING = 1000;

/** The `(` that opens the first list nested deeper than MAX_NESTING, if any. */
function tooDeep(tokens: Token[]): Span | undefined {
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === TokenKind.LParen && ++depth > MAX_NESTING) return { start: t.start, end: t.end };
    if (t.kind === TokenKind.RParen) depth--;
  }
  return undefined;
}

/** A module of no fields over `tokens`. */
function emptyModule(tokens: ParsedText['tokens'], span: Span): ModuleNode {
  return bareModule(tokens, 0, 0, new DiagnosticSink(), span);
}

function nestingDiagnostic(sink: DiagnosticSink, at: Span): void {
  sink.error(at, 'nesting-too-deep', `lists are nested more than ${MAX_NESTING} levels deep here: the module is not analysed`);
}

function analyzeWat(text: string, fileName: string): DocumentAnalysis {
  const { check, stacks } = checkWithStacks(text, fileName);
  const a = check.analysis;
  const diagnostics = check.diagnostics.map(refineCode);
  const unit: ModuleUnit = {
    span: a.module.span, module: a.module, resolved: a.resolved, diagnostics,
    get stacks() { return stacks(); },
  };
  return {
    kind: 'wat', text, lines: a.lines, parsed: a.parsed, get tokens() { return a.parsed.tokens.tokens(); }, units: [unit], diagnostics,
    hasSyntaxErrors: diagnostics.some(isSyntaxDiagnostic),
  };
}

/** Tokens only (colours, folding still work) and one diagnostic where the nesting gets too deep. */
function degraded(text: string, kind: DocumentKind): DocumentAnalysis {
  const sink = new DiagnosticSink();
  const parsed = parseTree(text, sink);
  const tokens = parsed.tokens.tokens();
  nestingDiagnostic(sink, tooDeep(tokens) ?? { start: 0, end: Math.min(1, text.length) });
  const module = emptyModule(parsed.tokens, { start: 0, end: text.length });
  const resolved = resolveModule(module, new DiagnosticSink());
  const diagnostics = sink.toDiagnostics(parsed.lines);
  const unit: ModuleUnit = { span: module.span, module, resolved, diagnostics, stacks: emptyStacks() };
  return { kind, text, lines: parsed.lines, parsed, tokens, units: kind === 'wat' ? [unit] : [], diagnostics, hasSyntaxErrors: true };
}

function analyzeUnit(parsed: ParsedText, module: ModuleNode, sink: DiagnosticSink, span: Span,
  expectation?: ModuleExpectation): ModuleUnit {
  const resolved = resolveModule(module, sink);
  const diagnostics = sink.toDiagnostics(parsed.lines);
  let stacks = emptyStacks();
  if (sink.errorCount === 0) {
    const validation = validateScriptModule(resolved, parsed.lines, module);
    diagnostics.push(...validation.diagnostics.map(refineCode));
    stacks = validation.stacks;
  }
  return { span, module, resolved, expectation, diagnostics, stacks };
}

/** The `(module ...)` forms of a script that hold text (not `binary` or `quote`), with their assertion. */
export function scriptModules(tree: SNode[]): { list: SList; expectation?: ModuleExpectation }[] {
  const out: { list: SList; expectation?: ModuleExpectation }[] = [];
  for (const node of tree) {
    if (!isList(node)) continue;
    const head = headKeyword(node);
    if (head === 'module') {
      if (isTextModule(node)) out.push({ list: node });
    } else if (head && EXPECTATIONS.has(head)) {
      const inner = node.items[1];
      if (headKeyword(inner) === 'module' && isTextModule(inner as SList)) {
        out.push({ list: inner as SList, expectation: head as ModuleExpectation });
      }
    }
  }
  return out;
}

function isTextModule(list: SList): boolean {
  let i = 1;
  const second = list.items[i];
  if (second && !isList(second) && second.text.startsWith('$')) i++;
  const form = list.items[i];
  return !(form && !isList(form) && (form.text === 'binary' || form.text === 'quote'));
}

function analyzeScript(text: string): DocumentAnalysis {
  const parsed = parseTree(text, new DiagnosticSink());
  const tokens = parsed.tokens.tokens();
  // The script layer reports lexical, structural and command errors once for the whole text.
  const script = parseWast(text);
  const tree = parsed.tree;
  const units: ModuleUnit[] = [];
  const bareModule = tree.length > 0 && tree.every((n) => isList(n) && !isScriptHead(headKeyword(n)));
  if (bareModule) {
    const unitSink = new DiagnosticSink();
    const module = moduleFromTokens(parsed.tokens, unitSink, { start: 0, end: text.length });
    units.push(analyzeUnit(parsed, module, unitSink, module.span));
  } else {
    for (const { list, expectation } of scriptModules(tree)) {
      const unitSink = new DiagnosticSink();
      const module = moduleFromList(parsed.tokens, list.index, unitSink);
      units.push(analyzeUnit(parsed, module, unitSink, { start: list.start, end: list.end }, expectation));
    }
  }
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (d: Diagnostic): void => {
    const key = `${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}:${d.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    diagnostics.push(d);
  };
  for (const d of script.diagnostics) add(d);
  for (const unit of units) {
    if (!unit.expectation) {
      for (const d of unit.diagnostics) add(d);
      continue;
    }
    // A module the script expects to fail is not a mistake in the script: its errors are shown as
    // information, and a module that unexpectedly passes validation is the thing to warn about.
    const errors = unit.diagnostics.filter((d) => d.severity === Severity.Error);
    for (const d of errors) add({ ...d, severity: Severity.Information, message: `${d.message} (expected by ${unit.expectation})` });
    if (errors.length === 0 && (unit.expectation === 'assert_invalid' || unit.expectation === 'assert_malformed')) {
      add({
        range: parsed.lines.rangeOf({ start: unit.span.start, end: Math.min(unit.span.end, unit.span.start + 7) }),
        severity: Severity.Warning, code: 'unexpectedly-valid',
        message: `${unit.expectation} expects this module to fail, but it parses and validates`,
      });
    }
  }
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return {
    kind: 'wast', text, lines: parsed.lines, parsed, tokens, units, diagnostics,
    hasSyntaxErrors: script.diagnostics.some(isSyntaxDiagnostic)
      || units.some((u) => !u.expectation && u.diagnostics.some(isSyntaxDiagnostic)),
  };
}

const SCRIPT_HEADS = new Set(['module', 'register', 'invoke', 'get', 'assert_return', 'assert_trap', 'assert_exhaustion',
  'assert_invalid', 'assert_malformed', 'assert_unlinkable', 'assert_uninstantiable', 'script', 'input', 'output']);

function isScriptHead(head: string | undefined): boolean {
  return head !== undefined && SCRIPT_HEADS.has(head);
}

/** The module unit whose form contains `offset` (for a .wat file, its only unit). */
export function unitAt(doc: DocumentAnalysis, offset: number): ModuleUnit | undefined {
  for (const u of doc.units) if (offset >= u.span.start && offset <= u.span.end) return u;
  return doc.kind === 'wat' ? doc.units[0] : undefined;
}
