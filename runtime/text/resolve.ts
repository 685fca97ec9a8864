// Name resolution: builds every index space in field order, turns each `$name` reference into an
// index, reports undefined names (at the use) and duplicates (at every definition), and assigns
// each type use its final type index, appending implicit types the way wat2wasm does (after all
// explicit types, in order of first use) so the assembled bytes match wabt's.
import type { DiagnosticSink, Span } from './diagnostics.js';
import type {
  Binding, DataField, ElemField, FuncField, GlobalField, IndexSpace, InstrNode, MemoryField, ModuleNode, ParamDecl, Ref,
  TableField, TypeField, TypeUse,
} from './ast.js';
import { SymbolTable, type SymbolInfo } from './symbols.js';
import type { FuncType, ValType } from '../wasm/types.js';

/** An element segment in the elem index space: an `(elem ...)` field or a table's inline `(elem ...)`. */
export type ElemEntry = { kind: 'field'; field: ElemField } | { kind: 'table'; field: TableField; tableIndex: number };
export type DataEntry = { kind: 'field'; field: DataField } | { kind: 'memory'; field: MemoryField; memoryIndex: number };

export interface ResolvedModule {
  module: ModuleNode;
  /** Final type section: explicit types, then implicit ones. */
  types: FuncType[];
  funcs: FuncField[];
  tables: TableField[];
  memories: MemoryField[];
  globals: GlobalField[];
  elems: ElemEntry[];
  datas: DataEntry[];
  symbols: SymbolTable;
}

const OP_ELSE = 0x05;
const OP_END = 0x0b;

function sigKey(params: readonly ValType[], results: readonly ValType[]): string {
  return params.join(',') + '>' + results.join(',');
}

const SPACE_NAMES: Record<IndexSpace, string> = {
  type: 'type', func: 'function', table: 'table', memory: 'memory', global: 'global', elem: 'element segment',
  data: 'data segment', local: 'local', label: 'label',
};

class Scope {
  readonly byName = new Map<string, SymbolInfo>();
  readonly byIndex: SymbolInfo[] = [];

  constructor(readonly space: IndexSpace) {}
}

