// Quick fixes offered on diagnostics: the front end's "did you mean `x`?" suggestions (misspelt
// instructions) become one-click replacements of the misspelt word.
import type { Diagnostic, Span } from '../../runtime/text/index.js';
import type { DocumentAnalysis } from './document.js';

export interface QuickFix {
  title: string;
  /** The diagnostic it fixes (as published). */
  diagnostic: Diagnostic;
  edit: { span: Span; newText: string };
}

const SUGGESTION = /\(did you mean `([^`]+)`\?\)/;

/** Fixes for the document's diagnostics that intersect `range` (string offsets). */
export function quickFixes(doc: DocumentAnalysis, range: Span): QuickFix[] {
  const out: QuickFix[] = [];
  for (const d of doc.diagnostics) {
    const start = doc.lines.offsetAt(d.range.start), end = doc.lines.offsetAt(d.range.end);
    if (end < range.start || start > range.end) continue;
    const suggestion = SUGGESTION.exec(d.message)?.[1];
    if (!suggestion) continue;
    out.push({ title: `Replace with \`${suggestion}\``, diagnostic: d, edit: { span: { start, end }, newText: suggestion } });
  }
  return out;
}
