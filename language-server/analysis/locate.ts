// Position queries over the syntax trees: which token, which enclosing lists, which function and
// which instruction a string index falls in. Every feature starts with one of these.
import {
  TokenKind, type Token, isList, type SList, type SNode, type FuncField, type InstrNode, type ModuleField,
} from '../../runtime/text/index.js';
import type { ModuleUnit } from './document.js';

/** Index of the first token whose end is >= offset (tokens are sorted and disjoint). */
function firstEndingAtOrAfter(tokens: Token[], offset: number): number {
  let lo = 0, hi = tokens.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The token under the cursor: the one containing `offset`, or the one ending exactly there (the
 * word being typed). Parentheses and the end-of-file token are never returned.
 */
export function tokenAt(tokens: Token[], offset: number): Token | undefined {
  if (tokens.length === 0) return undefined;
  const i = firstEndingAtOrAfter(tokens, offset);
  for (const j of [i, i + 1]) {
    const t = tokens[j];
    if (t && t.start <= offset && offset <= t.end && isWord(t)) return t;
  }
  return undefined;
}

function isWord(t: Token): boolean {
  return t.kind !== TokenKind.LParen && t.kind !== TokenKind.RParen && t.kind !== TokenKind.Eof;
}

/** The last token that ends at or before `offset` and is not `skip`. */
export function tokenBefore(tokens: Token[], offset: number, skip?: Token): Token | undefined {
  if (tokens.length === 0) return undefined;
  let i = Math.min(firstEndingAtOrAfter(tokens, offset), tokens.length - 1);
  while (i >= 0 && (tokens[i]!.end > offset || tokens[i] === skip || tokens[i]!.kind === TokenKind.Eof)) i--;
  return i >= 0 ? tokens[i] : undefined;
}

/** The lists containing `offset`, outermost first (a list contains the positions between its parens). */
export function listPath(tree: SNode[], offset: number): SList[] {
  const path: SList[] = [];
  let items = tree;
  for (;;) {
    const next = findContaining(items, offset);
    if (!next) return path;
    path.push(next);
    items = next.items;
  }
}

function findContaining(items: SNode[], offset: number): SList | undefined {
  let lo = 0, hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const n = items[mid]!;
    if (n.end <= offset && !(isList(n) && !n.closed && n.end === offset)) lo = mid + 1;
    else if (n.start >= offset) hi = mid - 1;
    else return isList(n) ? n : undefined;
  }
  return undefined;
}

/** The function field containing `offset` and its index in the function index space. */
export function funcAt(unit: ModuleUnit, offset: number): { field: FuncField; funcIndex: number } | undefined {
  const funcs = unit.resolved.funcs;
  for (let i = 0; i < funcs.length; i++) {
    const f = funcs[i]!;
    if (offset > f.span.start && offset < f.span.end) return { field: f, funcIndex: i };
  }
  return undefined;
}

/** The module field containing `offset`. */
export function fieldAt(unit: ModuleUnit, offset: number): ModuleField | undefined {
  return unit.module.fields.find((f) => offset > f.span.start && offset < f.span.end);
}

/** Every instruction sequence of a field (function body, constant expressions, element items). */
export function instrLists(field: ModuleField): InstrNode[][] {
  switch (field.kind) {
    case 'func': return [field.body.nodes()];
    case 'global': return [field.init.nodes()];
    case 'table': return field.inlineElem ? field.inlineElem.items.map((item) => item.nodes()) : [];
    case 'elem': return [...(field.offset ? [field.offset] : []), ...field.items].map((seq) => seq.nodes());
    case 'data': return field.offset ? [field.offset.nodes()] : [];
    default: return [];
  }
}

/** The explicit instruction whose keyword-and-immediates span contains `offset`. */
export function instrAt(unit: ModuleUnit, offset: number): InstrNode | undefined {
  const field = fieldAt(unit, offset);
  if (!field) return undefined;
  for (const list of instrLists(field)) {
    for (const instr of list) {
      if (!instr.implicit && offset >= instr.start && offset <= instr.end) return instr;
    }
  }
  return undefined;
}

/** Labels of the blocks enclosing `offset` in a function body, innermost last. */
export function labelsInScope(field: FuncField, offset: number): InstrNode[] {
  const open: InstrNode[] = [];
  for (const instr of field.body.nodes()) {
    if (instr.start >= offset) break;
    if (instr.op.imm === 'blocktype') open.push(instr);
    else if (instr.op.name === 'end' && instr.end <= offset) open.pop();
  }
  return open;
}
