// The text pipeline for one module: parse → resolve → assemble, each stage appending to one
// diagnostic list. Used by the language server, `wasmscope check`, the debugger and the .wast
// script layer (quote modules).
import { DiagnosticSink, LineIndex, Severity, type Diagnostic } from './diagnostics.js';
import { bareModule, parseModuleText, parseTree, moduleFromList, type ParsedText } from './parser.js';
import { resolveModule, type ResolvedModule } from './resolve.js';
import { assembleModule, type AssembleOptions, type SourceMap } from './assembler.js';
import type { ModuleNode } from './ast.js';

export interface ModuleAnalysis {
  text: string;
  lines: LineIndex;
  /** Concrete tree and tokens. */
  parsed: ParsedText;
  module: ModuleNode;
  resolved: ResolvedModule;
  /** Parse and name diagnostics (assembly adds none for a module that resolved cleanly). */
  diagnostics: Diagnostic[];
  /** False when a syntax or name error makes the module unassemblable. */
  ok: boolean;
}

/** Parses and resolves a .wat text; never throws. */
export function analyzeModule(text: string): ModuleAnalysis {
  const { module, parsed, sink } = parseModuleText(text);
  const resolved = resolveModule(module, sink);
  return {
    text, lines: parsed.lines, parsed, module, resolved, diagnostics: sink.toDiagnostics(parsed.lines),
    ok: sink.errorCount === 0,
  };
}

export interface AssembledText {
  bytes?: Uint8Array;
  sourceMap?: SourceMap;
  diagnostics: Diagnostic[];
  analysis: ModuleAnalysis;
}

/** Parses, resolves and assembles a .wat text. `bytes` is absent when there were errors. */
export function assembleText(text: string, options?: AssembleOptions): AssembledText {
  const analysis = analyzeModule(text);
  if (!analysis.ok) return { diagnostics: analysis.diagnostics, analysis };
  const sink = new DiagnosticSink();
  const { bytes, sourceMap } = assembleModule(analysis.resolved, sink, options);
  const diagnostics = analysis.diagnostics.concat(sink.toDiagnostics(analysis.lines));
  if (diagnostics.some((d) => d.severity === Severity.Error)) return { diagnostics, analysis };
  return { bytes, sourceMap, diagnostics, analysis };
}

/** The entry point the .wast harness uses for `(module quote ...)` text. */
export function assembleModuleText(text: string, options?: AssembleOptions): { bytes?: Uint8Array; diagnostics: Diagnostic[] } {
  const { bytes, diagnostics } = assembleText(text, options);
  return { bytes, diagnostics };
}

/**
 * Assembles a `(module ...)` list (its `(` row) inside a larger text (a .wast script), or with
 * 'bare' the whole text as module fields; spans stay absolute.
 */
export function assembleModuleList(parsed: ParsedText, list: number | 'bare', options?: AssembleOptions): { bytes?: Uint8Array; diagnostics: Diagnostic[] } {
  const sink = new DiagnosticSink();
  const module = list === 'bare'
    ? bareModule(parsed.tokens, 0, parsed.tokens.count, sink, { start: 0, end: parsed.text.length })
    : moduleFromList(parsed.tokens, list, sink);
  const resolved = resolveModule(module, sink);
  if (sink.errorCount > 0) return { diagnostics: sink.toDiagnostics(parsed.lines) };
  const { bytes } = assembleModule(resolved, sink, options);
  return { bytes: sink.errorCount ? undefined : bytes, diagnostics: sink.toDiagnostics(parsed.lines) };
}

export { parseTree };
