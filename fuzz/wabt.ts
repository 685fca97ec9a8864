// wabt as a third opinion, configured for exactly Wasm 2.0: its JS build (npm `wabt`) in process
// for speed, and the Debian `wat2wasm` CLI to confirm a text verdict before calling it a finding
// (the JS build's parser accepts a few inputs its own CLI rejects).

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface WabtModule { validate(): void; resolveNames(): void; destroy(): void }
interface Wabt {
  readWasm(bytes: Uint8Array, options: Record<string, boolean>): WabtModule;
  parseWat(file: string, text: string, options: Record<string, boolean>): WabtModule;
}

let wabt: Wabt | undefined;

/** Loads wabt's JS build once (it initialises asynchronously). */
export async function loadWabt(): Promise<void> {
  if (wabt) return;
  const require = createRequire(import.meta.url);
  wabt = await (require('wabt') as () => Promise<Wabt>)();
}

const WASM_2_0 = {
  mutable_globals: true, sat_float_to_int: true, sign_extension: true, simd: true, multi_value: true,
  bulk_memory: true, reference_types: true, exceptions: false, threads: false, function_references: false,
  tail_call: false, annotations: false, code_metadata: false, gc: false, memory64: false, extended_const: false,
  relaxed_simd: false,
};

function verdict(make: (w: Wabt) => WabtModule, resolve: boolean): boolean | undefined {
  if (!wabt) return undefined;
  let mod: WabtModule | undefined;
  try {
    mod = make(wabt);
    if (resolve) mod.resolveNames();
    mod.validate();
    return true;
  } catch (e) {
    // wabt reports bad input by throwing an Error; an abort or a wasm trap is wabt failing.
    return e instanceof Error && !/abort|RuntimeError|out of memory/i.test(e.message) ? false : undefined;
  } finally {
    mod?.destroy();
  }
}

/** wabt's verdict on a binary under Wasm 2.0, or undefined when wabt is not loaded or gave up. */
export function wabtValidBinary(bytes: Uint8Array): boolean | undefined {
  return verdict((w) => w.readWasm(bytes, { readDebugNames: false, ...WASM_2_0 }), false);
}

/** wabt's verdict on a .wat text (parse, resolve, validate), or undefined. */
export function wabtValidText(text: string): boolean | undefined {
  return verdict((w) => w.parseWat('fuzz.wat', text, WASM_2_0), true);
}

/**
 * The Debian wat2wasm CLI's verdict (its defaults are the 2.0 feature set), or undefined if absent;
 * when it accepted, also whether V8 validates the bytes it wrote: a third
 * opinion when wabt calls valid a text wasmscope rejects (wabt's validator has holes, e.g. after
 * `unreachable` inside a folded operand).
 */
export function wat2wasm(text: string): { accepted: boolean; v8Valid?: boolean } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-wat2wasm-'));
  try {
    const file = join(dir, 'in.wat');
    const out = join(dir, 'out.wasm');
    writeFileSync(file, text);
    const r = spawnSync('wat2wasm', [file, '-o', out], { encoding: 'utf8', timeout: 30_000 });
    if (r.error) return undefined;
    if (r.status !== 0) return { accepted: false };
    return { accepted: true, v8Valid: WebAssembly.validate(readFileSync(out)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
