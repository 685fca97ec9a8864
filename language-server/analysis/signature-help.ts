// Signature help for calls: inside `(call $f ...)` the callee's parameters, with the one the next
// folded operand provides highlighted; after a flat `call $f`, the whole signature.
import { TokenKind, headKeyword, isList, type SList } from '../../runtime/text/index.js';
import { valTypeName } from '../../runtime/wasm/types.js';
import { unitAt, type DocumentAnalysis } from './document.js';
import { listPath, tokenBefore } from './locate.js';
import { paramsOf, typeOfUse, typesList } from './describe.js';

export interface SignatureResult {
  label: string;
  /** [start, end) of each parameter inside `label`. */
  parameters: { label: [number, number]; type: string }[];
  activeParameter: number;
  documentation?: string;
}

export function signatureHelpAt(doc: DocumentAnalysis, offset: number): SignatureResult | undefined {
  const unit = unitAt(doc, offset);
  if (!unit) return undefined;
  const path = listPath(doc.parsed.tree, offset);
  // The innermost `(call ...)` around the cursor, possibly from inside one of its operands.
  let inner: SList | undefined;
  for (let i = path.length - 1; i >= 0 && !inner; i--) if (headKeyword(path[i]) === 'call') inner = path[i];
  let callee: { name?: string; index?: number } | undefined;
  let active = 0;
  if (inner && headKeyword(inner) === 'call') {
    const ref = inner.items[1];
    if (!ref || isList(ref) || (ref.kind !== TokenKind.Id && ref.kind !== TokenKind.Number)) return undefined;
    callee = ref.kind === TokenKind.Id ? { name: ref.text } : { index: Number(ref.text) };
    // Operands are the lists after the callee: count those that end before the cursor.
    for (const item of inner.items.slice(2)) if (isList(item) && item.end <= offset) active++;
  } else {
    const prev = tokenBefore(doc.tokens, offset);
    const before = prev ? tokenBefore(doc.tokens, prev.start) : undefined;
    if (!prev || before?.kind !== TokenKind.Keyword || before.text !== 'call') return undefined;
    if (prev.kind !== TokenKind.Id && prev.kind !== TokenKind.Number) return undefined;
    callee = prev.kind === TokenKind.Id ? { name: prev.text } : { index: Number(prev.text) };
  }
  const funcs = unit.resolved.funcs;
  const index = callee.name !== undefined ? funcs.findIndex((f) => f.id?.name === callee.name) : callee.index!;
  const field = funcs[index];
  if (!field) return undefined;
  const sig = typeOfUse(unit, field.typeUse);
  let label = `call ${field.id?.name ?? index} (`;
  const parameters: SignatureResult['parameters'] = [];
  paramsOf(unit, field).forEach((p, i) => {
    if (i > 0) label += ', ';
    const text = p.name ? `${p.name} ${valTypeName(p.type)}` : valTypeName(p.type);
    parameters.push({ label: [label.length, label.length + text.length], type: valTypeName(p.type) });
    label += text;
  });
  label += `) -> [${typesList(sig.results)}]`;
  return { label, parameters, activeParameter: Math.min(active, Math.max(0, parameters.length - 1)) };
}
