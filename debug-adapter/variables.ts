// Scopes and variables of a stop: what each variablesReference stands for, and the DAP variables
// it expands to (with paging for long lists such as a memory dump).
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugValue, EngineSessionApi } from '../runtime/engine/debug-api.js';
import { importCounts, valTypeName, type Module } from '../runtime/wasm/types.js';
import type { NamedValue, StopState } from './frame-context.js';
import { ReferenceTable } from './references.js';
import { functionName } from './disassembly.js';
import { displayValue, hasViews, memoryRow, valueViews } from './values.js';
import { memoryByteLength, memoryCount, memoryReference, PAGE_SIZE } from './memory-access.js';

export type Container =
  | { kind: 'locals'; frame: number; funcIndex: number }
  | { kind: 'stack'; frame: number; funcIndex: number; offset: number }
  | { kind: 'globals' }
  | { kind: 'memories' }
  | { kind: 'memory-rows'; memory: number; byteLength: number }
  | { kind: 'tables' }
  | { kind: 'table-elements'; table: number; length: number }
  | { kind: 'views'; value: DebugValue };

export const ROW_BYTES = 16;
/** Elements returned when a client asks for a table's children without a count. */
export const TABLE_PAGE = 1000;

/** A table element: a function by name and index (`$add (func 3)`), `null`, or `externref` for a host value. */
export function tableElementText(m: Module, v: DebugValue): string {
  if (v.raw === null) return 'null';
  if (v.type === 'externref') return 'externref';
  const index = Number(v.raw);
  if (index < 0) return v.text;
  const named = m.names.funcs.get(index);
  if (named !== undefined) return `$${named} (func ${index})`;
  const label = functionName(m, index);
  return label === `func[${index}]` ? `func ${index}` : `${label} (func ${index})`;
}

/** Builds variables for containers; all references die on `clear()` (resume). */
export class VariableStore {
  readonly refs = new ReferenceTable<Container>(1000);

  constructor(private readonly engine: EngineSessionApi, private readonly module: Module, private readonly stop: StopState) {}

  clear(): void {
    this.refs.clear();
  }

  /** `besideSource`: source-level (C) scopes come first, so these are named as the Wasm view. */
  scopes(frame: number, funcIndex: number, offset: number, hasLocals: boolean, besideSource = false): DebugProtocol.Scope[] {
    const scopes: DebugProtocol.Scope[] = [];
    if (hasLocals) {
      scopes.push({ name: besideSource ? 'Wasm locals' : 'Locals', ...(besideSource ? {} : { presentationHint: 'locals' }), expensive: false,
        variablesReference: this.refs.create({ kind: 'locals', frame, funcIndex }) });
      scopes.push({ name: 'Operand stack', expensive: false,
        variablesReference: this.refs.create({ kind: 'stack', frame, funcIndex, offset }) });
    }
    scopes.push({ name: besideSource ? 'Wasm globals' : 'Globals', expensive: false,
      variablesReference: this.refs.create({ kind: 'globals' }) });
    if (memoryCount(this.module) > 0) {
      scopes.push({ name: 'Memory', expensive: true, variablesReference: this.refs.create({ kind: 'memories' }) });
    }
    const tables = importCounts(this.module).tables + this.module.tables.length;
    if (tables > 0) scopes.push({ name: 'Tables', expensive: false, variablesReference: this.refs.create({ kind: 'tables' }) });
    return scopes;
  }

  valueVariable(name: string, value: DebugValue, evaluateName?: string): DebugProtocol.Variable {
    return {
      name, value: displayValue(value), type: value.type,
      variablesReference: hasViews(value) ? this.refs.create({ kind: 'views', value }) : 0,
      ...(evaluateName ? { evaluateName } : {}),
    };
  }

  private named(list: NamedValue[], evaluable: boolean): DebugProtocol.Variable[] {
    return list.map((v) => this.valueVariable(v.name, v.value, evaluable ? v.name : undefined));
  }

