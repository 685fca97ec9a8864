// Completion: `$names` of the index space the position expects (locals and labels in scope
// included), instructions with their immediates as snippets, value types, and the keywords of
// module fields and script commands.
import { TokenKind, type Token, headKeyword, type SList, type IndexSpace } from '../../runtime/text/index.js';
import { OPS, opByName, type ImmKind, type OpInfo } from '../../runtime/wasm/opcodes.js';
import { unitAt, type DocumentAnalysis, type ModuleUnit } from './document.js';
import { funcAt, labelsInScope, listPath, tokenAt, tokenBefore } from './locate.js';
import { describeSymbol, signatureText } from './describe.js';
import { opDocumentation } from './hover.js';

export type CompletionKind = 'function' | 'variable' | 'type' | 'keyword' | 'instruction' | 'label' | 'reference' | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Snippet text (LSP snippet syntax) when it differs from the label. */
  snippet?: string;
  sortText?: string;
}

export interface CompletionResult {
  items: CompletionEntry[];
  /** The span the chosen item replaces (the word being typed). */
  replace: { start: number; end: number };
}

const VALUE_TYPES = ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref'];

const MODULE_FIELDS: { label: string; snippet: string }[] = [
  { label: 'func', snippet: 'func ${1:\\$name} ${2:(param ${3:i32})} ${4:(result ${5:i32})}\n\t$0' },
  { label: 'type', snippet: 'type ${1:\\$name} (func (param ${2:i32}) (result ${3:i32}))' },
  { label: 'import', snippet: 'import "${1:env}" "${2:name}" (${3:func ${4:\\$name}})' },
  { label: 'export', snippet: 'export "${1:name}" (${2:func} ${3:\\$name})' },
  { label: 'memory', snippet: 'memory ${1:\\$memory} ${2:1}' },
  { label: 'table', snippet: 'table ${1:\\$table} ${2:1} ${3:funcref}' },
  { label: 'global', snippet: 'global ${1:\\$name} (mut ${2:i32}) (${2:i32}.const ${3:0})' },
  { label: 'start', snippet: 'start ${1:\\$main}' },
  { label: 'elem', snippet: 'elem (i32.const ${1:0}) func ${2:\\$f}' },
  { label: 'data', snippet: 'data (i32.const ${1:0}) "${2}"' },
];

const FUNC_HEAD = ['param', 'result', 'local', 'type', 'export', 'import'];
const SCRIPT_COMMANDS = ['module', 'assert_return', 'assert_trap', 'assert_exhaustion', 'assert_invalid', 'assert_malformed',
  'assert_unlinkable', 'assert_uninstantiable', 'register', 'invoke', 'get'];

/** The index space an instruction's first immediate names. */
const SPACE_OF_IMM: Partial<Record<ImmKind, IndexSpace>> = {
  label: 'label', br_table: 'label', func: 'func', local: 'local', global: 'global', table: 'table', call_indirect: 'table',
  memory: 'memory', data: 'data', memory_init: 'data', elem: 'elem', table_init: 'elem', table_copy: 'table',
};

export function completionsAt(doc: DocumentAnalysis, offset: number): CompletionResult {
  const none = { items: [], replace: { start: offset, end: offset } };
  // Nothing to complete inside comments, annotations and strings.
  if (doc.parsed.lex.trivia.some((c) => offset > c.start && (offset < c.end || (offset === c.end && c.kind === 'line-comment')))) return none;
  const word = tokenAt(doc.tokens, offset);
  if (word?.kind === TokenKind.String && offset > word.start && (offset < word.end || !word.text.endsWith('"') || word.text.length === 1)) return none;
  const typing = word && word.end === offset && word.kind !== TokenKind.String ? word : undefined;
  const replace = typing ? { start: typing.start, end: typing.end } : { start: offset, end: offset };
  const prefix = typing ? doc.text.slice(typing.start, offset) : '';
  const prev = tokenBefore(doc.tokens, typing ? typing.start : offset, typing);
  const path = listPath(doc.parsed.tree, offset);
  const inner = path[path.length - 1];
  const unit = unitAt(doc, offset);
  const afterOpen = prev?.kind === TokenKind.LParen && (!typing || prev.end <= typing.start);

  const space = expectedSpace(prev, path, afterOpen);
  if (unit && (prefix.startsWith('$') || (space && !afterOpen && prefix === ''))) {
    return { items: space ? idsOf(unit, space, offset) : allIds(unit, offset), replace };
  }
  const head = inner ? headKeyword(inner) : undefined;
  if (afterOpen) {
    const parent = path[path.length - 2];
    const parentHead = parent ? headKeyword(parent) : undefined;
    return { items: listHeads(doc, unit, offset, parentHead, path.length - 1), replace };
  }
  if (head && ['param', 'result', 'local', 'mut'].includes(head)) return { items: valueTypes(), replace };
  if (head === 'global' && inner && !inner.items.slice(1).some((n) => 'kind' in n && n.kind === TokenKind.Keyword)) {
    return { items: valueTypes(), replace };
  }
  if (head === 'table') return { items: valueTypes().filter((t) => t.label.endsWith('ref')), replace };
  if (unit && funcAt(unit, offset)) return { items: [...memargItems(prev), ...instructions(false), ...valueTypes()], replace };
  if (doc.kind === 'wast' && path.length === 0) return { items: keywords(SCRIPT_COMMANDS), replace };
  return { items: [...instructions(false), ...valueTypes()], replace };
}

