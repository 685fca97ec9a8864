// Public entry points of the WAT/WAST front end. Every caller (language server, debugger,
// `wasmscope check`, spec harness) goes through these: one parser, one resolver, one assembler.
//
//   parseModule(text)        → ModuleAnalysis: tokens, concrete tree, module AST, resolved index
//                              spaces + symbol table, parse/name diagnostics (never throws)
//   assembleText(text)       → bytes + source map (+ diagnostics); bytes absent on errors
//   assembleModuleText(text) → { bytes?, diagnostics } for `(module quote ...)`
//   checkText(text, file)    → all diagnostics incl. validation, mapped to text ranges
//   parseWast(text, file)    → .wast commands for the spec harness
export type { Diagnostic, Position, Range, Span } from './diagnostics.js';
export { Severity, LineIndex, DiagnosticSink, formatDiagnostic } from './diagnostics.js';
export { TokenKind, type Token, type LexResult } from './lexer.js';
export { isList, headKeyword, flattenTokens, openParenSpan, closeParenSpan, type SList, type SNode } from './sexpr.js';
export type * from './ast.js';
export { InstrTable, InstrSeq } from './instr-table.js';
export { SymbolTable, type SymbolInfo, type SymbolReference } from './symbols.js';
export { resolveModule, type ResolvedModule, type ElemEntry, type DataEntry } from './resolve.js';
export { assembleModule, type SourceMap, type InstrMapping, type FuncMapping, type AssembleOptions, type AssembleResult } from './assembler.js';
export { parseTree, parseModuleText, type ParsedText, type ModuleParse } from './parser.js';
export {
  analyzeModule as parseModule, analyzeModule, assembleText, assembleModuleText, type ModuleAnalysis, type AssembledText,
} from './module-text.js';
export { checkText, hasErrors, type CheckResult } from './check.js';
export { spanForOffset, rangeForOffset, instrAtOffset, instrsOnLine, nextCodeLine } from './source-map.js';
export { floorInstr, type InstrColumns } from './instr-map.js';
export { parseWast } from './wast.js';
export type * from './wast-types.js';
