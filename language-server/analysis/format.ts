// Formatting: a stable, idempotent layout that only ever changes whitespace between tokens, so it
// cannot change meaning. The author's line breaks are kept (blank-line runs collapse to one);
// every line is re-indented by nesting (open lists plus open flat block/loop/if); spaces inside a
// line collapse to one, none after `(` or before `)`. Comments and annotations stay verbatim.
import { TokenKind } from '../../runtime/text/index.js';
import type { DocumentAnalysis } from './document.js';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
}

type Item =
  | { kind: 'token'; start: number; end: number; token: TokenKind; text: string }
  | { kind: 'trivia'; start: number; end: number };

/** The formatted text, or undefined when the document has syntax errors (formatting refuses). */
export function formatDocument(doc: Pick<DocumentAnalysis, 'text' | 'parsed' | 'tokens' | 'hasSyntaxErrors'>, options: FormatOptions): string | undefined {
  if (doc.hasSyntaxErrors) return undefined;
  const text = doc.text;
  const items: Item[] = [];
  for (const t of doc.tokens) {
    if (t.kind !== TokenKind.Eof) items.push({ kind: 'token', start: t.start, end: t.end, token: t.kind, text: t.text });
  }
  for (const c of doc.parsed.lex.trivia) items.push({ kind: 'trivia', start: c.start, end: c.end });
  items.sort((a, b) => a.start - b.start);

  const unit = options.insertSpaces ? ' '.repeat(Math.max(1, options.tabSize)) : '\t';
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const out: string[] = [];
  // Per open list: how many flat blocks are open inside it (dropped when the list closes).
  const flat: number[] = [0];
  let depth = 0;
  let prev: Item | undefined;
  let prevWasOpen = false;

  for (const item of items) {
    const breaks = prev ? countBreaks(text, prev.end, item.start) : 0;
    const isClose = item.kind === 'token' && item.token === TokenKind.RParen;
    const isFlatKeyword = item.kind === 'token' && item.token === TokenKind.Keyword && !prevWasOpen;
    const closesFlat = isFlatKeyword && (item.text === 'end' || item.text === 'else') && flat[flat.length - 1]! > 0;
    if (!prev) {
      // Leading blank lines are dropped.
    } else if (breaks > 0) {
      out.push(eol.repeat(Math.min(breaks, 2)));
      const level = depth + sumFlat(flat) - (isClose || closesFlat ? 1 : 0);
      out.push(unit.repeat(Math.max(0, level)));
    } else if (!(prevWasOpen && item.kind === 'token') && !isClose) {
      // A comment right after `(` keeps its space: `(;;` would start a block comment.
      out.push(' ');
    }
    out.push(text.slice(item.start, item.end));

    if (item.kind === 'token') {
      if (item.token === TokenKind.LParen) {
        depth++;
        flat.push(0);
      } else if (item.token === TokenKind.RParen) {
        depth = Math.max(0, depth - 1);
        if (flat.length > 1) flat.pop();
      } else if (isFlatKeyword) {
        if (item.text === 'block' || item.text === 'loop' || item.text === 'if') flat[flat.length - 1]!++;
        else if (item.text === 'end' && flat[flat.length - 1]! > 0) flat[flat.length - 1]!--;
      }
      prevWasOpen = item.token === TokenKind.LParen;
    } else prevWasOpen = false;
    prev = item;
  }
  if (out.length) out.push(eol);
  return out.join('');
}

function sumFlat(flat: number[]): number {
  let n = 0;
  for (const f of flat) n += f;
  return n;
}

/** Line breaks in the whitespace between two items (CRLF counts once). */
function countBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) n++;
  }
  return n;
}
