// The concrete syntax tree: atoms (tokens) grouped into parenthesised lists. Every token keeps its
// span, so the language server can answer hover, semantic tokens and folding from this tree
// alone, and the module parser recovers from errors by skipping to the next list. The lexer
// (lexer.ts) builds the tree directly; this file holds its shape and the recovery rules.
import type { DiagnosticSink, Span } from './diagnostics.js';
import { TokenKind, type Token } from './lexer.js';

export interface SList {
  kind: 'list';
  items: SNode[];
  /** Offset of `(`. */
  start: number;
  /** Just past `)`, or past the last item when the list is never closed. */
  end: number;
  /** False when the list is never closed (a diagnostic was reported). */
  closed: boolean;
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

export function openParenSpan(list: SList): Span {
  return { start: list.start, end: list.start + 1 };
}

export function closeParenSpan(list: SList): Span | undefined {
  return list.closed ? { start: list.end - 1, end: list.end } : undefined;
}

/**
 * Every token in text order, parentheses included (synthesised from the lists), for consumers
 * that want a flat stream such as semantic highlighting.
 */
export function flattenTokens(tree: readonly SNode[]): Token[] {
  const out: Token[] = [];
  // Iterative: the tree can be nested arbitrarily deep.
  const stack: { nodes: readonly SNode[]; index: number; list?: SList }[] = [{ nodes: tree, index: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.index >= frame.nodes.length) {
      stack.pop();
      const list = frame.list;
      if (list?.closed) out.push({ kind: TokenKind.RParen, start: list.end - 1, end: list.end, text: ')' });
      continue;
    }
    const node = frame.nodes[frame.index++]!;
    if (isList(node)) {
      out.push({ kind: TokenKind.LParen, start: node.start, end: node.start + 1, text: '(' });
      stack.push({ nodes: node.items, index: 0, list: node });
    } else out.push(node);
  }
  return out;
}

const FIELD_KEYWORDS = new Set(['func', 'global', 'memory', 'table', 'type', 'elem', 'data', 'start', 'export', 'import']);

/** Field keywords that may legitimately appear inside each field (so they never end it). */
const NESTED_FIELDS: Record<string, readonly string[]> = {
  func: ['export', 'import', 'type'], global: ['export', 'import'], memory: ['export', 'import', 'data'],
  table: ['export', 'import', 'elem'], type: ['func'], import: ['func', 'global', 'memory', 'table'],
  export: ['func', 'global', 'memory', 'table'], elem: ['table'], data: ['memory'], start: [],
};

/**
 * Called when the newest list (top of `stack`) gets its head keyword. A module field keyword that
 * starts a line at or left of the indentation of the unclosed field at depth 1 (inside the
 * module) closes that field, reported as a missing `)`, so one forgotten parenthesis does not
 * swallow the rest of the file into one function. Returns true when it re-parented the list.
 */
export function recoverFieldStart(stack: SList[], indents: number[], keyword: string, prevEnd: number,
  prevWasOpenString: boolean, sink: DiagnosticSink): boolean {
  const indent = indents[indents.length - 1]!;
  if (indent < 0 || !FIELD_KEYWORDS.has(keyword)) return false;
  const field = stack[1]!;
  const fieldHead = headKeyword(field);
  if (indents[1]! < indent || fieldHead === undefined || !FIELD_KEYWORDS.has(fieldHead)) return false;
  if (NESTED_FIELDS[fieldHead]!.includes(keyword)) return false;
  // An unterminated string already explains the missing `)`.
  if (!prevWasOpenString) {
    sink.error({ start: prevEnd, end: prevEnd }, 'unclosed-paren',
      `expected \`)\` to close \`(${fieldHead}\` before the next \`(${keyword}\``);
  }
  const list = stack.pop()!;
  const listIndent = indents.pop()!;
  const parentItems = stack[stack.length - 1]!.items;
  parentItems.pop();
  while (stack.length > 1) {
    const open = stack.pop()!;
    indents.pop();
    open.end = Math.max(open.end, prevEnd);
  }
  stack[0]!.items.push(list);
  stack.push(list);
  indents.push(listIndent);
  return true;
}

/** Reports lists still open at the end of the text (only the outermost: the rest is the same mistake). */
export function reportUnclosed(stack: SList[], textEnd: number, sink: DiagnosticSink): void {
  if (stack.length === 0) return;
  // An unterminated comment or string already explains why lists are unclosed.
  const explained = sink.items.some((d) => d.code === 'unterminated-comment' || d.code === 'unterminated-string');
  if (!explained) {
    const outer = stack[0]!;
    sink.error(openParenSpan(outer), 'unclosed-paren',
      `\`(${headKeyword(outer) ?? ''}\` is never closed: expected \`)\` before the end of the file`);
  }
  for (const list of stack) {
    const last = list.items[list.items.length - 1];
    list.end = Math.max(list.end, last ? last.end : list.start + 1, textEnd);
  }
}