function expectedSpace(prev: Token | undefined, path: SList[], afterOpen: boolean): IndexSpace | undefined {
  if (afterOpen || !prev || prev.kind !== TokenKind.Keyword) return undefined;
  const op = opByName(prev.text);
  if (op) return SPACE_OF_IMM[op.imm];
  const inner = path[path.length - 1];
  const head = headKeyword(inner);
  if (!inner || !head || inner.items[0] !== prev) return undefined;
  const parentHead = headKeyword(path[path.length - 2]);
  if (parentHead === 'export' && (head === 'func' || head === 'table' || head === 'memory' || head === 'global')) return head;
  if (head === 'start') return 'func';
  // `(type $t ...)` at module level defines a name; inside a function or instruction it uses one.
  if (head === 'type' && path.length >= 2 && parentHead !== 'module') return 'type';
  if ((head === 'memory' && parentHead === 'data') || (head === 'table' && parentHead === 'elem')) return head;
  return undefined;
}

const SPACE_KIND: Record<IndexSpace, CompletionKind> = {
  func: 'function', local: 'variable', global: 'variable', type: 'type', label: 'label', table: 'reference',
  memory: 'reference', elem: 'reference', data: 'reference',
};

function idsOf(unit: ModuleUnit, space: IndexSpace, offset: number): CompletionEntry[] {
  const symbols = unit.resolved.symbols;
  if (space === 'local') {
    const fn = funcAt(unit, offset);
    if (!fn) return [];
    return symbols.inSpace('local', fn.funcIndex).filter((s) => s.name).map((s) => ({
      label: s.name!, kind: 'variable', detail: describeSymbol(unit, s), sortText: String(s.index).padStart(6, '0'),
    }));
  }
  if (space === 'label') {
    const fn = funcAt(unit, offset);
    if (!fn) return [];
    const open = labelsInScope(fn.field, offset);
    const labelSymbols = symbols.inSpace('label', fn.funcIndex);
    const out: CompletionEntry[] = [];
    for (let depth = 0; depth < open.length; depth++) {
      const instr = open[open.length - 1 - depth]!;
      const symbol = labelSymbols.find((s) => s.fieldSpan.start === instr.start);
      if (symbol?.name) out.push({ label: symbol.name, kind: 'label', detail: `${describeSymbol(unit, symbol)} (depth ${depth})`, sortText: String(depth).padStart(6, '0') });
    }
    return out;
  }
  return symbols.inSpace(space).filter((s) => s.name).map((s) => ({
    label: s.name!, kind: SPACE_KIND[space], detail: describeSymbol(unit, s), sortText: String(s.index).padStart(6, '0'),
  }));
}

function allIds(unit: ModuleUnit, offset: number): CompletionEntry[] {
  const fn = funcAt(unit, offset);
  return [...(fn ? idsOf(unit, 'local', offset) : []), ...(fn ? idsOf(unit, 'label', offset) : []),
    ...(['func', 'global', 'type', 'table', 'memory', 'elem', 'data'] as IndexSpace[]).flatMap((s) => idsOf(unit, s, offset))];
}

