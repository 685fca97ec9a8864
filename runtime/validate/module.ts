// The one validator: every caller (engine, CLI, language server, debug adapter) validates through
// validateModule. It reports the first error of every function and of every non-function part,
// so an editor can show them all at once, and it hands back per-function facts for the engine.

import { ValType, type FuncType, type Instr, type Limits, type Module } from '../wasm/types.js';
import { DecodeError, ValidationError } from '../wasm/errors.js';
import { opByCode } from '../wasm/opcodes.js';
import { limitsEntryOffsets, listSections } from '../binary/sections.js';
import { buildContext, type ValidationContext } from './context.js';
import { typesText, validateFunction, type FunctionFacts, type ValidationObserver } from './function.js';

export type { FunctionFacts, ValidationObserver } from './function.js';

/** Memories are at most 65536 pages of 64 KiB (4 GiB) in Wasm 2.0. */
export const MAX_PAGES = 65536;

export interface ModuleValidation {
  /** DecodeErrors only for bodies decoded on demand (decodeModule's `bodies: 'on-demand'`). */
  errors: (ValidationError | DecodeError)[];
  /** Facts per defined function (index = position in Module.funcs), undefined where it failed. */
  funcs: (FunctionFacts | undefined)[];
}

export function validateModule(m: Module, observer?: ValidationObserver): (ValidationError | DecodeError)[] {
  return validateModuleWithFacts(m, observer).errors;
}

/** Throws the first ValidationError of the module, if any. */
export function assertValid(m: Module): void {
  const errors = validateModule(m);
  if (errors.length > 0) throw errors[0]!;
}

export function validateModuleWithFacts(m: Module, observer?: ValidationObserver): ModuleValidation {
  const ctx = buildContext(m);
  const errors: (ValidationError | DecodeError)[] = [];
  const check = (part: () => void): void => {
    try {
      part();
    } catch (e) {
      // A DecodeError comes from a body decoded on demand, read here for the first time.
      if (e instanceof ValidationError || e instanceof DecodeError) errors.push(e);
      else throw e;
    }
  };
  const fail = (message: string, offset: number): never => {
    throw new ValidationError(message, { offset });
  };

  for (const imp of m.imports) {
    check(() => {
      const d = imp.desc;
      if (d.kind === 'func' && !m.types[d.typeIndex]) fail(`unknown type ${d.typeIndex}`, imp.offset);
      else if (d.kind === 'table') checkLimits(d.type.limits, undefined, imp.offset);
      else if (d.kind === 'memory') checkLimits(d.type, MAX_PAGES, imp.offset);
    });
  }
  m.funcs.forEach((f) => check(() => {
    if (!m.types[f.typeIndex]) fail(`unknown type ${f.typeIndex}`, f.start);
  }));
  // The IR keeps no offsets for table and memory entries or the start section: look them up.
  const sections = listSections(m.bytes);
  const tableOffsets = limitsEntryOffsets(m.bytes, sections, 4);
  const memoryOffsets = limitsEntryOffsets(m.bytes, sections, 5);
  m.tables.forEach((t, i) => check(() => checkLimits(t.limits, undefined, tableOffsets[i] ?? 0)));
  m.memories.forEach((mem, i) => check(() => checkLimits(mem, MAX_PAGES, memoryOffsets[i] ?? 0)));
  if (ctx.memories.length > 1) {
    const second = m.imports.filter((imp) => imp.desc.kind === 'memory')[1]?.offset ?? memoryOffsets[1] ?? memoryOffsets[0] ?? 0;
    errors.push(new ValidationError('multiple memories', { offset: second }));
  }

  ctx.globals.forEach((g, i) => {
    if (i < ctx.importedGlobals) return;
    const def = m.globals[i - ctx.importedGlobals]!;
    check(() => checkConstExpr(ctx, def.init, g.type));
  });

  const exportNames = new Set<string>();
  for (const ex of m.exports) {
    check(() => {
      if (exportNames.has(ex.name)) fail(`duplicate export name ${JSON.stringify(ex.name)}`, ex.offset);
      exportNames.add(ex.name);
      const count = ex.kind === 'func' ? ctx.funcTypeIndices.length : ex.kind === 'table' ? ctx.tables.length
        : ex.kind === 'memory' ? ctx.memories.length : ctx.globals.length;
      if (ex.index >= count) fail(`unknown ${ex.kind === 'func' ? 'function' : ex.kind} ${ex.index}`, ex.offset);
    });
  }

  if (m.start !== undefined) {
    const start = m.start;
    check(() => {
      const at = sections.find((s) => s.id === 8)?.payloadStart ?? 0;
      const ti = ctx.funcTypeIndices[start];
      if (ti === undefined) fail(`unknown function ${start}`, at);
      const t: FuncType | undefined = m.types[ti];
      if (t && (t.params.length > 0 || t.results.length > 0)) fail('start function must take and return nothing', at);
    });
  }

  for (const seg of m.elems) {
    check(() => {
      if (seg.mode === 'active') {
        const table = ctx.tables[seg.table];
        if (!table) fail(`unknown table ${seg.table}`, seg.offset);
        if (table.elem !== seg.type) {
          fail(`type mismatch: element segment of ${typesText([seg.type])} for a table of ${typesText([table.elem])}`,
            seg.offset);
        }
        checkConstExpr(ctx, seg.offsetExpr ?? [], ValType.I32);
      }
      for (const init of seg.init) checkConstExpr(ctx, init, seg.type);
    });
  }

  for (const seg of m.datas) {
    check(() => {
      if (seg.mode !== 'active') return;
      if (seg.memory >= ctx.memories.length) fail(`unknown memory ${seg.memory}`, seg.offset);
      checkConstExpr(ctx, seg.offsetExpr ?? [], ValType.I32);
    });
  }

  const funcs: (FunctionFacts | undefined)[] = new Array(m.funcs.length).fill(undefined);
  m.funcs.forEach((f, i) => {
    if (!m.types[f.typeIndex]) return; // already reported above
    check(() => { funcs[i] = validateFunction(ctx, ctx.importedFuncs + i, f, observer); });
  });
  return { errors, funcs };
}

