// Hover: an instruction's signature, documentation and the operand stack before it; the type of
// a function, local, global, label, table, memory or type at its definition or any use.
import { TokenKind, type Span, type FuncField, type InstrNode } from '../../runtime/text/index.js';
import { opByName, type OpInfo } from '../../runtime/wasm/opcodes.js';
import { ValType, type FuncType } from '../../runtime/wasm/types.js';
import { stackText } from './validation.js';
import { unitAt, type DocumentAnalysis, type ModuleUnit } from './document.js';
import { funcAt, instrAt, labelsInScope, tokenAt } from './locate.js';
import { describeSymbol, localsOf, signatureText, typeOfUse } from './describe.js';

export interface HoverResult {
  /** Markdown. */
  markdown: string;
  span: Span;
}

const VALUE_TYPE_DOCS: Record<string, string> = {
  i32: '32-bit integer (signedness is up to each instruction).',
  i64: '64-bit integer (signedness is up to each instruction).',
  f32: '32-bit IEEE 754 floating point.',
  f64: '64-bit IEEE 754 floating point.',
  v128: '128-bit vector, interpreted per instruction as lanes of integers or floats.',
  funcref: 'Reference to a function (or null).',
  externref: 'Opaque reference from the host (or null).',
};

/** The text format's own keywords (module fields and their parts). */
const KEYWORD_DOCS: Record<string, string> = {
  module: 'A WebAssembly module: its types, imports, functions, tables, memories, globals, exports and segments.',
  func: 'A function: parameters, results, locals and a body of instructions.',
  param: 'Function (or block) parameters; named ones are locals addressable by `$name`.',
  result: 'Result types of a function or block.',
  local: 'Local variables of a function, zero-initialised, after the parameters in the local index space.',
  type: 'A function type definition, or a reference to one by index or `$name`.',
  import: 'An import from the host: module name, field name and what is imported.',
  export: 'Makes a function, table, memory or global visible to the host under a name.',
  memory: 'A linear memory, sized in 64 KiB pages (minimum and optional maximum).',
  table: 'A table of references (funcref or externref), used by call_indirect and table instructions.',
  global: 'A global variable; `(mut t)` makes it writable.',
  mut: 'Marks a global as mutable.',
  elem: 'An element segment: references to place into a table (active), keep (passive) or declare.',
  data: 'A data segment: bytes to copy into memory (active) or keep for memory.init (passive).',
  start: 'The function run automatically when the module is instantiated.',
  offset: 'The constant expression giving a segment\'s start position.',
  then: 'The branch of a folded `if` taken when the condition is non-zero.',
  declare: 'A declarative element segment: makes functions referable by ref.func.',
};

function code(text: string): string {
  return '```wasm\n' + text + '\n```';
}

export function hoverAt(doc: DocumentAnalysis, offset: number): HoverResult | undefined {
  const token = tokenAt(doc.tokens, offset);
  if (!token) return undefined;
  const span = { start: token.start, end: token.end };
  const unit = unitAt(doc, offset);
  if (unit && (token.kind === TokenKind.Id || token.kind === TokenKind.Number)) {
    const hit = unit.resolved.symbols.symbolAt(offset);
    if (hit && hit.span.start <= offset && offset <= hit.span.end) {
      const where = hit.isDefinition ? '' : `\n\n${hit.symbol.space} ${hit.symbol.index}`;
      return { markdown: code(describeSymbol(unit, hit.symbol)) + where, span: hit.span };
    }
  }
  if (token.kind !== TokenKind.Keyword) return undefined;
  const typeDoc = VALUE_TYPE_DOCS[token.text];
  if (typeDoc) return { markdown: code(token.text) + '\n\n' + typeDoc, span };
  const op = opByName(token.text);
  // `else` is both an instruction and a folded `if`'s branch: the instruction doc fits both.
  if (!op && KEYWORD_DOCS[token.text]) return { markdown: code(token.text) + '\n\n' + KEYWORD_DOCS[token.text], span };
  if (!op || !unit) return undefined;
  const instr = instrAt(unit, offset);
  // Only the instruction keyword itself: `func` or `end` elsewhere are not instructions.
  if (!instr || instr.start !== token.start) return undefined;
  const lines = [code(`${instructionSignature(unit, instr, offset)}`), instr.op.doc];
  const stack = unit.stacks.byInstrStart.get(instr.start);
  if (stack) lines.push(`Operand stack before: \`${stackText(stack)}\``);
  return { markdown: lines.join('\n\n'), span };
}

