// The concrete syntax tree: tokens grouped into parenthesised lists. Every token keeps its span,
// so the language server can answer hover, semantic tokens and folding from this tree alone, and
// the module parser recovers from errors by skipping to the next list.
import type { DiagnosticSink, Span } from './diagnostics.js';
import { TokenKind, type Token } from './lexer.js';

export interface SList {
  kind: 'list';
  open: Token;
  /** Undefined when the list is never closed (a diagnostic was reported). */
  close: Token | undefined;
  items: SNode[];
  start: number;
  end: number;
}

export type SNode = Token | SList;

export function isList(node: SNode | undefined): node is SList {
  return node !== undefined && (node as SList).kind === 'list';
}

/** The keyword at the head of a list (`func` for `(func ...)`), if any. */
export function headKeyword(node: SNode | undefined): string | undefined {
  if (!isList(node)) return undefined;
  const head = node.items[0];
  return head && !isList(head) && head.kind === TokenKind.Keyword ? head.text : undefined;
}

export function spanOf(node: SNode): Span {
  return { start: node.start, end: node.end };
}

const FIELD_KEYWORDS = new Set(['func', 'global', 'memory', 'table', 'type', 'elem', 'data', 'start', 'export', 'import']);

/** Field keywords that may legitimately appear inside each field (so they never end it). */
const NESTED_FIELDS: Record<string, readonly string[]> = {
  func: ['export', 'import', 'type'], global: ['export', 'import'], memory: ['export', 'import', 'data'],
  table: ['export', 'import', 'elem'], type: ['func'], import: ['func', 'global', 'memory', 'table'],
  export: ['func', 'global', 'memory', 'table'], elem: ['table'], data: ['memory'], start: [],
};

/** Column of `offset` when only whitespace precedes it on its line, else -1. */
function lineIndent(text: string, offset: number): number {
  let i = offset - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9) return -1;
    i--;
  }
  return offset - i - 1;
}

/**
 * Groups tokens into lists. Unbalanced parentheses are reported, never fatal. A module field
 * keyword that starts a line at or left of the indentation of an unclosed field closes that
 * field (reported as a missing `)`), so one forgotten parenthesis does not swallow the rest of
 * the file into one function.
 */
export function buildTree(tokens: Token[], sink: DiagnosticSink, text?: string): SNode[] {
  const root: SNode[] = [];
  const stack: SList[] = [];
  const indents: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (token.kind === TokenKind.Eof) break;
    if (token.kind === TokenKind.LParen) {
      let indent = -1;
      if (text !== undefined) {
        indent = lineIndent(text, token.start);
        const next = tokens[t + 1];
        if (indent >= 0 && stack.length >= 2 && next?.kind === TokenKind.Keyword && FIELD_KEYWORDS.has(next.text)) {
          // Find the outermost unclosed field (depth 1, inside the module) whose line is indented at least as much.
          const field = stack[1]!;
          const fieldHead = headKeyword(field);
          if (indents[1]! >= indent && fieldHead !== undefined && FIELD_KEYWORDS.has(fieldHead)
            && !NESTED_FIELDS[fieldHead]!.includes(next.text)) {
            const prev = tokens[t - 1]!;
            // An unterminated string already explains the missing `)`.
            if (!isUnterminatedString(prev)) {
              sink.error({ start: prev.end, end: prev.end }, 'unclosed-paren',
                `expected \`)\` to close \`(${headKeyword(field)}\` before the next \`(${next.text}\``);
            }
            while (stack.length > 1) {
              const open = stack.pop()!;
              indents.pop();
              open.end = Math.max(open.end, prev.end);
            }
          }
        }
      }
      const list: SList = { kind: 'list', open: token, close: undefined, items: [], start: token.start, end: token.end };
      (stack.length ? stack[stack.length - 1]!.items : root).push(list);
      stack.push(list);
      indents.push(indent);
    } else if (token.kind === TokenKind.RParen) {
      const list = stack.pop();
      indents.pop();
      if (!list) {
        sink.error(token, 'unexpected-token', 'unexpected `)` with no matching `(`');
        continue;
      }
      list.close = token;
      list.end = token.end;
    } else {
      (stack.length ? stack[stack.length - 1]!.items : root).push(token);
    }
  }
  const eof = tokens[tokens.length - 1]!;
  // Report only the outermost unclosed list: inner ones are the same mistake.
  // An unterminated comment or string at the end already explains why lists are unclosed.
  const explained = sink.items.some((d) => d.code === 'unterminated-comment' || d.code === 'unterminated-string');
  if (stack.length && !explained) {
    const outer = stack[0]!;
    const head = headKeyword(outer);
    sink.error({ start: outer.open.start, end: outer.open.end }, 'unclosed-paren',
      `\`(${head ?? ''}\` is never closed: expected \`)\` before the end of the file`);
  }
  for (const list of stack) list.end = Math.max(list.end, lastEnd(list), eof.start);
  return root;
}

function isUnterminatedString(token: Token): boolean {
  return token.kind === TokenKind.String && (token.text.length < 2 || !token.text.endsWith('"'));
}

function lastEnd(list: SList): number {
  const last = list.items[list.items.length - 1];
  return last ? last.end : list.open.end;
}