function checkLimits(limits: Limits, maxAllowed: number | undefined, offset: number): void {
  if (maxAllowed !== undefined && (limits.min > maxAllowed || (limits.max ?? 0) > maxAllowed)) {
    throw new ValidationError(`memory size must be at most ${maxAllowed} pages (4GiB)`, { offset });
  }
  if (limits.max !== undefined && limits.min > limits.max) {
    throw new ValidationError('size minimum must not be greater than maximum', { offset });
  }
}

/**
 * Constant expressions: only constants, ref.null, ref.func and global.get of an immutable global.
 * Wasm 2.0 lets them see imported globals only (the spec tests reject defined ones, in global
 * initializers and in segment offsets alike).
 */
function checkConstExpr(ctx: ValidationContext, expr: readonly Instr[], expected: ValType): void {
  const stack: number[] = [];
  const fail = (message: string, offset: number): never => {
    throw new ValidationError(message, { offset });
  };
  const endOffset = expr[expr.length - 1]?.offset ?? 0;
  for (const instr of expr) {
    switch (instr.op) {
      case 0x41: stack.push(ValType.I32); break;
      case 0x42: stack.push(ValType.I64); break;
      case 0x43: stack.push(ValType.F32); break;
      case 0x44: stack.push(ValType.F64); break;
      case 0xfd0c: stack.push(ValType.V128); break;
      case 0xd0: stack.push(instr.index!); break;
      case 0xd2:
        if (instr.index! >= ctx.funcTypeIndices.length) fail(`unknown function ${instr.index}`, instr.offset);
        stack.push(ValType.FuncRef);
        break;
      case 0x23: {
        const g = instr.index! < ctx.importedGlobals ? ctx.globals[instr.index!] : undefined;
        if (!g) return fail(`unknown global ${instr.index}`, instr.offset);
        if (g.mutable) fail('constant expression required', instr.offset);
        stack.push(g.type);
        break;
      }
      case 0x0b: break;
      default:
        fail(`constant expression required (found ${opByCode(instr.op)?.name ?? 'unknown opcode'})`, instr.offset);
    }
  }
  if (stack.length !== 1 || stack[0] !== expected) {
    fail(`type mismatch in constant expression: expected ${typesText([expected])}, found ${typesText(stack)}`, endOffset);
  }
}
