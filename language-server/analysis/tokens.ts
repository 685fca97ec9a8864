// The flat token stream of a document, parentheses included, in text order. The front end's
// lexer builds the concrete tree directly (parentheses exist only as lists); position queries,
// colouring and formatting want the stream. Built with an explicit stack: garbage input can nest
// lists deeper than the call stack allows.

export function tokenStream(tree: readonly SNode[]): Token[] {
  const out: Token[] = [];
  // Work items: a node to emit, or the closing paren of a list whose items were emitted.
  const work: (SNode | Token)[] = [];
  for (let i = tree.length - 1; i >= 0; i--) work.push(tree[i]!);
  while (work.length) {
    const node = work.pop()!;
    if (!isList(node)) {
      out.push(node);
      continue;
    }
    out.push({ kind: TokenKind.LParen, start: node.start, end: node.start + 1, text: '(' });
    if (node.closed) work.push({ kind: TokenKind.RParen, start: node.end - 1, end: node.end, text: ')' });
    for (let i = node.items.length - 1; i >= 0; i--) work.push(node.items[i]!);
  }
  return out;
}import { TokenKind, type Token, isList, type SNode } from '../../runtime/text/index.js';

