// Turns a launch configuration into what the engine needs (bytes, imports, entry) plus what the
// adapter needs to show it (the decoded module and a line map), or a LaunchError whose message
// is shown to the user as the failed launch. Every check that can be made without running code is
// made here, so a wrong configuration fails the launch at once instead of hanging a session.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, resolve } from 'node:path';
import type { ImportsSpec, SessionLoadOptions } from '../runtime/engine/debug-api.js';
import { decodeModule } from '../runtime/binary/decode.js';
import { WasmError } from '../runtime/wasm/errors.js';
import { importCounts, type FuncType, type Module } from '../runtime/wasm/types.js';
import { assembleText, formatDiagnostic, Severity, spanForOffset } from '../runtime/text/index.js';
import { validateModule } from '../runtime/validate/module.js';
import { checkWasiImports, WASI_MODULE } from '../runtime/wasi/index.js';
import { parseValue } from '../runtime/engine/debug-values.js';
import { attachDwarf, type DwarfInfo } from './dwarf/index.js';
import { SourceLines, type FunctionExtent, type LineEntry } from './source-lines.js';
import { SingleDocumentProvider, type SourceDocument, type SourceProvider } from './source-provider.js';
import { PrintedLines } from './printed-lines.js';
import { LazyListing } from './wasm-listing.js';

/** The `wasmscope` launch configuration (see package.json `contributes.debuggers`). */
export interface LaunchArguments {
  program?: string;
  args?: string[];
  env?: Record<string, string>;
  /** WASI preopens, `HOST` or `HOST::GUEST`, HOST relative to cwd. */
  dirs?: string[];
  cwd?: string;
  stopOnEntry?: boolean;
  invoke?: { name: string; args?: (string | number)[] };
  stdin?: string;
  trace?: boolean;
  profile?: boolean;
  /** DWARF build-path prefix → local prefix, to find a C/C++/Rust program's sources. */
  pathMap?: Record<string, string>;
}

/** A launch error lists at most this many validation errors (the first ones matter most). */
const MAX_REPORTED_ERRORS = 20;

export class LaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LaunchError';
  }
}

export interface Program {
  path: string;
  kind: 'wat' | 'wasm';
  bytes: Uint8Array;
  module: Module;
  /** The document the user steps through: the .wat itself, or generated text for a .wasm. */
  text: string;
  /** True when `text` was generated (shown through a DAP sourceReference, read-only). */
  generated: boolean;
  /** The line table of `text`. */
  lines: SourceLines;
  /** What the adapter steps through: `text` as one document (a DWARF provider could replace it). */
  sources: SourceProvider;
}

/** The DAP sourceReference of a .wasm's generated document (one program per session). */
export const GENERATED_SOURCE_REFERENCE = 1;

export interface LaunchPlan {
  program: Program;
  imports: ImportsSpec;
  options: SessionLoadOptions;
  /** The export that runs, for messages. */
  entryName: string | undefined;
  /** True when no entry was configured and the module's only exported function was chosen. */
  autoEntry: boolean;
  /** The program's DWARF, when its module has any (its sources are then in `program.sources`). */
  dwarf?: DwarfInfo;
  /**
   * Set when validation was deferred (`deferValidation`): throws the LaunchError of an invalid
   * module. The plan must not be run, nor its errors trusted, before this returns.
   */
  validate?: () => void;
}

export interface PrepareOptions {
  /**
   * Leave a .wasm's validation to `plan.validate()`, so that the caller can start the engine's
   * load (decode and compile in its worker) first and validate meanwhile on this thread.
   */
  deferValidation?: boolean;
}

/** Reads, assembles (for .wat), decodes and validates a program; throws LaunchError with located messages. */
export function loadProgram(path: string): Program {
  const { program, validate } = readProgram(path);
  validate();
  return program;
}

/**
 * loadProgram with a .wasm's validation left to `validate` (idempotent; throws the LaunchError).
 * A .wat is validated at once: its errors are located through the assembler's source map.
 */
