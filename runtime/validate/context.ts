// The validation context C of the spec, built once per module: the types of every index space
// (imports first), the declared function references C.refs, and the number of data segments.

import {
  ValType, importCounts, type FuncType, type GlobalType, type Instr, type Limits, type Module, type RefType,
  type TableType,
} from '../wasm/types.js';

export interface ValidationContext {
  module: Module;
  types: FuncType[];
  /** Type index of every function (imports first); may hold out-of-range indices, checked separately. */
  funcTypeIndices: number[];
  tables: TableType[];
  memories: Limits[];
  globals: GlobalType[];
  importedGlobals: number;
  importedFuncs: number;
  elemTypes: RefType[];
  dataCount: number;
  /** C.refs: functions that may be named by ref.func inside function bodies. */
  refs: Uint8Array;
}

const REF_FUNC = 0xd2;

function collectRefs(expr: readonly Instr[] | undefined, into: Set<number>): void {
  if (!expr) return;
  for (const instr of expr) if (instr.op === REF_FUNC && instr.index !== undefined) into.add(instr.index);
}

export function buildContext(m: Module): ValidationContext {
  const funcTypeIndices: number[] = [];
  const tables: TableType[] = [];
  const memories: Limits[] = [];
  const globals: GlobalType[] = [];
  for (const imp of m.imports) {
    const d = imp.desc;
    if (d.kind === 'func') funcTypeIndices.push(d.typeIndex);
    else if (d.kind === 'table') tables.push(d.type);
    else if (d.kind === 'memory') memories.push(d.type);
    else globals.push(d.type);
  }
  const counts = importCounts(m);
  for (const f of m.funcs) funcTypeIndices.push(f.typeIndex);
  for (const t of m.tables) tables.push(t);
  for (const mem of m.memories) memories.push(mem);
  for (const g of m.globals) globals.push(g.type);

  // The spec's C.refs: function indices that occur outside function bodies and the start function.
  const refSet = new Set<number>();
  for (const g of m.globals) collectRefs(g.init, refSet);
  for (const e of m.elems) {
    collectRefs(e.offsetExpr, refSet);
    for (const init of e.init) collectRefs(init, refSet);
  }
  for (const ex of m.exports) if (ex.kind === 'func') refSet.add(ex.index);
  const refs = new Uint8Array(funcTypeIndices.length);
  for (const f of refSet) if (f < refs.length) refs[f] = 1;

  return {
    module: m, types: m.types, funcTypeIndices, tables, memories, globals,
    importedGlobals: counts.globals, importedFuncs: counts.funcs,
    elemTypes: m.elems.map((e) => e.type), dataCount: m.datas.length, refs,
  };
}

export function isRefType(t: number): boolean {
  return t === ValType.FuncRef || t === ValType.ExternRef;
}
