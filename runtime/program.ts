// Running a loaded program the way wasmtime does: WASI preview1 when the module imports it, then
// either `_start` (exit code from proc_exit) or one `--invoke`d export with arguments parsed per
// its parameter types. `wasmscope run`, `wasmscope profile` and the debugger's worker share this
// so a program behaves the same under every tool.
import { basename } from 'node:path';
import { instantiate, invoke, WasmFunction, WasmMemory, type Imports, type Instance, type InstanceOptions } from './engine/index.js';
import { checkWasiImports, createWasi, WASI_MODULE, WasiExit, type Wasi, type WasiOptions } from './wasi/index.js';
import { LinkError } from './wasm/errors.js';
import { ValType, valTypeName, type FuncType, type Module } from './wasm/types.js';
import type { LoadedProgram } from './loader.js';
import { LiteralError, parseIntN } from './text/literals.js';

export interface ProgramOptions {
  /** Guest arguments after the program name (argv[0] is the program's file name). */
  args: string[];
  env: Record<string, string>;
  preopens: { host: string; guest: string }[];
  stdin?: WasiOptions['stdin'];
  stdout?: WasiOptions['stdout'];
  stderr?: WasiOptions['stderr'];
  /** Host functions an embedder provides besides WASI (plain functions, host value convention). */
  hostFunctions?: Record<string, Record<string, (...args: never[]) => unknown>>;
  /** Call this export with these textual arguments instead of `_start`. */
  invoke?: { name: string; args: string[] };
  instanceOptions?: InstanceOptions;
}

export interface ProgramOutcome {
  exitCode: number;
  /** The invoked export's results, host convention, with their types. */
  results?: { type: ValType; value: unknown }[];
}

export class ProgramError extends Error {}

/** `--dir HOST[::GUEST]` as wasmtime spells it; GUEST defaults to HOST. */
export function parsePreopen(spec: string): { host: string; guest: string } {
  const at = spec.indexOf('::');
  return at >= 0 ? { host: spec.slice(0, at), guest: spec.slice(at + 2) } : { host: spec, guest: spec };
}

export function importsWasi(module: Module): boolean {
  return module.imports.some((i) => i.module === WASI_MODULE);
}

/** WASI when the module asks for it; any other import it needs is a link error naming it. */
export function createProgramImports(program: LoadedProgram, options: ProgramOptions): { imports: Imports; wasi?: Wasi } {
  const module = program.module;
  checkWasiImports(module.imports);
  const provided = options.hostFunctions ?? {};
  const foreign = module.imports.find((i) => i.module !== WASI_MODULE && provided[i.module]?.[i.name] === undefined);
  if (foreign) {
    throw new LinkError(`unknown import: ${foreign.module}.${foreign.name} (${foreign.desc.kind}) is not provided by wasmscope; ` +
      `only ${WASI_MODULE} imports can be satisfied from the command line`);
  }
  const imports: Imports = { ...provided };
  const wasi = createProgramWasi(module, {
    argv: [basename(program.path), ...options.args], env: options.env, preopens: options.preopens,
    stdin: options.stdin, stdout: options.stdout, stderr: options.stderr,
  });
  if (!wasi) return { imports };
  imports[WASI_MODULE] = wasi.imports[WASI_MODULE];
  return { imports, wasi };
}

/** What a program's WASI is made of; argv[0] is the program's name. */
export interface ProgramWasiOptions extends Pick<ProgramOptions, 'env' | 'preopens' | 'stdin' | 'stdout' | 'stderr'> {
  argv: string[];
}

/**
 * The one WASI setup of a program, for every tool that runs one (`wasmscope run`, `profile`, the
 * debugger's worker): preview1 when the module imports it, else none; proc_exit ends the run by
 * throwing WasiExit (the caller turns it into the exit code) instead of exiting the process.
 */
export function createProgramWasi(module: Module, options: ProgramWasiOptions): Wasi | undefined {
  if (!importsWasi(module)) return undefined;
  return createWasi({
    args: options.argv, env: options.env, preopens: options.preopens,
    stdin: options.stdin, stdout: options.stdout, stderr: options.stderr, returnOnExit: true,
  });
}

