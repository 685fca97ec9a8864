// Memory as the adapter offers it: memory references (`memory:N`), the current size, and the
// bounds rules of DAP readMemory/writeMemory: a read may run past the end (the rest is reported
// unreadable), a read that starts outside or any write that does not fit is an error.
import type { EngineSessionApi } from '../runtime/engine/debug-api.js';
import { importCounts, type Module } from '../runtime/wasm/types.js';

export const PAGE_SIZE = 65536;

/**
 * A memory reference: `memory:N` for memory N from address 0, or `memory:N@0xADDR` for the bytes of
 * something stored at ADDR (a C variable), so the client's reads and writes are relative to it.
 */
export function memoryReference(memory: number, address = 0): string {
  return address === 0 ? `memory:${memory}` : `memory:${memory}@0x${address.toString(16)}`;
}

export function parseMemoryReference(ref: string): { memory: number; base: number } | undefined {
  const m = /^(?:memory:)?([0-9]+)(?:@(0x[0-9a-fA-F]+|[0-9]+))?$/.exec(ref.trim());
  return m ? { memory: Number(m[1]), base: m[2] === undefined ? 0 : Number(m[2]) } : undefined;
}

/** Current byte length of a memory (0 for one the module does not have). */
export async function memoryByteLength(engine: EngineSessionApi, memory: number): Promise<number> {
  return (await engine.memories()).find((m) => m.index === memory)?.byteLength ?? 0;
}

export function memoryCount(m: Module): number {
  return importCounts(m).memories + m.memories.length;
}


function resolveReference(ref: string): { memory: number; base: number } {
  const parsed = parseMemoryReference(ref);
  if (parsed === undefined) throw new Error(`unknown memory reference "${ref}"`);
  return parsed;
}

/** Reads `count` bytes at `offset` from the reference's base; the reply's address is absolute. */
export async function readMemoryRange(engine: EngineSessionApi, m: Module, ref: string, relative: number, count: number):
  Promise<{ address: string; data: string; unreadableBytes?: number }> {
  const { memory, base } = resolveReference(ref);
  const offset = base + relative;
  if (memory >= memoryCount(m)) throw new Error(`the module has no memory ${memory}`);
  const size = await memoryByteLength(engine, memory);
  if (offset < 0 || (offset >= size && count > 0)) {
    throw new Error(`address 0x${offset.toString(16)} is outside memory ${memory} (${size} bytes)`);
  }
  const readable = Math.max(0, Math.min(count, size - offset));
  const bytes = readable > 0 ? await engine.readMemory(memory, offset, readable) : new Uint8Array();
  return { address: '0x' + offset.toString(16), data: Buffer.from(bytes).toString('base64'),
    ...(readable < count ? { unreadableBytes: count - readable } : {}) };
}

export async function writeMemoryRange(engine: EngineSessionApi, m: Module, ref: string, relative: number, base64: string):
  Promise<number> {
  const { memory, base } = resolveReference(ref);
  const offset = base + relative;
  if (memory >= memoryCount(m)) throw new Error(`the module has no memory ${memory}`);
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const size = await memoryByteLength(engine, memory);
  if (offset < 0 || offset + bytes.length > size) {
    throw new Error(`cannot write ${bytes.length} bytes at 0x${offset.toString(16)}: memory ${memory} has ${size} bytes`);
  }
  await engine.writeMemory(memory, offset, bytes);
  return bytes.length;
}
