// Text-format descriptions of symbols (`(func $f (param $a i32) (result i32))`), shared by hover,
// completion details and signature help so all three say the same thing.
import {
  type SymbolInfo, type FuncField, type InstrNode, type ParamDecl, type TypeUse,
} from '../../runtime/text/index.js';
import { valTypeName, type FuncType, type GlobalType, type Limits, type ValType } from '../../runtime/wasm/types.js';
import type { ModuleUnit } from './document.js';
import { instrLists } from './locate.js';

export function typesList(ts: readonly ValType[]): string {
  return ts.map(valTypeName).join(' ');
}

export function signatureText(t: FuncType): string {
  return `[${typesList(t.params)}] -> [${typesList(t.results)}]`;
}

export function globalTypeText(t: GlobalType): string {
  return t.mutable ? `(mut ${valTypeName(t.type)})` : valTypeName(t.type);
}

function limitsText(l: Limits): string {
  return l.max === undefined ? `${l.min}` : `${l.min} ${l.max}`;
}

/** The function type a type use stands for, after resolution. */
export function typeOfUse(unit: ModuleUnit, use: TypeUse): FuncType {
  if (use.typeIndex !== undefined && unit.resolved.types[use.typeIndex]) return unit.resolved.types[use.typeIndex]!;
  return { params: use.params.map((p) => p.type), results: use.results };
}

/** Parameter declarations of a function with their names, whether written inline or in the referenced type. */
export function paramsOf(unit: ModuleUnit, field: FuncField): { name?: string; type: ValType }[] {
  const use = field.typeUse;
  if (use.hasInline || use.typeIndex === undefined) return use.params.map((p) => ({ name: p.id?.name, type: p.type }));
  const typeField = unit.module.fields.filter((f) => f.kind === 'type')[use.typeIndex];
  const sig = typeOfUse(unit, use);
  return sig.params.map((type, i) => ({ name: typeField?.kind === 'type' ? typeField.params[i]?.id?.name : undefined, type }));
}

/** `(func $f (param $a i32) (result i32))`: a function's header as one would write it. */
export function funcHeader(unit: ModuleUnit, field: FuncField, funcIndex: number): string {
  const sig = typeOfUse(unit, field.typeUse);
  const params = paramsOf(unit, field).map((p) => (p.name ? ` (param ${p.name} ${valTypeName(p.type)})` : ` (param ${valTypeName(p.type)})`));
  const results = sig.results.length ? ` (result ${typesList(sig.results)})` : '';
  const name = field.id?.name ?? `${funcIndex}`;
  const imp = field.import ? ` (import "${field.import.module}" "${field.import.name}")` : '';
  return `(func ${name}${imp}${params.join('')}${results})`;
}

/** Types of every local of a function (parameters first), with their declarations where written. */
export function localsOf(unit: ModuleUnit, field: FuncField): { type: ValType; decl?: ParamDecl; isParam: boolean; name?: string }[] {
  const params = paramsOf(unit, field).map((p, i) => ({
    type: p.type, name: p.name, isParam: true, decl: field.typeUse.hasInline ? field.typeUse.params[i] : undefined,
  }));
  return [...params, ...field.locals.map((l) => ({ type: l.type, name: l.id?.name, decl: l, isParam: false }))];
}

function blockInstr(unit: ModuleUnit, symbol: SymbolInfo): InstrNode | undefined {
  for (const field of unit.module.fields) {
    for (const list of instrLists(field)) {
      for (const instr of list) if (instr.start === symbol.fieldSpan.start && instr.op.imm === 'blocktype') return instr;
    }
  }
  return undefined;
}

/** One line describing a symbol in text-format syntax. */
export function describeSymbol(unit: ModuleUnit, symbol: SymbolInfo): string {
  const r = unit.resolved;
  const name = symbol.name ?? `${symbol.index}`;
  switch (symbol.space) {
    case 'func': {
      const field = r.funcs[symbol.index];
      return field ? funcHeader(unit, field, symbol.index) : `(func ${name})`;
    }
    case 'local': {
      const field = symbol.funcIndex !== undefined ? r.funcs[symbol.funcIndex] : undefined;
      const local = field ? localsOf(unit, field)[symbol.index] : undefined;
      if (!local) return `(local ${name})`;
      return `(${local.isParam ? 'param' : 'local'} ${name} ${valTypeName(local.type)})`;
    }
    case 'global': {
      const g = r.globals[symbol.index];
      return g ? `(global ${name} ${globalTypeText(g.type)})` : `(global ${name})`;
    }
    case 'type': {
      const t = r.types[symbol.index];
      if (!t) return `(type ${name})`;
      const params = t.params.length ? ` (param ${typesList(t.params)})` : '';
      const results = t.results.length ? ` (result ${typesList(t.results)})` : '';
      return `(type ${name} (func${params}${results}))`;
    }
    case 'table': {
      const t = r.tables[symbol.index];
      return t ? `(table ${name} ${limitsText(t.type.limits)} ${valTypeName(t.type.elem)})` : `(table ${name})`;
    }
    case 'memory': {
      const m = r.memories[symbol.index];
      return m ? `(memory ${name} ${limitsText(m.limits)})` : `(memory ${name})`;
    }
    case 'label': {
      const instr = blockInstr(unit, symbol);
      if (!instr) return `label ${name}`;
      const sig = instr.blockType ? typeOfUse(unit, instr.blockType) : { params: [], results: [] };
      const params = sig.params.length ? ` (param ${typesList(sig.params)})` : '';
      const results = sig.results.length ? ` (result ${typesList(sig.results)})` : '';
      return `${instr.op.name} ${name}${params}${results}`;
    }
    case 'elem': return `(elem ${name})`;
    case 'data': return `(data ${name})`;
  }
}
