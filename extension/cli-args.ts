// Command lines for the wasmscope CLI (bin/wasmscope.ts, bundled to dist/wasmscope.js). The
// extension never links the engine: everything goes through these commands in a child process, so
// this file is the whole contract between the editor and the toolkit. Pure (no `vscode` import) so
// test/extension/ can check it.
import * as path from 'node:path';

/** Where the bundled CLI sits inside the installed extension (or the repository in development). */
export function cliPath(extensionRoot: string): string {
  return path.join(extensionRoot, 'dist', 'wasmscope.js');
}

export interface RunOptions {
  /** Directories to preopen for WASI, "HOST" or "HOST::GUEST". */
  dirs: readonly string[];
  args?: readonly string[];
}

function dirArgs(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) => ['--dir', dir]);
}

/** `wasmscope run [--dir D]... FILE [ARGS...]` */
export function runArgs(cli: string, program: string, options: RunOptions): string[] {
  return [cli, 'run', ...dirArgs(options.dirs), program, ...(options.args ?? [])];
}

export type ProfileMode = 'interp' | 'native';

/** The .cpuprofile a profile run writes, beside the program so reruns replace it. */
export function profileOutput(program: string): string {
  return program.replace(/\.(wasm|wat)$/i, '') + '.cpuprofile';
}

/**
 * `wasmscope profile --json --mode M --out X.cpuprofile [--dir D]... FILE [ARGS...]`: with --json the
 * CLI prints its report as JSON after the program's own output (see splitProfileOutput).
 */
export function profileArgs(cli: string, program: string, mode: ProfileMode, options: RunOptions): string[] {
  return [cli, 'profile', '--json', '--mode', mode, '--out', profileOutput(program), ...dirArgs(options.dirs), program, ...(options.args ?? [])];
}

/** `wasmscope wat2wasm FILE.wat -o FILE.wasm` */
export function wat2wasmArgs(cli: string, watFile: string): { args: string[]; output: string } {
  const output = watFile.replace(/\.wat$/i, '') + '.wasm';
  return { args: [cli, 'wat2wasm', watFile, '-o', output], output };
}

/** `wasmscope wasm2wat FILE.wasm` (text on stdout) */
export function wasm2watArgs(cli: string, wasmFile: string): string[] {
  return [cli, 'wasm2wat', wasmFile];
}

/** `wasmscope lsp` (the language client appends `--stdio` itself). */
export function lspArgs(cli: string): string[] {
  return [cli, 'lsp'];
}

/** `wasmscope dap` (Debug Adapter Protocol on stdin/stdout). */
export function dapArgs(cli: string): string[] {
  return [cli, 'dap'];
}