export function resolveModule(module: ModuleNode, sink: DiagnosticSink): ResolvedModule {
  const symbols = new SymbolTable();
  const out: ResolvedModule = { module, types: [], funcs: [], tables: [], memories: [], globals: [], elems: [], datas: [], symbols };
  const scopes = new Map<IndexSpace, Scope>();
  for (const s of ['type', 'func', 'table', 'memory', 'global', 'elem', 'data'] as IndexSpace[]) scopes.set(s, new Scope(s));
  const typeScope = scopes.get('type')!, funcScope = scopes.get('func')!, tableScope = scopes.get('table')!;
  const memoryScope = scopes.get('memory')!, globalScope = scopes.get('global')!, elemScope = scopes.get('elem')!;
  const dataScope = scopes.get('data')!;
  const reportedDuplicate = new Set<SymbolInfo>();

  const define = (scope: Scope, id: Binding | undefined, fieldSpan: Span, index: number, funcIndex?: number): SymbolInfo => {
    const symbol = symbols.define({
      space: scope.space, index, name: id?.name, defSpan: id?.span ?? fieldSpan, fieldSpan, funcIndex, references: [],
    });
    scope.byIndex[index] = symbol;
    if (id) {
      const previous = scope.byName.get(id.name);
      if (previous) {
        const what = SPACE_NAMES[scope.space];
        if (!reportedDuplicate.has(previous)) {
          reportedDuplicate.add(previous);
          sink.error(previous.defSpan, 'duplicate-name', `duplicate ${what} \`${id.name}\` (also defined later)`);
        }
        sink.error(id.span, 'duplicate-name', `duplicate ${what} \`${id.name}\``);
      } else scope.byName.set(id.name, symbol);
    }
    return symbol;
  };

  /** Resolves a reference in `scope`; returns false when undefined (already reported). */
  const use = (scope: Scope, ref: Ref): boolean => {
    if (ref.name !== undefined) {
      const symbol = scope.byName.get(ref.name);
      if (!symbol) {
        sink.error(ref, 'undefined-name', `undefined ${SPACE_NAMES[scope.space]} \`${ref.name}\``);
        return false;
      }
      ref.index = symbol.index;
      symbols.addReference(ref, symbol);
      return true;
    }
    const symbol = scope.byIndex[ref.index!];
    if (symbol) symbols.addReference(ref, symbol);
    return true;
  };

  // Pass 1: definitions, in field order (which is index order: imports come first by rule).
  const typeFields: TypeField[] = [];
  for (const field of module.fields) {
    switch (field.kind) {
      case 'type':
        define(typeScope, field.id, field.span, typeFields.length);
        typeFields.push(field);
        out.types.push({ params: field.params.map((p) => p.type), results: field.results.slice() });
        break;
      case 'func':
        define(funcScope, field.id, field.span, out.funcs.length);
        out.funcs.push(field);
        break;
      case 'table':
        define(tableScope, field.id, field.span, out.tables.length);
        if (field.inlineElem) {
          define(elemScope, undefined, field.inlineElem.span, out.elems.length);
          out.elems.push({ kind: 'table', field, tableIndex: out.tables.length });
        }
        out.tables.push(field);
        break;
      case 'memory':
        define(memoryScope, field.id, field.span, out.memories.length);
        if (field.inlineData) {
          define(dataScope, undefined, field.inlineData.span, out.datas.length);
          out.datas.push({ kind: 'memory', field, memoryIndex: out.memories.length });
        }
        out.memories.push(field);
        break;
      case 'global':
        define(globalScope, field.id, field.span, out.globals.length);
        out.globals.push(field);
        break;
      case 'elem':
        define(elemScope, field.id, field.span, out.elems.length);
        out.elems.push({ kind: 'field', field });
        break;
      case 'data':
        define(dataScope, field.id, field.span, out.datas.length);
        out.datas.push({ kind: 'field', field });
        break;
      default:
        break;
    }
  }
  // Duplicate param names inside a type definition.
  for (const t of typeFields) checkDuplicateParams(t.params, sink);

  const typeKeys = new Map<string, number>();
  for (let i = 0; i < out.types.length; i++) {
    const key = sigKey(out.types[i]!.params, out.types[i]!.results);
    if (!typeKeys.has(key)) typeKeys.set(key, i);
  }
  const findOrAddType = (params: ValType[], results: ValType[]): number => {
    const key = sigKey(params, results);
    const found = typeKeys.get(key);
    if (found !== undefined) return found;
    const index = out.types.length;
    out.types.push({ params, results });
    typeKeys.set(key, index);
    return index;
  };

  /** Gives a type use its index; returns the parameter types it stands for. */
  const resolveTypeUse = (tu: TypeUse, isBlock: boolean): FuncType | undefined => {
    const params = tu.params.map((p) => p.type);
    if (tu.ref) {
      if (!use(typeScope, tu.ref)) return undefined;
      tu.typeIndex = tu.ref.index;
      const declared = out.types[tu.ref.index!];
      // With inline params/results the text needs the type itself; a bare (type n) is checked by validation.
      if (!declared && tu.hasInline) sink.error(tu.ref, 'undefined-name', `unknown type ${tu.ref.index}`);
      if (declared && tu.hasInline && sigKey(declared.params, declared.results) !== sigKey(params, tu.results)) {
        sink.error(tu.span, 'type-mismatch', `inline function type does not match type ${tu.ref.name ?? tu.ref.index}`);
      }
      return declared ?? { params, results: tu.results };
    }
    if (isBlock && params.length === 0 && tu.results.length <= 1) return { params, results: tu.results };
    tu.typeIndex = findOrAddType(params, tu.results);
    return { params, results: tu.results };
  };

  // Pass 2: uses, in field order (this order also fixes the order of implicit types).
  let funcIndex = -1;
  for (const field of module.fields) {
    switch (field.kind) {
      case 'func': {
        funcIndex++;
        const sig = resolveTypeUse(field.typeUse, false);
        if (!field.import) resolveFuncBody(field, funcIndex, sig);
        else checkDuplicateParams(field.typeUse.params, sink);
        break;
      }
      case 'table':
        if (field.inlineElem) for (const item of field.inlineElem.items) resolveExpr(item);
        break;
      case 'global':
        resolveExpr(field.init);
        break;
      case 'export':
        use(scopes.get(field.space)!, field.ref);
        break;
      case 'start':
        use(funcScope, field.ref);
        break;
      case 'elem':
        if (field.table) use(tableScope, field.table);
        if (field.offset) resolveExpr(field.offset);
        for (const item of field.items) resolveExpr(item);
        break;
      case 'data':
        if (field.memory) use(memoryScope, field.memory);
        if (field.offset) resolveExpr(field.offset);
        break;
      default:
        break;
    }
  }
  return out;

  function resolveExpr(instrs: InstrNode[]): void {
    resolveInstrs(instrs, undefined, []);
  }

  function resolveFuncBody(field: FuncField, index: number, sig: FuncType | undefined): void {
    const locals = new Scope('local');
    const decls: ParamDecl[] = field.typeUse.ref && !field.typeUse.hasInline ? [] : field.typeUse.params;
    let localIndex = 0;
    if (decls.length === 0 && sig) localIndex = sig.params.length; // params come from the referenced type
    for (const p of decls) define(locals, p.id, p.span, localIndex++, index);
    for (const l of field.locals) define(locals, l.id, l.span, localIndex++, index);
    const labels: LabelFrame[] = [];
    resolveInstrs(field.body, { locals, funcIndex: index }, labels);
  }

  function resolveInstrs(instrs: InstrNode[], fn: { locals: Scope; funcIndex: number } | undefined, labels: LabelFrame[]): void {
    for (const instr of instrs) {
      const op = instr.op;
      switch (op.imm) {
        case 'blocktype': {
          if (instr.blockType) resolveTypeUse(instr.blockType, true);
          const symbol = fn
            ? symbols.define({
              space: 'label', index: labels.length, name: instr.label?.name, defSpan: instr.label?.span ?? instr,
              fieldSpan: instr, funcIndex: fn.funcIndex, references: [],
            })
            : undefined;
          labels.push({ name: instr.label?.name, symbol });
          continue;
        }
        case 'label':
          resolveLabel(instr.ref!, labels);
          break;
        case 'br_table':
          for (const l of instr.labels!) resolveLabel(l, labels);
          break;
        case 'func':
          use(funcScope, instr.ref!);
          break;
        case 'call_indirect':
          if (instr.ref2) use(tableScope, instr.ref2);
          resolveTypeUse(instr.typeUse!, false);
          break;
        case 'local':
          // Outside a function only a numeric index can be written; the validator rejects it.
          if (!fn) {
            if (instr.ref!.name !== undefined) sink.error(instr.ref!, 'undefined-name', `undefined local \`${instr.ref!.name}\``);
          } else use(fn.locals, instr.ref!);
          break;
        case 'global':
          use(globalScope, instr.ref!);
          break;
        case 'table':
          if (instr.ref) use(tableScope, instr.ref);
          break;
        case 'memory':
          if (instr.ref) use(memoryScope, instr.ref);
          break;
        case 'data':
        case 'memory_init':
          use(dataScope, instr.ref!);
          break;
        case 'elem':
          use(elemScope, instr.ref!);
          break;
        case 'table_init':
          use(elemScope, instr.ref!);
          if (instr.ref2) use(tableScope, instr.ref2);
          break;
        case 'table_copy':
          if (instr.ref) use(tableScope, instr.ref);
          if (instr.ref2) use(tableScope, instr.ref2);
          break;
        default:
          break;
      }
      if (op.code === OP_END || op.code === OP_ELSE) {
        const frame = labels[labels.length - 1];
        if (instr.label && (!frame || frame.name !== instr.label.name)) {
          sink.error(instr.label.span, 'mismatching-label',
            frame?.name ? `mismatching label: \`${op.name} ${instr.label.name}\` closes \`${frame.name}\`` : `mismatching label \`${instr.label.name}\``);
        } else if (instr.label && frame?.symbol) {
          // `end $l` repeats the label: a reference, so renaming the label renames it too.
          symbols.addReference(instr.label.span, frame.symbol);
        }
        if (op.code === OP_END && frame) labels.pop();
      }
    }
  }

  function resolveLabel(ref: Ref, labels: LabelFrame[]): void {
    if (ref.name !== undefined) {
      for (let i = labels.length - 1; i >= 0; i--) {
        if (labels[i]!.name === ref.name) {
          ref.index = labels.length - 1 - i;
          const symbol = labels[i]!.symbol;
          if (symbol) symbols.addReference(ref, symbol);
          return;
        }
      }
      sink.error(ref, 'undefined-name', `undefined label \`${ref.name}\``);
      return;
    }
    const frame = labels[labels.length - 1 - ref.index!];
    if (frame?.symbol) symbols.addReference(ref, frame.symbol);
  }
}

interface LabelFrame {
  name?: string;
  symbol?: SymbolInfo;
}

function checkDuplicateParams(params: ParamDecl[], sink: DiagnosticSink): void {
  const seen = new Map<string, ParamDecl>();
  for (const p of params) {
    if (!p.id) continue;
    const prev = seen.get(p.id.name);
    if (prev) sink.error(p.id.span, 'duplicate-name', `duplicate parameter \`${p.id.name}\``);
    else seen.set(p.id.name, p);
  }
}
