// checkText: the whole front end plus the one decoder and validator, with every error mapped back
// to text. Validator errors carry absolute byte offsets; the assembler's source map turns them
// into the range of the instruction (or module field) that produced those bytes.
import { DiagnosticSink, Severity, type Diagnostic, type Span } from './diagnostics.js';
import { analyzeModule, type ModuleAnalysis } from './module-text.js';
import { assembleModule, type SourceMap } from './assembler.js';
import { spanForOffset } from './source-map.js';

export { spanForOffset };
import { decodeModule } from '../binary/decode.js';
import { validateModule, type ValidationObserver } from '../validate/module.js';
import { DecodeError, WasmError } from '../wasm/errors.js';
import type { Module } from '../wasm/types.js';

export interface CheckResult {
  /** Syntax, name and validation errors, in text order. */
  diagnostics: Diagnostic[];
  analysis: ModuleAnalysis;
  /** Present when the text assembled. */
  bytes?: Uint8Array;
  sourceMap?: SourceMap;
  /**
   * Present when the module decoded. Its function bodies are decoded when read: a malformed body is
   * among the diagnostics (with the validation errors of the rest of the module), and reading its
   * `body` throws that DecodeError.
   */
  module?: Module;
}

/** Parse, resolve, assemble, decode and validate a .wat text; never throws. */
export function checkText(text: string, fileName = '<input>', observer?: ValidationObserver): CheckResult {
  // Diagnostics carry ranges only; callers format them with the file name (formatDiagnostic).
  void fileName;
  const analysis = analyzeModule(text);
  if (!analysis.ok) return { diagnostics: analysis.diagnostics, analysis };
  const sink = new DiagnosticSink();
  const { bytes, sourceMap } = assembleModule(analysis.resolved, sink);
  const whole: Span = analysis.module.span;
  const report = (e: WasmError): void => {
    const span = e.location ? spanForOffset(sourceMap, e.location.offset) ?? whole : whole;
    sink.error(span, e.kind === 'malformed' ? 'malformed' : 'invalid', e.message);
  };
  let module: Module | undefined;
  try {
    // Validation reads each body once and most checks never again: bodies are not kept.
    module = decodeModule(bytes, { bodies: 'on-demand' });
  } catch (e) {
    // The assembler only writes well-formed binaries, but the text can still ask for something
    // the binary format rejects (e.g. too many locals); report it rather than crash.
    if (e instanceof DecodeError) report(e);
    else throw e;
  }
  if (module) for (const error of validateModule(module, observer)) report(error);
  const diagnostics = analysis.diagnostics.concat(sink.toDiagnostics(analysis.lines));
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { diagnostics, analysis, bytes, sourceMap, module };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === Severity.Error);
}