/** `offset=` and `align=` right after a memory instruction (or after the other of the two). */
function memargItems(prev: Token | undefined): CompletionEntry[] {
  if (!prev || prev.kind !== TokenKind.Keyword) return [];
  const op = opByName(prev.text);
  const afterMemarg = prev.text.startsWith('offset=');
  if (!afterMemarg && (op?.naturalAlign === undefined || (op.imm !== 'memarg' && op.imm !== 'memarg_lane'))) return [];
  const out: CompletionEntry[] = [];
  if (!afterMemarg) {
    out.push({ label: 'offset=', kind: 'keyword', snippet: 'offset=${1:0}', detail: 'static byte offset added to the address', sortText: '0offset' });
  }
  const natural = op?.naturalAlign !== undefined ? 1 << op.naturalAlign : undefined;
  out.push({
    label: 'align=', kind: 'keyword', snippet: `align=\${1:${natural ?? 1}}`, sortText: '0align',
    detail: `alignment hint in bytes${natural ? ` (natural: ${natural})` : ''}`,
  });
  return out;
}

function keywords(words: string[]): CompletionEntry[] {
  return words.map((w) => ({ label: w, kind: 'keyword' }));
}

function valueTypes(): CompletionEntry[] {
  return VALUE_TYPES.map((t) => ({ label: t, kind: 'type', sortText: `~${t}` }));
}

function listHeads(doc: DocumentAnalysis, unit: ModuleUnit | undefined, offset: number, parentHead: string | undefined,
  depth: number): CompletionEntry[] {
  if (depth === 0 && doc.kind === 'wast') return keywords(SCRIPT_COMMANDS);
  if (parentHead === 'module' || (depth === 0 && doc.kind === 'wat')) {
    return [...MODULE_FIELDS.map((f) => ({ label: f.label, kind: 'keyword' as const, snippet: f.snippet })), ...keywords(depth === 0 ? ['module'] : [])];
  }
  if (unit && funcAt(unit, offset)) {
    return [...keywords(parentHead === 'func' ? FUNC_HEAD : parentHead === 'if' ? ['then', 'else'] : []), ...instructions(true)];
  }
  if (parentHead === 'global') return [...keywords(['mut', 'export', 'import']), ...instructions(true)];
  return instructions(true);
}

let flatCache: CompletionEntry[] | undefined;
let foldedCache: CompletionEntry[] | undefined;

/** Every instruction, with a snippet for its immediates (`folded`: written after `(`, so no `end`). */
export function instructions(folded: boolean): CompletionEntry[] {
  const cached = folded ? foldedCache : flatCache;
  if (cached) return cached;
  const seen = new Set<string>();
  const out: CompletionEntry[] = [];
  for (const op of OPS) {
    if (seen.has(op.name) || (folded && (op.name === 'end' || op.name === 'else'))) continue;
    seen.add(op.name);
    out.push({ label: op.name, kind: 'instruction', detail: op.sig ? sigText(op) : undefined, documentation: opDocumentation(op), snippet: snippetOf(op, folded) });
  }
  if (folded) foldedCache = out;
  else flatCache = out;
  return out;
}

function sigText(op: OpInfo): string {
  return signatureText(op.sig!);
}

function snippetOf(op: OpInfo, folded: boolean): string | undefined {
  const n = op.name;
  switch (op.imm) {
    case 'none': return undefined;
    case 'blocktype':
      if (folded) return n === 'if' ? `if (result \${1:i32})\n\t(then $0)\n\t(else)` : `${n} \${1:\\$label}\n\t$0`;
      return n === 'if' ? `if \${1:(result i32)}\n\t$0\nelse\nend` : `${n} \${1:\\$label}\n\t$0\nend`;
    case 'label': return `${n} \${1:\\$label}`;
    case 'br_table': return `${n} \${1:\\$label} \${2:\\$default}`;
    case 'func': return `${n} \${1:\\$function}`;
    case 'call_indirect': return `${n} (type \${1:\\$type})`;
    case 'local': return `${n} \${1:\\$local}`;
    case 'global': return `${n} \${1:\\$global}`;
    case 'i32': case 'i64': return `${n} \${1:0}`;
    case 'f32': case 'f64': return `${n} \${1:0.0}`;
    case 'v128': return `${n} \${1:i32x4} \${2:0 0 0 0}`;
    case 'shuffle': return `${n} \${1:0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15}`;
    case 'lane': return `${n} \${1:0}`;
    case 'memarg_lane': return `${n} \${1:0}`;
    case 'reftype': return `${n} \${1:func}`;
    case 'select_types': return `${n} (result \${1:i32})`;
    case 'data': case 'memory_init': return `${n} \${1:\\$data}`;
    case 'elem': case 'table_init': return `${n} \${1:\\$elem}`;
    default: return undefined;
  }
}
