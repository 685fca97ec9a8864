// Selection ranges ("expand selection"): the word under the cursor, then each enclosing list,
// innermost first.
import type { Span } from '../../runtime/text/index.js';
import type { DocumentAnalysis } from './document.js';
import { listPath, tokenAt } from './locate.js';

/** Spans from the innermost (the token) to the outermost list containing `offset`. */
export function selectionSpans(doc: DocumentAnalysis, offset: number): Span[] {
  const out: Span[] = [];
  const token = tokenAt(doc.tokens, offset);
  if (token) out.push({ start: token.start, end: token.end });
  const path = listPath(doc.parsed.tree, offset);
  for (let i = path.length - 1; i >= 0; i--) {
    const list = path[i]!;
    const last = out[out.length - 1];
    if (!last || last.start !== list.start || last.end !== list.end) out.push({ start: list.start, end: list.end });
  }
  return out;
}