/** `i32.add : [i32 i32] -> [i32]`, with context-dependent signatures filled in where they are known. */
export function instructionSignature(unit: ModuleUnit, instr: InstrNode, offset: number): string {
  const op = instr.op;
  const sig = contextualSignature(unit, instr, offset) ?? op.sig;
  return sig ? `${op.name} : ${signatureText(sig)}` : op.name;
}

function contextualSignature(unit: ModuleUnit, instr: InstrNode, offset: number): FuncType | undefined {
  const r = unit.resolved;
  const index = instr.ref?.index;
  switch (instr.op.name) {
    case 'call': {
      const f = index !== undefined ? r.funcs[index] : undefined;
      return f ? typeOfUse(unit, f.typeUse) : undefined;
    }
    case 'call_indirect': {
      if (!instr.typeUse) return undefined;
      const t = typeOfUse(unit, instr.typeUse);
      return { params: [...t.params, ValType.I32], results: t.results };
    }
    case 'local.get': case 'local.set': case 'local.tee': {
      const fn = funcAt(unit, offset);
      const local = fn && index !== undefined ? localsOf(unit, fn.field)[index] : undefined;
      if (!local) return undefined;
      if (instr.op.name === 'local.get') return { params: [], results: [local.type] };
      if (instr.op.name === 'local.set') return { params: [local.type], results: [] };
      return { params: [local.type], results: [local.type] };
    }
    case 'global.get': case 'global.set': {
      const g = index !== undefined ? r.globals[index] : undefined;
      if (!g) return undefined;
      return instr.op.name === 'global.get' ? { params: [], results: [g.type.type] } : { params: [g.type.type], results: [] };
    }
    case 'br': case 'br_if': case 'return': {
      const fn = funcAt(unit, offset);
      if (!fn) return undefined;
      const types = instr.op.name === 'return' ? typeOfUse(unit, fn.field.typeUse).results : labelTypes(unit, fn.field, instr, index ?? 0);
      if (!types) return undefined;
      return instr.op.name === 'br_if' ? { params: [...types, ValType.I32], results: types } : { params: types, results: [] };
    }
    case 'block': case 'loop': case 'if': {
      const t = instr.blockType ? typeOfUse(unit, instr.blockType) : { params: [], results: [] };
      return instr.op.name === 'if' ? { params: [...t.params, ValType.I32], results: t.results } : t;
    }
    default:
      return undefined;
  }
}

/** The types a branch to label `depth` carries: a loop's parameters, any other block's results. */
function labelTypes(unit: ModuleUnit, field: FuncField, instr: InstrNode, depth: number): ValType[] | undefined {
  const open = labelsInScope(field, instr.start);
  if (depth === open.length) return typeOfUse(unit, field.typeUse).results;
  const target = open[open.length - 1 - depth];
  if (!target) return undefined;
  const t = target.blockType ? typeOfUse(unit, target.blockType) : { params: [], results: [] };
  return target.op.name === 'loop' ? t.params : t.results;
}

/** Documentation of an instruction for completion items and the like. */
export function opDocumentation(op: OpInfo): string {
  return op.sig ? `${op.name} : ${signatureText(op.sig)}\n\n${op.doc}` : `${op.name}\n\n${op.doc}`;
}
