// Runs a WASI fixture on our WASI (in-process, on Node's WebAssembly) and on node:wasi (in a child
// process, the reference), capturing stdout, stderr and the exit code of each. The run on our own
// engine is in engine-harness.ts, so tests of WASI alone do not load the engine.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWasi, type WasiOptions } from '../../../runtime/wasi/index.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/wasi/', import.meta.url));

export interface RunSpec {
  args: string[];
  env?: Record<string, string>;
  preopens?: { host: string; guest: string }[];
  stdin?: Uint8Array;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  /** Exit code, or 'trap' when the guest trapped. */
  exit: number | 'trap';
}

const modules = new Map<string, WebAssembly.Module>();
export function fixtureModule(name: string): WebAssembly.Module {
  let module = modules.get(name);
  if (!module) {
    module = new WebAssembly.Module(readFileSync(join(FIXTURES, `${name}.wasm`)));
    modules.set(name, module);
  }
  return module;
}

export function runOurs(name: string, spec: RunSpec, extra: Partial<WasiOptions> = {}): RunResult {
  const out: Uint8Array[] = [];
  const err: Uint8Array[] = [];
  const wasi = createWasi({
    args: spec.args, env: spec.env ?? {}, preopens: spec.preopens ?? [],
    stdin: spec.stdin ?? new Uint8Array(0),
    stdout: (b) => out.push(b), stderr: (b) => err.push(b), ...extra,
  });
  const instance = new WebAssembly.Instance(fixtureModule(name), wasi.imports);
  const exports = instance.exports as unknown as { _start(): unknown; memory: WebAssembly.Memory };
  let exit: number | 'trap';
  try {
    wasi.bindMemory(() => exports.memory.buffer);
    exit = wasi.start(exports);
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    exit = 'trap';
  } finally {
    wasi.close();
  }
  return { stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), exit };
}

// The reference runs in a child so its stdio is real fds we can capture.
const NODE_WASI_RUNNER = `
import { WASI } from 'node:wasi';
import { readFileSync, writeSync } from 'node:fs';
const spec = JSON.parse(process.argv[1]);
const wasi = new WASI({ version: 'preview1', args: spec.args, env: spec.env, preopens: spec.preopens, returnOnExit: true });
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(spec.wasm)), wasi.getImportObject());
let code;
try { code = wasi.start(instance); } catch (e) { if (!(e instanceof WebAssembly.RuntimeError)) throw e; code = 'trap'; }
// node:wasi writes guest output to fds 1/2 synchronously, so this marker comes after all of it.
writeSync(2, '\\n@@exit=' + code + '\\n');
`;

export function runNodeWasi(name: string, spec: RunSpec): RunResult {
  const preopens: Record<string, string> = {};
  for (const p of spec.preopens ?? []) preopens[p.guest] = p.host;
  const payload = JSON.stringify({ wasm: join(FIXTURES, `${name}.wasm`), args: spec.args, env: spec.env ?? {}, preopens });
  const child = spawnSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', NODE_WASI_RUNNER, payload], {
    input: spec.stdin ?? new Uint8Array(0), timeout: 20_000,
  });
  if (child.error) throw child.error;
  const stderr = child.stderr.toString();
  const marker = stderr.lastIndexOf('\n@@exit=');
  if (marker < 0) throw new Error(`node:wasi runner failed (status ${child.status}): ${stderr}`);
  const code = stderr.slice(marker + 8).trim();
  return { stdout: child.stdout.toString(), stderr: stderr.slice(0, marker), exit: code === 'trap' ? 'trap' : Number(code) };
}

// Our WASI with its defaults (process fds 0/1/2, written synchronously), in a child process so
// those fds are pipes we can capture.
const OUR_DEFAULT_STDIO_RUNNER = `
const { createWasi } = await import(process.argv[1]);
const { readFileSync } = await import('node:fs');
const spec = JSON.parse(process.argv[2]);
const wasi = createWasi({ args: spec.args, env: spec.env, preopens: spec.preopens });
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(spec.wasm)), wasi.imports);
process.exitCode = wasi.start(instance.exports);
`;

export function runOursWithDefaultStdio(name: string, spec: RunSpec): RunResult {
  const payload = JSON.stringify({ wasm: join(FIXTURES, `${name}.wasm`), args: spec.args, env: spec.env ?? {}, preopens: spec.preopens ?? [] });
  const entry = fileURLToPath(new URL('../../../runtime/wasi/index.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', OUR_DEFAULT_STDIO_RUNNER, entry, payload], {
    input: spec.stdin ?? new Uint8Array(0), timeout: 30_000,
  });
  if (child.error) throw child.error;
  if (child.status === null) throw new Error(`runner killed by ${child.signal}`);
  return { stdout: child.stdout.toString(), stderr: child.stderr.toString(), exit: child.status };
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function freshDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), `wasmscope-wasi-${prefix}-`));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A module importing wasi_snapshot_preview1.<name> as a () -> () function. */
export function moduleImporting(name: string): Uint8Array {
  const enc = (s: string) => [s.length, ...Buffer.from(s)];
  const importEntry = [...enc('wasi_snapshot_preview1'), ...enc(name), 0x00, 0x00];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x02, importEntry.length + 1, 0x01, ...importEntry,
  ]);
}
