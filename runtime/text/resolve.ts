// Name resolution: builds every index space in field order, turns each `$name` reference into an
// index, reports undefined names (at the use) and duplicates (at every definition), and assigns
// each type use its final type index, appending implicit types the way wat2wasm does (after all
// explicit types, in order of first use) so the assembled bytes match wabt's.
import type { DiagnosticSink, Span } from './diagnostics.js';
import type {
  Binding, DataField, ElemField, FuncField, GlobalField, IndexSpace, MemoryField, ModuleNode, ParamDecl, Ref,
  TableField, TypeField, TypeUse,
} from './ast.js';
import { UNRESOLVED, type InstrSeq, type InstrTable } from './instr-table.js';
import { TokenKind } from './lexer.js';
import { Imm, IMM_BY_CODE } from '../wasm/opcodes.js';
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
  // Sized for the instructions' main references (the others are few) so its columns are allocated once.
  const symbols = new SymbolTable(module.instrs.referenceCount + 64);
  const out: ResolvedModule = { module, types: [], funcs: [], tables: [], memories: [], globals: [], elems: [], datas: [], symbols };
  const scopes = new Map<IndexSpace, Scope>();
  for (const s of ['type', 'func', 'table', 'memory', 'global', 'elem', 'data'] as IndexSpace[]) scopes.set(s, new Scope(s));
  const typeScope = scopes.get('type')!, funcScope = scopes.get('func')!, tableScope = scopes.get('table')!;
  const memoryScope = scopes.get('memory')!, globalScope = scopes.get('global')!, elemScope = scopes.get('elem')!;
  const dataScope = scopes.get('data')!;
  const reportedDuplicate = new Set<SymbolInfo>();

  const define = (scope: Scope, id: Binding | undefined, fieldSpan: Span, index: number, funcIndex?: number): SymbolInfo => {
    const symbol = symbols.define({
      space: scope.space, index, name: id?.name, defSpan: id?.span ?? fieldSpan, fieldSpan, funcIndex,
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

  function resolveExpr(seq: InstrSeq): void {
    resolveInstrs(seq, undefined, []);
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

  /**
   * Resolves row `i`'s main reference in `scope`, writing its index into the row; a name that is
   * not defined is reported at the use.
   */
  function useRow(scope: Scope, table: InstrTable, i: number): void {
    const row = table.refs[i]!;
    if (row < 0) return;
    const t = table.tokens;
    const start = t.starts[row]!, end = t.ends[row]!;
    if (t.kinds[row] === TokenKind.Id) {
      const name = t.text(row);
      const symbol = scope.byName.get(name);
      if (!symbol) {
        sink.error({ start, end }, 'undefined-name', `undefined ${SPACE_NAMES[scope.space]} \`${name}\``);
        return;
      }
      table.indices[i] = symbol.index;
      table.flags[i] = table.flags[i]! & ~UNRESOLVED;
      symbols.addReferenceAt(start, end, symbol);
      return;
    }
    const symbol = scope.byIndex[table.indices[i]!];
    if (symbol) symbols.addReferenceAt(start, end, symbol);
  }

  /** Row `i`'s second reference, if it has one. */
  function useRef2(scope: Scope, table: InstrTable, i: number): void {
    const ref = table.ref2(i);
    if (ref) use(scope, ref);
  }

  function resolveInstrs(seq: InstrSeq, fn: { locals: Scope; funcIndex: number } | undefined, labels: LabelFrame[]): void {
    const table = seq.table;
    const codes = table.codes;
    for (let i = seq.from; i < seq.to; i++) {
      const code = codes[i]!;
      switch (IMM_BY_CODE[code]) {
        case Imm.BlockType: {
          const blockType = table.extra<TypeUse>(table.b[i]!);
          if (blockType) resolveTypeUse(blockType, true);
          const label = table.extra<Binding>(table.a[i]!);
          let symbol: SymbolInfo | undefined;
          if (fn) {
            const span = { start: table.starts[i]!, end: table.ends[i]! };
            symbol = symbols.define({
              space: 'label', index: labels.length, name: label?.name, defSpan: label?.span ?? span, fieldSpan: span, funcIndex: fn.funcIndex,
            });
          }
          labels.push({ name: label?.name, symbol });
          continue;
        }
        case Imm.Label:
          resolveLabelRow(table, i, labels);
          break;
        case Imm.BrTable:
          for (const l of table.extra<Ref[]>(table.a[i]!)!) resolveLabel(l, labels);
          break;
        case Imm.Func:
          useRow(funcScope, table, i);
          break;
        case Imm.CallIndirect:
          useRef2(tableScope, table, i);
          resolveTypeUse(table.extra<TypeUse>(table.a[i]!)!, false);
          break;
        case Imm.Local:
          // Outside a function only a numeric index can be written; the validator rejects it.
          if (!fn) {
            const name = table.refName(i);
            if (name !== undefined) {
              const row = table.refs[i]!;
              sink.error(table.tokens.span(row), 'undefined-name', `undefined local \`${name}\``);
            }
          } else useRow(fn.locals, table, i);
          break;
        case Imm.Global:
          useRow(globalScope, table, i);
          break;
        case Imm.Table:
          useRow(tableScope, table, i);
          break;
        case Imm.Memory:
          useRow(memoryScope, table, i);
          break;
        case Imm.Data:
        case Imm.MemoryInit:
          useRow(dataScope, table, i);
          break;
        case Imm.Elem:
          useRow(elemScope, table, i);
          break;
        case Imm.TableInit:
          useRow(elemScope, table, i);
          useRef2(tableScope, table, i);
          break;
        case Imm.TableCopy:
          useRow(tableScope, table, i);
          useRef2(tableScope, table, i);
          break;
        default:
          break;
      }
      if (code === OP_END || code === OP_ELSE) {
        const frame = labels[labels.length - 1];
        const label = table.extra<Binding>(table.a[i]!);
        if (label && (!frame || frame.name !== label.name)) {
          sink.error(label.span, 'mismatching-label',
            frame?.name ? `mismatching label: \`${code === OP_END ? 'end' : 'else'} ${label.name}\` closes \`${frame.name}\`` : `mismatching label \`${label.name}\``);
        } else if (label && frame?.symbol) {
          // `end $l` repeats the label: a reference, so renaming the label renames it too.
          symbols.addReference(label.span, frame.symbol);
        }
        if (code === OP_END && frame) labels.pop();
      }
    }
  }

  /** A label written as `$name` or a depth; the depth of a name is written into the row. */
  function resolveLabelRow(table: InstrTable, i: number, labels: LabelFrame[]): void {
    const row = table.refs[i]!;
    const t = table.tokens;
    const name = table.refName(i);
    if (name !== undefined) {
      const depth = labelDepth(name, labels);
      if (depth < 0) {
        sink.error(t.span(row), 'undefined-name', `undefined label \`${name}\``);
        return;
      }
      table.indices[i] = depth;
      table.flags[i] = table.flags[i]! & ~UNRESOLVED;
      const symbol = labels[labels.length - 1 - depth]!.symbol;
      if (symbol) symbols.addReferenceAt(t.starts[row]!, t.ends[row]!, symbol);
      return;
    }
    const frame = labels[labels.length - 1 - table.indices[i]!];
    if (frame?.symbol) symbols.addReferenceAt(t.starts[row]!, t.ends[row]!, frame.symbol);
  }

  function resolveLabel(ref: Ref, labels: LabelFrame[]): void {
    if (ref.name !== undefined) {
      const depth = labelDepth(ref.name, labels);
      if (depth < 0) {
        sink.error(ref, 'undefined-name', `undefined label \`${ref.name}\``);
        return;
      }
      ref.index = depth;
      const symbol = labels[labels.length - 1 - depth]!.symbol;
      if (symbol) symbols.addReference(ref, symbol);
      return;
    }
    const frame = labels[labels.length - 1 - ref.index!];
    if (frame?.symbol) symbols.addReference(ref, frame.symbol);
  }
}

/** How many labels out the innermost one named `name` is, or -1. */
function labelDepth(name: string, labels: LabelFrame[]): number {
  for (let i = labels.length - 1; i >= 0; i--) if (labels[i]!.name === name) return labels.length - 1 - i;
  return -1;
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