/**
 * Binds WASI to the instance's exported memory (WASI programs export it as `memory`). Without one,
 * `missing: 'link-error'` refuses the program now; `'on-use'` lets it run, as wasmtime does, and a
 * WASI call that needs the memory then fails (UnboundMemoryError), which a debugger reports there.
 */
export function bindWasiMemory(wasi: Wasi, instance: Instance, missing: 'link-error' | 'on-use' = 'link-error'): void {
  const memory = instance.exports.get('memory');
  if (memory instanceof WasmMemory) wasi.bindMemory(() => memory.buffer);
  else if (missing === 'link-error') throw new LinkError('a WASI program must export its memory as "memory"');
}

export function runProgram(program: LoadedProgram, options: ProgramOptions): ProgramOutcome {
  const { imports, wasi } = createProgramImports(program, options);
  try {
    let instance: Instance;
    try {
      instance = instantiate(program.module, imports, options.instanceOptions);
    } catch (e) {
      if (e instanceof WasiExit) return { exitCode: e.code };
      throw e;
    }
    if (wasi) bindWasiMemory(wasi, instance);
    return callEntry(instance, options);
  } finally {
    wasi?.close();
  }
}

/** Runs `_start` or the `--invoke` export of an instance; WASI's proc_exit becomes the exit code. */
export function callEntry(instance: Instance, options: Pick<ProgramOptions, 'invoke'>): ProgramOutcome {
  const name = options.invoke?.name ?? '_start';
  const fn = instance.exports.get(name);
  if (!(fn instanceof WasmFunction)) {
    const exported = [...instance.exports].filter(([, v]) => v instanceof WasmFunction).map(([k]) => k);
    throw new ProgramError(options.invoke
      ? `no exported function "${name}"; exported functions: ${exported.join(', ') || '(none)'}`
      : `the module has no "_start" export; choose a function with --invoke NAME (exported: ${exported.join(', ') || '(none)'})`);
  }
  const args = options.invoke ? parseArguments(fn.type, options.invoke.args) : [];
  if (!options.invoke && fn.type.params.length > 0) throw new ProgramError('"_start" must take no parameters');
  try {
    const values = invoke(fn, args);
    return { exitCode: 0, results: values.map((value, i) => ({ type: fn.type.results[i]!, value })) };
  } catch (e) {
    if (e instanceof WasiExit) return { exitCode: e.code };
    throw e;
  }
}

export function parseArguments(type: FuncType, texts: string[]): unknown[] {
  if (texts.length !== type.params.length) {
    throw new ProgramError(`expected ${type.params.length} argument(s) (${type.params.map(valTypeName).join(' ')}), got ${texts.length}`);
  }
  return type.params.map((t, i) => parseValue(t, texts[i]!));
}

/** A command-line value for a parameter: decimal or 0x-hex integers, floats incl. nan and inf. */
export function parseValue(type: ValType, text: string): unknown {
  const bad = () => new ProgramError(`cannot read "${text}" as ${valTypeName(type)}`);
  switch (type) {
    // The text format's integer syntax and ranges (the same reader as the debugger's values).
    case ValType.I32:
    case ValType.I64:
      try {
        const v = parseIntN(text, type === ValType.I32 ? 32 : 64);
        return type === ValType.I32 ? Number(v) : v;
      } catch (e) {
        if (e instanceof LiteralError) throw bad();
        throw e;
      }
    case ValType.F32:
    case ValType.F64: {
      const t = text.toLowerCase();
      const v = t === 'nan' ? NaN : t === 'inf' || t === '+inf' ? Infinity : t === '-inf' ? -Infinity : Number(text);
      if (Number.isNaN(v) && t !== 'nan') throw bad();
      return type === ValType.F32 ? Math.fround(v) : v;
    }
    default:
      throw new ProgramError(`cannot pass a ${valTypeName(type)} argument from the command line`);
  }
}

/** Results as wasmtime prints them: one per line, integers in decimal, floats shortest. */
export function formatResult(type: ValType, value: unknown): string {
  if (value instanceof Uint8Array) return `0x${Array.from(value).reverse().map((b) => b.toString(16).padStart(2, '0')).join('')}`;
  if (value instanceof WasmFunction) return `funcref(${value.index})`;
  if (value === null) return type === ValType.FuncRef || type === ValType.ExternRef ? 'null' : String(value);
  return String(value);
}
