// Public entry points of the WAT/WAST front end. Every caller (language server, debugger,
// `wasmscope check`, spec harness) goes through these: one parser, one resolver, one assembler.
export type { Diagnostic, Position, Range, Span } from './diagnostics.js';
export { Severity, LineIndex, formatDiagnostic } from './diagnostics.js';
export { TokenKind, type Token, type LexResult } from './lexer.js';
export { isList, headKeyword, type SList, type SNode } from './sexpr.js';
export type * from './ast.js';
export { SymbolTable, type SymbolInfo, type SymbolReference } from './symbols.js';
export type { ResolvedModule, ElemEntry, DataEntry } from './resolve.js';
export type { SourceMap, InstrMapping, FuncMapping, AssembleOptions } from './assembler.js';
export type { ParsedText } from './parser.js';
export {
  analyzeModule as parseModule, analyzeModule, assembleText, assembleModuleText, type ModuleAnalysis, type AssembledText,
} from './module-text.js';
export type * from './wast-types.js';
