// `wasmscope run [--invoke NAME] [--dir HOST[::GUEST]]... [--env K=V]... FILE [ARGS...]`:
// exits with the program's exit code; an invoked export's results are printed one per line; a
// trap prints its message and a backtrace of function names and offsets, and exits 134 as
// wasmtime does (128 + SIGABRT).
import { Trap } from '../engine/index.js';
import { loadProgram, LoadError } from '../loader.js';
import { formatResult, ProgramError, runProgram } from '../program.js';
import { WasmError } from '../wasm/errors.js';
import type { Command } from './main.js';
import { parseProgramCommandLine } from './program-flags.js';

export const TRAP_EXIT_CODE = 134;

export const runCommand: Command = (argv, out, err) => {
  const { file, options } = parseProgramCommandLine(argv);
  try {
    const program = loadProgram(file);
    const outcome = runProgram(program, options);
    for (const r of outcome.results ?? []) out(formatResult(r.type, r.value));
    return outcome.exitCode;
  } catch (e) {
    return reportFailure(e, err);
  }
};

/** Prints why a program could not run or stopped; returns the exit code for it. */
export function reportFailure(e: unknown, err: (line: string) => void): number {
  if (e instanceof Trap) {
    err(`Error: wasm trap: ${e.message}`);
    err('wasm backtrace:');
    e.backtrace.forEach((f, i) => err(`  ${i}: 0x${f.offset.toString(16)} - ${f.name} (function ${f.funcIndex})`));
    return TRAP_EXIT_CODE;
  }
  if (e instanceof LoadError) {
    for (const line of e.lines) err(line);
    return 1;
  }
  if (e instanceof WasmError) {
    err(`Error: ${e.describe()}`);
    return 1;
  }
  if (e instanceof ProgramError) {
    err(`Error: ${e.message}`);
    return 1;
  }
  throw e;
}
