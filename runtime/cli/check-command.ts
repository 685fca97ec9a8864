// `wasmscope check [--json] FILE...`: every diagnostic of every file, `FILE:LINE:COL: error: MESSAGE`
// for text (.wat, .wast) and `FILE: error: MESSAGE (at function N, offset 0x..)` for binaries;
// exit status 1 when there is any error. Binaries get all their validation errors, not the first.
import { readFileSync } from 'node:fs';
import { decodeModule } from '../binary/decode.js';
import { validateModule } from '../validate/module.js';
import { WasmError } from '../wasm/errors.js';
import { checkText, formatDiagnostic, parseWast, Severity, type Diagnostic } from '../text/index.js';
import { UsageError, parseArgs } from './args.js';
import type { Command } from './main.js';

interface Finding {
  file: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  code?: string;
  /** Text files: 1-based start and end. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Binary files. */
  offset?: number;
  funcIndex?: number;
  /** The line as printed without --json. */
  text: string;
}

function fromDiagnostic(file: string, d: Diagnostic): Finding {
  return {
    file, message: d.message, code: d.code,
    severity: d.severity === Severity.Error ? 'error' : d.severity === Severity.Warning ? 'warning' : 'info',
    line: d.range.start.line + 1, column: d.range.start.character + 1,
    endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
    text: formatDiagnostic(d, file),
  };
}

function fromWasmError(file: string, e: WasmError): Finding {
  return {
    file, severity: 'error', message: e.message, code: e.kind,
    offset: e.location?.offset, funcIndex: e.location?.funcIndex,
    text: `${file}: error: ${e.describe()}`,
  };
}

export function checkFile(file: string): Finding[] {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (e) {
    return [{ file, severity: 'error', message: `cannot read: ${(e as Error).message}`, text: `${file}: error: cannot read: ${(e as Error).message}` }];
  }
  if (/\.wast$/i.test(file)) return parseWast(raw.toString('utf8'), file).diagnostics.map((d) => fromDiagnostic(file, d));
  if (/\.wat$/i.test(file)) return checkText(raw.toString('utf8'), file).diagnostics.map((d) => fromDiagnostic(file, d));
  try {
    const module = decodeModule(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    return validateModule(module).map((e) => fromWasmError(file, e));
  } catch (e) {
    if (e instanceof WasmError) return [fromWasmError(file, e)];
    throw e;
  }
}

export const checkCommand: Command = (argv, out) => {
  const args = parseArgs(argv, { json: {} });
  if (args.positionals.length === 0) throw new UsageError('check: give at least one file');
  const findings = args.positionals.flatMap(checkFile);
  if (args.flags.has('json')) {
    out(JSON.stringify(findings.map(({ text: _text, ...f }) => f), null, 2));
  } else {
    for (const f of findings) out(f.text);
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
};
