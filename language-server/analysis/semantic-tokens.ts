// Semantic tokens (full document): `$names` coloured by what they name (function, parameter,
// local, global, label, type), instructions apart from other keywords, comments and annotations.
// Encoded the LSP way: five integers per token, positions relative to the previous token.
import { TokenKind, type SymbolInfo } from '../../runtime/text/index.js';
import { opByName } from '../../runtime/wasm/opcodes.js';
import type { DocumentAnalysis, ModuleUnit } from './document.js';
import { localsOf } from './describe.js';

export const TOKEN_TYPES = ['keyword', 'type', 'function', 'variable', 'parameter', 'number', 'string', 'comment', 'label',
  'operator', 'namespace', 'decorator'] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly'] as const;

type TokenType = typeof TOKEN_TYPES[number];
const TYPE_INDEX = new Map<TokenType, number>(TOKEN_TYPES.map((t, i) => [t, i]));
const DECLARATION = 1, READONLY = 2;

/** call_indirect (0x11): the last of the control instructions in opcode order. */
const LAST_CONTROL_OPCODE = 0x11;

const VALUE_TYPES = new Set(['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref']);

interface Classified {
  start: number;
  end: number;
  type: TokenType;
  modifiers: number;
}

interface Occurrence {
  symbol: SymbolInfo;
  isDefinition: boolean;
  unit: ModuleUnit;
}

/** Adds every `$name` occurrence of a unit, by its start offset, with the symbol it names. */
function addOccurrences(unit: ModuleUnit, map: Map<number, Occurrence>): void {
  for (const s of unit.resolved.symbols.symbols) {
    if (s.name !== undefined) map.set(s.defSpan.start, { symbol: s, isDefinition: true, unit });
    for (const r of s.references) if (!map.has(r.start)) map.set(r.start, { symbol: s, isDefinition: false, unit });
  }
}

function symbolType(unit: ModuleUnit, s: SymbolInfo, paramCounts: Map<number, number>): { type: TokenType; modifiers: number } {
  switch (s.space) {
    case 'func': return { type: 'function', modifiers: 0 };
    case 'local': {
      const funcIndex = s.funcIndex ?? -1;
      let params = paramCounts.get(funcIndex);
      if (params === undefined) {
        const field = unit.resolved.funcs[funcIndex];
        params = field ? localsOf(unit, field).filter((l) => l.isParam).length : 0;
        paramCounts.set(funcIndex, params);
      }
      return { type: s.index < params ? 'parameter' : 'variable', modifiers: 0 };
    }
    case 'global': return { type: 'variable', modifiers: unit.resolved.globals[s.index]?.type.mutable ? 0 : READONLY };
    case 'type': return { type: 'type', modifiers: 0 };
    case 'label': return { type: 'label', modifiers: 0 };
    default: return { type: 'namespace', modifiers: 0 };
  }
}

export function semanticTokens(doc: DocumentAnalysis): number[] {
  const items: Classified[] = [];
  const occurrences = new Map<number, Occurrence>();
  const paramCounts = new Map<ModuleUnit, Map<number, number>>();
  for (const unit of doc.units) {
    paramCounts.set(unit, new Map());
    addOccurrences(unit, occurrences);
  }
  const tokens = doc.tokens;
  const trivia = doc.parsed.lex.trivia;
  let nextTrivia = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // Tokens and trivia are each sorted: merge them instead of sorting the result.
    while (nextTrivia < trivia.length && trivia[nextTrivia]!.start < t.start) {
      const c = trivia[nextTrivia++]!;
      items.push({ start: c.start, end: c.end, type: c.kind === 'annotation' ? 'decorator' : 'comment', modifiers: 0 });
    }
    switch (t.kind) {
      case TokenKind.Keyword:
        if (VALUE_TYPES.has(t.text)) items.push({ start: t.start, end: t.end, type: 'type', modifiers: 0 });
        else {
          // Control instructions read as keywords, the rest as operators (as the TextMate grammar scopes them).
          const op = opByName(t.text);
          items.push({ start: t.start, end: t.end, type: op && op.code > LAST_CONTROL_OPCODE ? 'operator' : 'keyword', modifiers: 0 });
        }
        break;
      case TokenKind.Id: {
        const occ = occurrences.get(t.start);
        if (occ) {
          const { type, modifiers } = symbolType(occ.unit, occ.symbol, paramCounts.get(occ.unit)!);
          items.push({ start: t.start, end: t.end, type, modifiers: modifiers | (occ.isDefinition ? DECLARATION : 0) });
        } else items.push({ start: t.start, end: t.end, type: 'variable', modifiers: 0 });
        break;
      }
      case TokenKind.Number: items.push({ start: t.start, end: t.end, type: 'number', modifiers: 0 }); break;
      case TokenKind.String: items.push({ start: t.start, end: t.end, type: 'string', modifiers: 0 }); break;
      default: break;
    }
  }
  for (; nextTrivia < trivia.length; nextTrivia++) {
    const c = trivia[nextTrivia]!;
    items.push({ start: c.start, end: c.end, type: c.kind === 'annotation' ? 'decorator' : 'comment', modifiers: 0 });
  }
  return encode(doc, items);
}

function encode(doc: DocumentAnalysis, items: Classified[]): number[] {
  const data: number[] = [];
  let prevLine = 0, prevChar = 0;
  const text = doc.text;
  const emit = (line: number, character: number, length: number, type: TokenType, modifiers: number): void => {
    if (length <= 0) return;
    const deltaLine = line - prevLine;
    data.push(deltaLine, deltaLine === 0 ? character - prevChar : character, length, TYPE_INDEX.get(type)!, modifiers);
    prevLine = line;
    prevChar = character;
  };
  for (const item of items) {
    // Multi-line tokens (block comments, annotations) are split per line: clients need not support them.
    let start = item.start;
    while (start < item.end) {
      let lineEnd = start;
      while (lineEnd < item.end && text.charCodeAt(lineEnd) !== 10 && text.charCodeAt(lineEnd) !== 13) lineEnd++;
      const pos = doc.lines.positionAt(start);
      emit(pos.line, pos.character, lineEnd - start, item.type, item.modifiers);
      start = lineEnd;
      while (start < item.end && (text.charCodeAt(start) === 10 || text.charCodeAt(start) === 13)) start++;
    }
  }
  return data;
}
