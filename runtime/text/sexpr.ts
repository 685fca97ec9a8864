// The concrete syntax tree as objects: atoms (tokens) grouped into parenthesised lists, for the
// language server's features (hover, folding, completion walk it). Built on demand from the
// TokenTable (token-table.ts), which is what the parser itself reads.
import type { Span } from './diagnostics.js';
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
  /** Row of its `(` in the TokenTable the tree was built from (the parser's handle on the list). */
  index: number;
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
