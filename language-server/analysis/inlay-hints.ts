// Inlay hints: the operand stack after each line of flat instructions (when not empty), at the end of the line, so
// stack-machine code reads like annotated assembly. Folded code states its operands itself and
// gets no hints.
import type { DocumentAnalysis } from './document.js';
import { stackText } from './validation.js';

export interface InlayHintItem {
  /** String index where the hint is shown (end of the line's last instruction). */
  offset: number;
  label: string;
}

export function inlayHints(doc: DocumentAnalysis, range: { start: number; end: number }): InlayHintItem[] {
  const out: InlayHintItem[] = [];
  const lineOf = (offset: number): number => doc.lines.positionAt(offset).line;
  for (const unit of doc.units) {
    if (unit.span.end < range.start || unit.span.start > range.end) continue;
    for (const fn of unit.stacks.funcs) {
      const entries = fn.entries;
      for (let i = 0; i + 1 < entries.length; i++) {
        const span = entries[i]!.span;
        if (!span || span.end < range.start || span.start > range.end || isFolded(doc.text, span.start)) continue;
        const next = entries[i + 1]!;
        // Only the last instruction of its line.
        if (next.span && lineOf(next.span.start) === lineOf(span.end)) continue;
        // An empty stack is the common case between statements: showing it would be noise.
        if (next.stackBefore.length === 0 || !isLastOnLine(doc.text, span.end)) continue;
        out.push({ offset: span.end, label: stackText(next.stackBefore) });
      }
    }
  }
  return out;
}

/** An instruction written as `(op ...)`: its keyword follows `(`. */
function isFolded(text: string, start: number): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) continue;
    return c === 40;
  }
  return false;
}

/** Nothing but `)`, whitespace or a comment follows on the line. */
function isLastOnLine(text: string, end: number): boolean {
  for (let i = end; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
    if (c === 59 && text.charCodeAt(i + 1) === 59) return true;
    if (c !== 32 && c !== 9 && c !== 41) return false;
  }
  return true;
}
