// Go to definition, find references and rename, all answered from the resolver's symbol table
// (every index space, locals and labels included).
import { type Span, type SymbolInfo } from '../../runtime/text/index.js';
import { headKeyword, isList, TokenKind } from '../../runtime/text/index.js';
import { decodeString } from '../../runtime/text/literals.js';
import { unitAt, type DocumentAnalysis, type ModuleUnit } from './document.js';
import { listPath, tokenAt } from './locate.js';

export interface SymbolHit {
  unit: ModuleUnit;
  symbol: SymbolInfo;
  /** The span under the cursor (the definition's `$name` or a reference). */
  span: Span;
  isDefinition: boolean;
}

export function symbolAtOffset(doc: DocumentAnalysis, offset: number): SymbolHit | undefined {
  const unit = unitAt(doc, offset);
  const hit = unit?.resolved.symbols.symbolAt(offset);
  return unit && hit ? { unit, ...hit } : undefined;
}

export function definitionAt(doc: DocumentAnalysis, offset: number): Span | undefined {
  return symbolAtOffset(doc, offset)?.symbol.defSpan ?? scriptExportAt(doc, offset);
}

/**
 * In a .wast script, `(invoke $m? "name" ...)` and `(get $m? "name")` name an export of the
 * module `$m`, or of the last module defined before them: its export is the definition.
 */
function scriptExportAt(doc: DocumentAnalysis, offset: number): Span | undefined {
  if (doc.kind !== 'wast') return undefined;
  const token = tokenAt(doc.tokens, offset);
  if (!token || token.kind !== TokenKind.String) return undefined;
  const path = listPath(doc.parsed.tree, offset);
  const action = path[path.length - 1];
  const head = headKeyword(action);
  if (!action || (head !== 'invoke' && head !== 'get')) return undefined;
  const second = action.items[1];
  const moduleName = second && !isList(second) && second.kind === TokenKind.Id ? second.text : undefined;
  const nameToken = action.items[moduleName ? 2 : 1];
  if (nameToken !== token) return undefined;
  const candidates = doc.units.filter((u) => !u.expectation && u.span.end <= action.start
    && (moduleName === undefined || u.module.id?.name === moduleName));
  const unit = candidates[candidates.length - 1];
  if (!unit) return undefined;
  const name = new TextDecoder().decode(decodeString(token.text).bytes);
  for (const field of unit.module.fields) {
    if (field.kind === 'export' && field.name === name) return field.span;
    if ('exports' in field) for (const e of field.exports) if (e.name === name) return e.span;
  }
  return undefined;
}

export function referencesAt(doc: DocumentAnalysis, offset: number, includeDeclaration: boolean): Span[] {
  const hit = symbolAtOffset(doc, offset);
  if (!hit) return [];
  const spans = hit.symbol.references.slice();
  if (includeDeclaration && hit.symbol.name !== undefined) spans.unshift(hit.symbol.defSpan);
  return sortSpans(dedupe(spans));
}

/** Spans that highlight the symbol under the cursor (definition and uses). */
export function highlightsAt(doc: DocumentAnalysis, offset: number): Span[] {
  return referencesAt(doc, offset, true);
}

/** The text format's identifier characters (spec: idchar). */
const ID_PATTERN = /^\$[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/;

export class RenameError extends Error {}

/** The span to rename, or a RenameError saying why this position cannot be renamed. */
export function prepareRename(doc: DocumentAnalysis, offset: number): { span: Span; placeholder: string } {
  const hit = symbolAtOffset(doc, offset);
  if (!hit) throw new RenameError('Only $names of functions, locals, labels, globals, types, tables, memories and segments can be renamed.');
  if (hit.symbol.name === undefined) throw new RenameError('This entry has no $name: give it one at its definition first.');
  const text = doc.text.slice(hit.span.start, hit.span.end);
  if (text !== hit.symbol.name) throw new RenameError('A numeric index cannot be renamed.');
  return { span: hit.span, placeholder: text };
}

/** All edits renaming the symbol at `offset` to `newName` (which must be a valid, unused `$name`). */
export function renameAt(doc: DocumentAnalysis, offset: number, newName: string): { span: Span; newText: string }[] {
  prepareRename(doc, offset);
  const hit = symbolAtOffset(doc, offset)!;
  const { symbol, unit } = hit;
  if (!ID_PATTERN.test(newName)) {
    throw new RenameError(`\`${newName}\` is not a valid identifier: it must start with \`$\` followed by letters, digits or ${"!#$%&'*+-./:<=>?@\\^_`|~"}`);
  }
  if (newName === symbol.name) return [];
  const clash = unit.resolved.symbols.symbols.find((s) => s !== symbol && s.space === symbol.space && s.name === newName
    && (symbol.funcIndex === undefined || s.funcIndex === symbol.funcIndex));
  if (clash) throw new RenameError(`\`${newName}\` is already defined in this ${symbol.space === 'label' || symbol.space === 'local' ? 'function' : 'module'} (${symbol.space} ${clash.index}).`);
  const spans = [symbol.defSpan];
  for (const r of symbol.references) if (doc.text.slice(r.start, r.end) === symbol.name) spans.push(r);
  if (symbol.space === 'label') spans.push(...trailingLabels(unit, symbol));
  return sortSpans(dedupe(spans)).map((span) => ({ span, newText: newName }));
}

/** `end $l` / `else $l` repeat a block's label; they must follow a rename of the label. */
function trailingLabels(unit: ModuleUnit, symbol: SymbolInfo): Span[] {
  const field = symbol.funcIndex !== undefined ? unit.resolved.funcs[symbol.funcIndex] : undefined;
  if (!field) return [];
  const out: Span[] = [];
  let depth = -1;
  for (const instr of field.body.nodes()) {
    if (depth < 0) {
      if (instr.start === symbol.fieldSpan.start && instr.op.imm === 'blocktype') depth = 0;
      continue;
    }
    if (instr.op.imm === 'blocktype') depth++;
    else if (instr.op.name === 'else' && depth === 0 && instr.label) out.push(instr.label.span);
    else if (instr.op.name === 'end') {
      if (depth === 0) {
        if (instr.label) out.push(instr.label.span);
        break;
      }
      depth--;
    }
  }
  return out;
}

function dedupe(spans: Span[]): Span[] {
  const seen = new Set<string>();
  return spans.filter((s) => {
    const key = `${s.start}:${s.end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortSpans(spans: Span[]): Span[] {
  return spans.sort((a, b) => a.start - b.start);
}
