// Test helper: WAT text → bytes via Debian wabt's wat2wasm (with the name section), → Module via
// the one decoder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModule } from '../../../runtime/binary/decode.js';
import type { Module } from '../../../runtime/wasm/types.js';

export function watToBytes(text: string): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'engine-test-'));
  try {
    writeFileSync(join(dir, 'm.wat'), text);
    execFileSync('wat2wasm', ['--debug-names', '--enable-all', join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
    return new Uint8Array(readFileSync(join(dir, 'm.wasm')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function watModule(text: string): Module {
  return decodeModule(watToBytes(text));
}

/** Absolute offset of the `nth` instruction with opcode `op` in defined function `def`. */
export function offsetOf(m: Module, def: number, op: number, nth = 0): number {
  const found = m.funcs[def]!.body.filter((i) => i.op === op)[nth];
  if (!found) throw new Error(`no opcode 0x${op.toString(16)} #${nth} in function ${def}`);
  return found.offset;
}
