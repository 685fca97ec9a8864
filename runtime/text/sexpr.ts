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

/** Groups tokens into lists. Unbalanced parentheses are reported, never fatal. */
export function buildTree(tokens: Token[], sink: DiagnosticSink): SNode[] {
  const root: SNode[] = [];
  const stack: SList[] = [];
  for (const token of tokens) {
    if (token.kind === TokenKind.Eof) break;
    if (token.kind === TokenKind.LParen) {
      const list: SList = { kind: 'list', open: token, close: undefined, items: [], start: token.start, end: token.end };
      (stack.length ? stack[stack.length - 1]!.items : root).push(list);
      stack.push(list);
    } else if (token.kind === TokenKind.RParen) {
      const list = stack.pop();
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
  if (stack.length) {
    const outer = stack[0]!;
    const head = headKeyword(outer);
    sink.error({ start: outer.open.start, end: outer.open.end }, 'unclosed-paren',
      `\`(${head ?? ''}\` is never closed: expected \`)\` before the end of the file`);
  }
  for (const list of stack) list.end = Math.max(list.end, lastEnd(list), eof.start);
  return root;
}

function lastEnd(list: SList): number {
  const last = list.items[list.items.length - 1];
  return last ? last.end : list.open.end;
}
