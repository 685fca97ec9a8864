// Folding ranges: every list spanning several lines, flat `block`/`loop`/`if` ... `end`
// sequences, block comments and runs of line comments.
import { TokenKind, closeParenSpan, isList, type SNode } from '../../runtime/text/index.js';
import type { DocumentAnalysis } from './document.js';

export interface FoldingItem {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

export function foldingRanges(doc: DocumentAnalysis): FoldingItem[] {
  const out: FoldingItem[] = [];
  const lines = doc.lines;
  const lineOf = (offset: number): number => lines.positionAt(offset).line;
  const add = (start: number, end: number, kind?: FoldingItem['kind']): void => {
    if (end > start) out.push({ startLine: start, endLine: end, kind });
  };
  // An explicit stack, not recursion: garbage input can nest lists arbitrarily deep.
  const stack: SNode[] = doc.parsed.tree.slice();
  while (stack.length) {
    const n = stack.pop()!;
    if (!isList(n)) continue;
    // Stop before the line of the closing paren when it starts its line, so the paren stays visible.
    const close = closeParenSpan(n);
    const endLine = lineOf(close ? close.start : n.end);
    add(lineOf(n.start), endLine - (close && lineStartsWithClose(doc.text, close.start) ? 1 : 0));
    for (const item of n.items) if (isList(item)) stack.push(item);
  }

  // Flat structured instructions: from the keyword's line to the line before `else`/`end`.
  const tokens = doc.tokens;
  const open: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== TokenKind.Keyword || tokens[i - 1]?.kind === TokenKind.LParen) continue;
    if (t.text === 'block' || t.text === 'loop' || t.text === 'if') open.push(lineOf(t.start));
    else if (t.text === 'else' && open.length) {
      const start = open.pop()!;
      add(start, lineOf(t.start) - 1);
      open.push(lineOf(t.start));
    } else if (t.text === 'end' && open.length) add(open.pop()!, lineOf(t.start) - 1);
  }

  let run: { start: number; end: number } | undefined;
  for (const c of doc.parsed.lex.trivia) {
    if (c.kind === 'line-comment') {
      const line = lineOf(c.start);
      if (run && line === run.end + 1) run.end = line;
      else {
        if (run) add(run.start, run.end, 'comment');
        run = { start: line, end: line };
      }
    } else add(lineOf(c.start), lineOf(c.end), 'comment');
  }
  if (run) add(run.start, run.end, 'comment');
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

function lineStartsWithClose(text: string, closeAt: number): boolean {
  for (let i = closeAt - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
