// Runs a WASI fixture on our own engine, through the same runProgram that `wasmscope run` uses.

import { join } from 'node:path';
import { loadBinary, loadProgram } from '../../../runtime/loader.js';
import { runProgram } from '../../../runtime/program.js';
import { FIXTURES, type RunResult, type RunSpec } from './harness.js';

/** Our WASI on our engine, through the same runProgram that `wasmscope run` uses. */
export function runOnEngine(name: string, spec: RunSpec): RunResult {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const program = loadProgram(join(FIXTURES, `${name}.wasm`));
  let exit: number | 'trap';
  try {
    // runProgram names argv[0] after the file; the fixtures' argv[0] is the bare fixture name.
    exit = runProgram({ ...program, path: name }, {
      args: spec.args.slice(1), env: spec.env ?? {}, preopens: spec.preopens ?? [],
      stdin: spec.stdin ?? new Uint8Array(0), stdout: (b) => out.push(b), stderr: (b) => err.push(b),
    }).exitCode;
  } catch (error) {
    if ((error as { kind?: string }).kind !== 'trap') throw error;
    exit = 'trap';
  }
  return { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), exit };
}

/** Links a module against our WASI on our engine the way `wasmscope run` does; returns the error. */
export function linkErrorOnEngine(bytes: Uint8Array): unknown {
  try {
    runProgram(loadBinary('unknown-import.wasm', bytes), { args: [], env: {}, preopens: [] });
  } catch (error) {
    return error;
  }
  return undefined;
}
