// Document symbols (the outline): modules, functions with their parameters and locals, globals,
// memories, tables, types, exports, imports and segments.
import { type Span, type ModuleField } from '../../runtime/text/index.js';
import { valTypeName } from '../../runtime/wasm/types.js';
import type { DocumentAnalysis, ModuleUnit } from './document.js';
import { funcHeader, globalTypeText, localsOf } from './describe.js';

export type OutlineKind = 'module' | 'function' | 'variable' | 'constant' | 'type' | 'memory' | 'table' | 'export'
  | 'segment' | 'start';

export interface OutlineItem {
  name: string;
  detail?: string;
  kind: OutlineKind;
  /** The whole form, and the part to select (its `$name`, or its head). */
  span: Span;
  selectionSpan: Span;
  children?: OutlineItem[];
}

export function documentOutline(doc: DocumentAnalysis): OutlineItem[] {
  if (doc.kind === 'wat') return doc.units[0] ? unitItems(doc.units[0]) : [];
  return doc.units.map((unit, i) => {
    const name = unit.module.id?.name ?? `module ${i}`;
    return {
      name, kind: 'module', detail: unit.expectation, span: unit.span,
      selectionSpan: unit.module.id?.span ?? { start: unit.span.start, end: Math.min(unit.span.end, unit.span.start + 7) },
      children: unitItems(unit),
    };
  });
}

function headSpan(field: ModuleField): Span {
  return field.id?.span ?? { start: field.span.start, end: Math.min(field.span.end, field.span.start + 1 + field.kind.length) };
}

function unitItems(unit: ModuleUnit): OutlineItem[] {
  const out: OutlineItem[] = [];
  const counters: Record<string, number> = {};
  const r = unit.resolved;
  for (const field of unit.module.fields) {
    const index = counters[field.kind] = (counters[field.kind] ?? -1) + 1;
    const name = field.id?.name ?? `${field.kind} ${index}`;
    const base = { span: field.span, selectionSpan: headSpan(field) };
    const exported = 'exports' in field && field.exports.length ? ` (export ${field.exports.map((e) => JSON.stringify(e.name)).join(' ')})` : '';
    switch (field.kind) {
      case 'func': {
        const children: OutlineItem[] = [];
        localsOf(unit, field).forEach((l) => {
          if (!l.decl) return;
          children.push({
            name: l.name ?? `${l.isParam ? 'param' : 'local'} ${children.length}`, kind: 'variable', detail: valTypeName(l.type),
            span: l.decl.span, selectionSpan: l.decl.id?.span ?? l.decl.span,
          });
        });
        out.push({ ...base, name, kind: 'function', detail: funcHeader(unit, field, index) + exported, children });
        break;
      }
      case 'global':
        out.push({ ...base, name, kind: field.type.mutable ? 'variable' : 'constant', detail: globalTypeText(field.type) + exported });
        break;
      case 'memory': {
        const l = field.limits;
        out.push({ ...base, name, kind: 'memory', detail: `${l.min}${l.max !== undefined ? ` ${l.max}` : ''} pages${exported}` });
        break;
      }
      case 'table': {
        const l = field.type.limits;
        out.push({ ...base, name, kind: 'table', detail: `${l.min}${l.max !== undefined ? ` ${l.max}` : ''} ${valTypeName(field.type.elem)}${exported}` });
        break;
      }
      case 'type': {
        const t = r.types[index];
        out.push({ ...base, name, kind: 'type', detail: t ? `[${t.params.map(valTypeName).join(' ')}] -> [${t.results.map(valTypeName).join(' ')}]` : undefined });
        break;
      }
      case 'export':
        out.push({ ...base, name: JSON.stringify(field.name), kind: 'export', detail: `${field.space} ${field.ref.name ?? field.ref.index ?? ''}`, selectionSpan: base.selectionSpan });
        break;
      case 'start':
        out.push({ ...base, name: 'start', kind: 'start', detail: field.ref.name ?? `${field.ref.index ?? ''}` });
        break;
      case 'elem':
      case 'data':
        out.push({ ...base, name, kind: 'segment', detail: field.mode });
        break;
    }
  }
  return out;
}