  async variables(container: Container, start = 0, count?: number): Promise<DebugProtocol.Variable[]> {
    const page = <T>(items: T[]): T[] => items.slice(start, count ? start + count : undefined);
    switch (container.kind) {
      case 'locals': return page(this.named(await this.stop.locals(container.frame, container.funcIndex), container.frame === 0));
      case 'stack': return page(this.named(await this.stop.stack(container.frame, container.funcIndex, container.offset), false));
      case 'globals': return page(this.named(await this.stop.globals(), true));
      case 'views': return page(valueViews(container.value).map((v) => ({ name: v.name, value: v.value, type: v.type,
        variablesReference: 0 })));
      case 'tables': return page(await this.tableVariables());
      case 'table-elements': {
        const first = Math.min(start, container.length);
        const n = Math.min(count ?? TABLE_PAGE, container.length - first);
        if (n <= 0) return [];
        const elements = await this.engine.readTable(container.table, first, n);
        return elements.map((value, k) => ({ name: `[${first + k}]`, value: tableElementText(this.module, value),
          type: value.type, variablesReference: 0 }));
      }
      case 'memories': {
        const out: DebugProtocol.Variable[] = [];
        for (let i = 0; i < memoryCount(this.module); i++) {
          const byteLength = await memoryByteLength(this.engine, i);
          const rows = Math.ceil(byteLength / ROW_BYTES);
          out.push({ name: `memory ${i}`, value: `${byteLength / PAGE_SIZE} pages (${byteLength} bytes)`,
            memoryReference: memoryReference(i), indexedVariables: rows,
            variablesReference: rows > 0 ? this.refs.create({ kind: 'memory-rows', memory: i, byteLength }) : 0 });
        }
        return page(out);
      }
      case 'memory-rows': {
        const totalRows = Math.ceil(container.byteLength / ROW_BYTES);
        const first = Math.min(start, totalRows);
        const rows = Math.min(count ?? 256, totalRows - first);
        if (rows <= 0) return [];
        const address = first * ROW_BYTES;
        const length = Math.min(rows * ROW_BYTES, container.byteLength - address);
        const bytes = await this.engine.readMemory(container.memory, address, length);
        const out: DebugProtocol.Variable[] = [];
        for (let r = 0; r < rows; r++) {
          const row = memoryRow(address + r * ROW_BYTES, bytes.subarray(r * ROW_BYTES, (r + 1) * ROW_BYTES));
          out.push({ name: row.name, value: row.value, variablesReference: 0, memoryReference: memoryReference(container.memory) });
        }
        return out;
      }
    }
  }

  /** Each table (imported first, as the index space has them) with its current size, expandable to its elements. */
  private async tableVariables(): Promise<DebugProtocol.Variable[]> {
    const m = this.module;
    const declared = [
      ...m.imports.flatMap((imp) => (imp.desc.kind === 'table' ? [{ type: imp.desc.type, from: `${imp.module}.${imp.name}` }] : [])),
      ...m.tables.map((type) => ({ type, from: undefined })),
    ];
    const live = await this.engine.tables();
    return declared.map(({ type, from }, index) => {
      const length = live[index]?.length ?? 0;
      const name = m.names.tables.get(index);
      const limits = `min ${type.limits.min}${type.limits.max !== undefined ? `, max ${type.limits.max}` : ''}`;
      return {
        name: name !== undefined ? `$${name}` : `table ${index}`,
        value: `${valTypeName(type.elem)}, ${length} element${length === 1 ? '' : 's'} (${limits})` +
          (from ? ` (imported from ${from})` : ''),
        type: valTypeName(type.elem),
        indexedVariables: length,
        variablesReference: length > 0 ? this.refs.create({ kind: 'table-elements', table: index, length }) : 0,
      };
    });
  }

  /** Sets a local (frame's locals container) or a global; returns the new value. */
  async set(container: Container, name: string, text: string): Promise<DebugValue> {
    if (container.kind === 'locals') {
      const locals = await this.stop.locals(container.frame, container.funcIndex);
      const target = locals.find((l) => l.name === name);
      if (!target) throw new Error(`no local named ${name}`);
      const value = await this.engine.setLocal(container.frame, target.index, text);
      this.stop.localChanged(container.frame, target.index, value);
      return value;
    }
    if (container.kind === 'globals') {
      const globals = await this.stop.globals();
      const target = globals.find((g) => g.name === name);
      if (!target) throw new Error(`no global named ${name}`);
      const value = await this.engine.setGlobal(target.index, text);
      this.stop.invalidate();
      return value;
    }
    throw new Error('only locals and globals can be changed');
  }
}
