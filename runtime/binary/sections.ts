// Where each section and each table/memory entry starts, for callers that need byte offsets the IR
// does not keep per entry (validation errors about limits and the start function, disassembly
// headers). Reads only section headers and limits, so it costs microseconds.

import { ByteReader } from './reader.js';

export interface SectionRange {
  id: number;
  /** Offset of the section id byte, of its payload, and just past its end. */
  start: number;
  payloadStart: number;
  end: number;
}

/** Sections of a module that decodeModule accepted (on other input, stops at the first problem). */
export function listSections(bytes: Uint8Array): SectionRange[] {
  const out: SectionRange[] = [];
  const r = new ByteReader(bytes, 8);
  try {
    while (!r.atEnd()) {
      const start = r.pos;
      const id = r.u8();
      const size = r.u32();
      const payloadStart = r.pos;
      if (size > r.remaining) break;
      r.pos += size;
      out.push({ id, start, payloadStart, end: r.pos });
    }
  } catch {
    // Only reached on input the decoder would reject; the sections read so far are still right.
  }
  return out;
}

/** Offsets of the entries of the table (id 4) or memory (id 5) section, in order. */
export function limitsEntryOffsets(bytes: Uint8Array, sections: readonly SectionRange[], id: 4 | 5): number[] {
  const section = sections.find((s) => s.id === id);
  if (!section) return [];
  const r = new ByteReader(bytes, section.payloadStart, section.end);
  const out: number[] = [];
  try {
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      out.push(r.pos);
      if (id === 4) r.u8();
      const flags = r.u8();
      r.u32();
      if (flags === 1) r.u32();
    }
  } catch {
    // As above: only on input the decoder rejects.
  }
  return out;
}
