// Section-level surgery on binaries: split a module into its top-level sections, rebuild one
// section, reassemble. The fuzzers use it to export every global (so V8 can show us their values),
// to delete exports while minimising, and to duplicate or drop sections while mutating.
// Decoding proper stays in runtime/binary; this only walks section headers.

import { ByteReader } from '../runtime/binary/reader.js';
import { ByteWriter } from '../runtime/text/byte-writer.js';
import { ValType, type Export, type Module } from '../runtime/wasm/types.js';

export const EXPORT_SECTION = 7;

export interface RawSection {
  id: number;
  /** Offset of the id byte, of the payload, and just past the payload. */
  start: number;
  payloadStart: number;
  end: number;
}

/** Top-level sections of a well-formed binary (throws DecodeError on a broken header chain). */
export function splitSections(bytes: Uint8Array): RawSection[] {
  const r = new ByteReader(bytes, 8);
  const sections: RawSection[] = [];
  while (!r.atEnd()) {
    const start = r.pos;
    const id = r.u8();
    const size = r.u32();
    const payloadStart = r.pos;
    if (size > r.remaining) r.fail('length out of bounds', start);
    r.pos += size;
    sections.push({ id, start, payloadStart, end: r.pos });
  }
  return sections;
}

export function encodeSection(id: number, payload: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  w.byte(id);
  w.u32(payload.length);
  w.bytes(payload);
  return w.toBytes();
}

const KIND_CODE: Record<Export['kind'], number> = { func: 0, table: 1, memory: 2, global: 3 };

export function encodeExports(exports: readonly Pick<Export, 'name' | 'kind' | 'index'>[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(exports.length);
  for (const e of exports) {
    w.name(e.name);
    w.byte(KIND_CODE[e.kind]);
    w.u32(e.index);
  }
  return w.toBytes();
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** The module with its export section replaced (or inserted in its canonical place). */
export function withExports(bytes: Uint8Array, exports: readonly Pick<Export, 'name' | 'kind' | 'index'>[]): Uint8Array {
  const sections = splitSections(bytes);
  const section = encodeSection(EXPORT_SECTION, encodeExports(exports));
  const existing = sections.find((s) => s.id === EXPORT_SECTION);
  if (existing) return concat([bytes.subarray(0, existing.start), section, bytes.subarray(existing.end)]);
  // Export comes after global (6) and before start (8): insert before the first later section.
  const ORDER_AFTER_EXPORT = new Set([8, 9, 10, 11, 12]);
  const next = sections.find((s) => ORDER_AFTER_EXPORT.has(s.id));
  const at = next ? next.start : bytes.length;
  return concat([bytes.subarray(0, at), section, bytes.subarray(at)]);
}

/** Name under which `exportAllGlobals` exports global `index`. */
export function globalExportName(index: number): string {
  return `__fuzz_global_${index}`;
}

/**
 * Adds an export for every global (imported and defined) that is not exported yet, so their values
 * can be compared after each call on both engines. Mutable globals are exportable in Wasm 2.0.
 */
export function exportAllGlobals(bytes: Uint8Array, m: Module): Uint8Array {
  const types = [
    ...m.imports.flatMap((imp) => (imp.desc.kind === 'global' ? [imp.desc.type.type] : [])),
    ...m.globals.map((g) => g.type.type),
  ];
  const exported = new Set(m.exports.filter((e) => e.kind === 'global').map((e) => e.index));
  const extra: Pick<Export, 'name' | 'kind' | 'index'>[] = [];
  // V8 cannot read a v128 global from JS, so exporting one would show nothing.
  for (let i = 0; i < types.length; i++) if (!exported.has(i) && types[i] !== ValType.V128) extra.push({ name: globalExportName(i), kind: 'global', index: i });
  if (extra.length === 0) return bytes;
  return withExports(bytes, [...m.exports, ...extra]);
}