function readProgram(path: string): { program: Program; validate: () => void } {
  if (!existsSync(path)) throw new LaunchError(`program not found: ${path}`);
  if (!statSync(path).isFile()) throw new LaunchError(`program is not a file: ${path}`);
  if (extname(path) === '.wast') {
    // A script holds many modules and assertions: there is no one program to run.
    throw new LaunchError(`${path}: a .wast script is a test script, not a program (run it with ` +
      '`wasmscope spec`); to debug one of its modules, put that module in a .wat file');
  }
  const raw = readFileSync(path);
  const looksBinary = raw.length >= 4 && raw[0] === 0 && raw[1] === 0x61 && raw[2] === 0x73 && raw[3] === 0x6d;
  const isText = !looksBinary && extname(path) !== '.wasm';
  if (isText) return { program: loadText(path, raw.toString('utf8')), validate: () => undefined };
  let module: Module;
  try {
    module = decodeModule(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
  } catch (e) {
    throw new LaunchError(`${path}: ${e instanceof WasmError ? e.describe() : String(e)}`);
  }
  let validated: LaunchError | null | undefined;
  const validate = (): void => {
    if (validated === undefined) {
      const errors = validateModule(module);
      validated = errors.length === 0 ? null
        : new LaunchError(errors.slice(0, MAX_REPORTED_ERRORS).map((e) => `${path}: ${e.describe()}`).join('\n'));
    }
    if (validated) throw validated;
  };
  // Printed when first needed (see LazyListing): `text` and `lines` are getters onto it. The
  // session's line questions are answered function by function (PrintedLines), so a stop in a
  // large module does not print all of it.
  const listing = new LazyListing(module);
  const document: SourceDocument = { id: `ref:${GENERATED_SOURCE_REFERENCE}`, name: `${basename(path)} (disassembly)`,
    sourceReference: GENERATED_SOURCE_REFERENCE, get text() { return listing.text; } };
  const program: Program = {
    path, kind: 'wasm', bytes: module.bytes, module, generated: true,
    get text() { return listing.text; },
    get lines() { return listing.lines; },
    sources: new SingleDocumentProvider(document, new PrintedLines(module)),
  };
  return { program, validate };
}

function loadText(path: string, text: string): Program {
  // debugNames: the name section carries the WAT `$ids`, so locals, functions and globals are
  // shown and found by the names the user wrote.
  const assembled = assembleText(text, { debugNames: true });
  const errors = assembled.diagnostics.filter((d) => d.severity === Severity.Error);
  if (!assembled.bytes || !assembled.sourceMap || errors.length > 0) {
    const shown = (errors.length ? errors : assembled.diagnostics).map((d) => formatDiagnostic(d, path));
    throw new LaunchError(shown.join('\n') || `${path}: the module could not be assembled`);
  }
  let module: Module;
  try {
    module = decodeModule(assembled.bytes);
  } catch (e) {
    throw new LaunchError(`${path}: assembled module does not decode: ${e instanceof WasmError ? e.describe() : String(e)}`);
  }
  const lineIndex = assembled.analysis.lines;
  const invalid = validateModule(module);
  if (invalid.length > 0) {
    const sourceMap = assembled.sourceMap;
    throw new LaunchError(invalid.slice(0, MAX_REPORTED_ERRORS).map((e) => {
      const span = e.location ? spanForOffset(sourceMap, e.location.offset) : undefined;
      const at = lineIndex.positionAt(span?.start ?? 0);
      return `${path}:${at.line + 1}:${at.character + 1}: error: ${e.message}`;
    }).join('\n'));
  }
  addTextNames(module, assembled.analysis.resolved.symbols.symbols);
  const entries: LineEntry[] = assembled.sourceMap.instrs.map((m) => {
    const r = lineIndex.rangeOf(m.span);
    return { offset: m.offset, funcIndex: m.funcIndex, line: r.start.line, column: r.start.character,
      endLine: r.end.line, endColumn: r.end.character };
  });
  const functions: FunctionExtent[] = assembled.sourceMap.funcs.map((f) => {
    const r = lineIndex.rangeOf(f.span);
    return { funcIndex: f.funcIndex, startLine: r.start.line, endLine: r.end.line, codeStart: f.codeStart, end: f.end };
  });
  const lines = new SourceLines(entries, functions);
  return { path, kind: 'wat', bytes: assembled.bytes, module, text, generated: false, lines,
    sources: new SingleDocumentProvider({ id: path, name: basename(path), path }, lines) };
}

/**
 * The name section the assembler writes has function and local names only; globals, tables,
 * memories and segments get their `$ids` from the text's symbol table so they are shown (and
 * found by the evaluator) under the names the user wrote.
 */
function addTextNames(m: Module, symbols: readonly { space: string; index: number; name?: string }[]): void {
  const maps: Record<string, Map<number, string>> = {
    func: m.names.funcs, global: m.names.globals, table: m.names.tables, memory: m.names.memories,
    elem: m.names.elems, data: m.names.datas,
  };
  for (const s of symbols) {
    const map = maps[s.space];
    if (!map || s.name === undefined || map.has(s.index)) continue;
    map.set(s.index, s.name.startsWith('$') ? s.name.slice(1) : s.name);
  }
}

/** Every import must be something the session provides: WASI preview1 functions only. */
export function checkImports(m: Module): void {
  for (const imp of m.imports) {
    if (imp.module !== WASI_MODULE) {
      throw new LaunchError(`unknown import "${imp.module}.${imp.name}" (${imp.desc.kind}, at offset 0x${imp.offset
        .toString(16)}): wasmscope provides only ${WASI_MODULE} imports`);
    }
    if (imp.desc.kind !== 'func') {
      throw new LaunchError(`unknown import "${imp.module}.${imp.name}": ${WASI_MODULE} exports no ${imp.desc.kind}s`);
    }
  }
  try {
    checkWasiImports(m.imports);
  } catch (e) {
    throw new LaunchError(e instanceof Error ? e.message : String(e));
  }
}

function resolveFrom(cwd: string, p: string): string {
  return isAbsolute(p) ? p : resolve(cwd, p);
}

/**
 * Validates a launch configuration and builds the engine's load request. Async so that source
 * providers needing a symbol engine (DWARF) can be loaded here.
 */
export async function prepareLaunch(args: LaunchArguments, log: (message: string) => void = () => undefined,
  options: PrepareOptions = {}): Promise<LaunchPlan> {
  if (typeof args.program !== 'string' || args.program.trim() === '') {
    throw new LaunchError('launch configuration has no "program": set it to a .wasm or .wat file');
  }
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  if (args.cwd && !existsSync(cwd)) throw new LaunchError(`cwd does not exist: ${args.cwd}`);
  if (args.args !== undefined && (!Array.isArray(args.args) || args.args.some((a) => typeof a !== 'string'))) {
    throw new LaunchError('"args" must be an array of strings');
  }
  const path = resolveFrom(cwd, args.program);
  const { program, validate } = readProgram(path);
  if (!options.deferValidation) validate();
  try {
    const plan = await planLaunch(args, cwd, path, program, log);
    return options.deferValidation ? { ...plan, validate } : plan;
  } catch (e) {
    // An invalid module's own errors come first, as when validation is not deferred (and the
    // checks below may trip over what validation would have refused, e.g. a bad type index).
    validate();
    throw e;
  }
}

async function planLaunch(args: LaunchArguments, cwd: string, path: string, program: Program,
  log: (message: string) => void): Promise<LaunchPlan> {
  checkImports(program.module);

  const preopens: Record<string, string> = {};
  for (const spec of args.dirs ?? []) {
    const sep = spec.indexOf('::');
    const host = sep >= 0 ? spec.slice(0, sep) : spec;
    const guest = sep >= 0 ? spec.slice(sep + 2) : spec;
    const hostPath = resolveFrom(cwd, host);
    if (!existsSync(hostPath) || !statSync(hostPath).isDirectory()) {
      throw new LaunchError(`dirs: "${host}" is not a directory (resolved to ${hostPath})`);
    }
    preopens[guest] = hostPath;
  }
  let stdin: Uint8Array | undefined;
  if (args.stdin !== undefined) {
    const stdinPath = resolveFrom(cwd, args.stdin);
    if (!existsSync(stdinPath)) throw new LaunchError(`stdin file not found: ${stdinPath}`);
    stdin = new Uint8Array(readFileSync(stdinPath));
  }

  const m = program.module;
  const options: SessionLoadOptions = { stopOnEntry: args.stopOnEntry === true };
  let entryName: string | undefined;
  if (args.invoke) {
    const { name } = args.invoke;
    const exp = m.exports.find((e) => e.name === name);
    const funcExports = m.exports.filter((e) => e.kind === 'func').map((e) => e.name);
    if (!exp) throw new LaunchError(`invoke: no export named "${name}" (function exports: ${funcExports.join(', ') || 'none'})`);
    if (exp.kind !== 'func') throw new LaunchError(`invoke: export "${name}" is a ${exp.kind}, not a function`);
    const type = typeOfFunction(m, exp.index);
    const given = args.invoke.args ?? [];
    if (type && given.length !== type.params.length) {
      throw new LaunchError(`invoke: "${name}" takes ${type.params.length} argument(s), ${given.length} given`);
    }
    // Checked here with the engine's own parser: a bad argument must fail the launch, not the run.
    given.forEach((arg, i) => {
      try {
        parseValue(type!.params[i]!, String(arg));
      } catch (e) {
        throw new LaunchError(`invoke: argument ${i + 1} of "${name}": ${(e as Error).message}`);
      }
    });
    options.entry = name;
    options.entryArgs = given.map(String);
    entryName = name;
  } else if (m.exports.some((e) => e.name === '_start' && e.kind === 'func')) {
    options.entry = '_start';
    entryName = '_start';
  } else if (soleEntry(m) !== undefined) {
    // F5 on a small module: its only exported function that takes nothing is the obvious entry.
    entryName = soleEntry(m)!;
    options.entry = entryName;
    options.entryArgs = [];
  } else if (m.start === undefined) {
    const funcExports = m.exports.filter((e) => e.kind === 'func').map((e) => e.name);
    throw new LaunchError(`${basename(path)} has no _start export and no start function: set "invoke" to one of ` +
      `its exports (${funcExports.join(', ') || 'none'})`);
  }
  const imports: ImportsSpec = {
    wasi: { args: [basename(path), ...(args.args ?? [])], env: { ...(args.env ?? {}) }, preopens,
      ...(stdin ? { stdin } : {}) },
  };
  // Last: everything above can fail the launch, and loading DWARF may start a symbol engine.
  const dwarf = program.kind === 'wasm' ? await attachDwarf(program, { pathMap: args.pathMap, log }) : undefined;
  return { program, imports, options, entryName, autoEntry: !args.invoke && entryName !== undefined && entryName !== '_start',
    ...(dwarf ? { dwarf } : {}) };
}

/** The name of the module's only exported function, if it takes no parameters. */
function soleEntry(m: Module): string | undefined {
  const funcs = m.exports.filter((e) => e.kind === 'func');
  if (funcs.length !== 1) return undefined;
  return typeOfFunction(m, funcs[0]!.index)?.params.length === 0 ? funcs[0]!.name : undefined;
}

function typeOfFunction(m: Module, funcIndex: number): FuncType | undefined {
  const imported = importCounts(m).funcs;
  if (funcIndex < imported) {
    const imp = m.imports.filter((i) => i.desc.kind === 'func')[funcIndex];
    return imp && imp.desc.kind === 'func' ? m.types[imp.desc.typeIndex] : undefined;
  }
  const fn = m.funcs[funcIndex - imported];
  return fn ? m.types[fn.typeIndex] : undefined;
}
