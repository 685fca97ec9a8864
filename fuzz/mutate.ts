// Structure-aware mutations of binaries for decoder and validator fuzzing. Each mutation keeps
// most of the module intact so the decoder gets deep before it meets the damage: flipped bits,
// truncation, inflated counts and over-long LEB128s, duplicated, dropped or swapped sections.

import { Rng } from './rng.js';
import { concat, encodeSection, splitSections, type RawSection } from './sections.js';
import { ByteWriter } from '../runtime/text/byte-writer.js';

export type MutationName =
  | 'flip-bits' | 'set-byte' | 'truncate' | 'insert-bytes' | 'delete-bytes' | 'inflate-count'
  | 'overlong-leb' | 'section-size' | 'duplicate-section' | 'drop-section' | 'swap-sections' | 'huge-leb';

const ALL: MutationName[] = [
  'flip-bits', 'set-byte', 'truncate', 'insert-bytes', 'delete-bytes', 'inflate-count',
  'overlong-leb', 'section-size', 'duplicate-section', 'drop-section', 'swap-sections', 'huge-leb',
];

const INTERESTING_BYTES = [0x00, 0x01, 0x40, 0x7f, 0x80, 0xff, 0x0b, 0x0f, 0x10, 0x11, 0xfc, 0xfd, 0x70, 0x6f, 0x7b];
const BIG_COUNTS = [0x7fffffff, 0xffffffff, 0x10000, 1_000_000, 65537, 50001, 100_000_000];

function leb(value: number, padTo = 0): Uint8Array {
  const w = new ByteWriter();
  w.u32(value);
  const minimal = w.toBytes();
  if (padTo <= minimal.length) return minimal;
  // Over-long but still terminating encoding (continuation bits on zero groups).
  const out = new Uint8Array(padTo);
  out.set(minimal);
  for (let i = 0; i < padTo - 1; i++) out[i]! |= 0x80;
  return out;
}

/** Length of the LEB128 at `at` (up to 10 bytes), 0 when it runs off the end. */
function lebLength(bytes: Uint8Array, at: number): number {
  for (let i = 0; i < 10 && at + i < bytes.length; i++) if ((bytes[at + i]! & 0x80) === 0) return i + 1;
  return 0;
}

function replaceSection(bytes: Uint8Array, s: RawSection, payload: Uint8Array): Uint8Array {
  return concat([bytes.subarray(0, s.start), encodeSection(s.id, payload), bytes.subarray(s.end)]);
}

function sectionsOf(bytes: Uint8Array): RawSection[] {
  try { return splitSections(bytes); } catch { return []; }
}

function mutateOnce(input: Uint8Array, rng: Rng, name: MutationName): Uint8Array {
  const bytes = new Uint8Array(input);
  const n = bytes.length;
  const pos = (): number => rng.below(n);
  const sections = sectionsOf(bytes);
  const section = sections.length > 0 ? rng.pick(sections) : undefined;
  switch (name) {
    case 'flip-bits': {
      for (let k = rng.range(1, 4); k > 0; k--) { const p = pos(); bytes[p]! ^= 1 << rng.below(8); }
      return bytes;
    }
    case 'set-byte': {
      bytes[pos()] = rng.chance(0.7) ? rng.pick(INTERESTING_BYTES) : rng.below(256);
      return bytes;
    }
    case 'truncate': return bytes.subarray(0, rng.below(n));
    case 'insert-bytes': {
      const p = pos();
      return concat([bytes.subarray(0, p), rng.bytes(rng.range(1, 8)), bytes.subarray(p)]);
    }
    case 'delete-bytes': {
      const p = pos();
      return concat([bytes.subarray(0, p), bytes.subarray(Math.min(n, p + rng.range(1, 16)))]);
    }
    case 'inflate-count': {
      // The first LEB of most sections is its entry count: make it absurd, keep the section framed.
      if (!section || section.id === 0 || section.payloadStart >= section.end) return bytes;
      const len = lebLength(bytes, section.payloadStart);
      if (len === 0) return bytes;
      const payload = concat([leb(rng.pick(BIG_COUNTS)), bytes.subarray(section.payloadStart + len, section.end)]);
      return replaceSection(bytes, section, payload);
    }
    case 'overlong-leb': {
      // A count padded to 5 bytes is still valid; to 6 bytes it is malformed ("integer representation too long").
      if (!section || section.payloadStart >= section.end) return bytes;
      const len = lebLength(bytes, section.payloadStart);
      if (len === 0 || len > 5) return bytes;
      let value = 0;
      for (let i = len - 1; i >= 0; i--) value = value * 128 + (bytes[section.payloadStart + i]! & 0x7f);
      const payload = concat([leb(value, rng.pick([5, 6])), bytes.subarray(section.payloadStart + len, section.end)]);
      return replaceSection(bytes, section, payload);
    }
    case 'section-size': {
      if (!section) return bytes;
      const size = section.end - section.payloadStart;
      const newSize = rng.pick([0, size - 1, size + 1, size * 2, 0xffffffff, rng.below(size + 100)]);
      return concat([bytes.subarray(0, section.start + 1), leb(Math.max(0, newSize) >>> 0), bytes.subarray(section.payloadStart)]);
    }
    case 'duplicate-section': {
      if (!section) return bytes;
      const copy = bytes.subarray(section.start, section.end);
      return concat([bytes.subarray(0, section.end), copy, bytes.subarray(section.end)]);
    }
    case 'drop-section': {
      if (!section) return bytes;
      return concat([bytes.subarray(0, section.start), bytes.subarray(section.end)]);
    }
    case 'swap-sections': {
      if (sections.length < 2) return bytes;
      const i = rng.below(sections.length - 1);
      const a = sections[i]!, b = sections[i + 1]!;
      return concat([bytes.subarray(0, a.start), bytes.subarray(b.start, b.end), bytes.subarray(a.start, a.end), bytes.subarray(b.end)]);
    }
    case 'huge-leb': {
      // Overwrite any LEB-looking spot with a 5-byte maximal value, keeping the length.
      const p = pos();
      const len = lebLength(bytes, p);
      if (len < 5) { bytes.set(leb(0xffffffff).subarray(0, Math.min(5, n - p)), p); return bytes; }
      bytes.set(leb(rng.pick(BIG_COUNTS), 5), p);
      return bytes;
    }
  }
}

/** 1..3 random mutations of `bytes`, with their names (for the fixture description). */
export function mutateBinary(bytes: Uint8Array, rng: Rng): { bytes: Uint8Array; mutations: MutationName[] } {
  let out = bytes;
  const mutations: MutationName[] = [];
  for (let k = rng.range(1, 3); k > 0; k--) {
    const name = rng.pick(ALL);
    mutations.push(name);
    out = mutateOnce(out, rng, name);
  }
  return { bytes: out, mutations };
}
