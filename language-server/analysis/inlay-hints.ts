// Inlay hints: the operand stack after each line of flat instructions (when not empty), at the
// end of the line, so stack-machine code reads like annotated assembly; and in folded calls the
// parameter name before each operand, `(call $f $x: (...) $y: (...))`.
import type { DocumentAnalysis } from './document.js';
import { stackText } from './validation.js';
import { headKeyword, isList, TokenKind, type SList } from '../../runtime/text/index.js';
import { paramsOf } from './describe.js';
import { funcAt } from './locate.js';

export interface InlayHintItem {
  /** String index where the hint is shown. */
  offset: number;
  label: string;
  /** 'type': a stack type after the text; 'parameter': a parameter name before it. */
  kind: 'type' | 'parameter';
}

export function inlayHints(doc: DocumentAnalysis, range: { start: number; end: number }): InlayHintItem[] {
  const out: InlayHintItem[] = [];
  parameterNameHints(doc, range, out);
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
        out.push({ offset: span.end, label: stackText(next.stackBefore), kind: 'type' });
      }
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** Before each folded operand of `(call $f ...)`, the name of the parameter it provides. */
function parameterNameHints(doc: DocumentAnalysis, range: { start: number; end: number }, out: InlayHintItem[]): void {
  const stack: SList[] = [];
  for (const n of doc.parsed.tree) if (isList(n) && n.end >= range.start && n.start <= range.end) stack.push(n);
  while (stack.length) {
    const list = stack.pop()!;
    for (const item of list.items) if (isList(item) && item.end >= range.start && item.start <= range.end) stack.push(item);
    if (headKeyword(list) !== 'call') continue;
    const callee = list.items[1];
    if (!callee || isList(callee) || (callee.kind !== TokenKind.Id && callee.kind !== TokenKind.Number)) continue;
    const unit = doc.units.find((u) => list.start >= u.span.start && list.end <= u.span.end);
    if (!unit || !funcAt(unit, list.start)) continue;
    const funcs = unit.resolved.funcs;
    const field = callee.kind === TokenKind.Id ? funcs.find((f) => f.id?.name === callee.text) : funcs[Number(callee.text)];
    if (!field) continue;
    const params = paramsOf(unit, field);
    let i = 0;
    for (const operand of list.items.slice(2)) {
      if (!isList(operand)) break;
      const name = params[i++]?.name;
      if (name && operand.start >= range.start && operand.start <= range.end) out.push({ offset: operand.start, label: `${name}:`, kind: 'parameter' });
    }
  }
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
