// Loading a program from disk the one way every tool does it: a `.wat` goes through the text front
// end (keeping its source map, so WAT lines map to byte offsets), anything else is read as binary;
// then the one decoder and the one validator. Failures become a LoadError whose lines are
// `file:line:col: error: message` for text and `file: message (at function N, offset 0x..)` for binary.
import { readFileSync } from 'node:fs';
import { decodeModule } from './binary/decode.js';
import { validateModule } from './validate/module.js';
import { WasmError } from './wasm/errors.js';
import type { Module } from './wasm/types.js';
import { assembleText, formatDiagnostic, LineIndex, Severity, spanForOffset, type SourceMap } from './text/index.js';

export interface LoadedProgram {
  path: string;
  bytes: Uint8Array;
  module: Module;
  /** Present for `.wat` input: the text and the offset ↔ text-range map. */
  text?: string;
  sourceMap?: SourceMap;
}

export class LoadError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
    this.name = 'LoadError';
  }
}

export function isTextPath(path: string): boolean {
  return /\.(wat|wast)$/i.test(path);
}

export function loadProgram(path: string): LoadedProgram {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LoadError([`${path}: cannot read: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`]);
  }
  if (isTextPath(path)) return loadText(path, raw.toString('utf8'));
  return loadBinary(path, new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
}

/** Text is assembled with a name section by default, so traces and the debugger show WAT names. */
export function loadText(path: string, text: string, options: { debugNames?: boolean } = { debugNames: true }): LoadedProgram {
  const assembled = assembleText(text, options);
  const errors = assembled.diagnostics.filter((d) => d.severity === Severity.Error);
  if (!assembled.bytes || errors.length > 0) throw new LoadError(errors.map((d) => formatDiagnostic(d, path)));
  const program = loadBinary(path, assembled.bytes, { map: assembled.sourceMap!, lines: assembled.analysis.lines });
  return { ...program, text, sourceMap: assembled.sourceMap };
}

/** A text program's source map with the line index that turns its spans into line/column. */
interface TextOrigin {
  map: SourceMap;
  lines: LineIndex;
}

export function loadBinary(path: string, bytes: Uint8Array, origin?: TextOrigin): LoadedProgram {
  let module: Module;
  try {
    module = decodeModule(bytes);
  } catch (e) {
    if (e instanceof WasmError) throw new LoadError([`${path}: malformed module: ${e.describe()}`]);
    throw e;
  }
  const errors = validateModule(module);
  if (errors.length > 0) {
    throw new LoadError(errors.map((e) => locateValidationError(path, e, origin)));
  }
  return { path, bytes, module };
}

function locateValidationError(path: string, e: WasmError, origin?: TextOrigin): string {
  const offset = e.location?.offset;
  const span = origin && offset !== undefined ? spanForOffset(origin.map, offset) : undefined;
  if (origin && span) {
    const start = origin.lines.rangeOf(span).start;
    return `${path}:${start.line + 1}:${start.character + 1}: error: ${e.message}`;
  }
  return `${path}: invalid module: ${e.describe()}`;
}
