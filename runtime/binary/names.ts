// The "name" custom section (with the extended-name-section subsections). The spec makes this
// section advisory: a broken name section must not make the module malformed, so parsing stops at
// the first bad subsection and keeps whatever names were read before it.

import type { NameMap } from '../wasm/types.js';
import { ByteReader } from './reader.js';

export function emptyNames(): NameMap {
  return {
    funcs: new Map(), locals: new Map(), labels: new Map(), types: new Map(), tables: new Map(),
    memories: new Map(), globals: new Map(), elems: new Map(), datas: new Map(),
  };
}

const SUB_MODULE = 0, SUB_FUNCS = 1, SUB_LOCALS = 2, SUB_LABELS = 3, SUB_TYPES = 4, SUB_TABLES = 5,
  SUB_MEMORIES = 6, SUB_GLOBALS = 7, SUB_ELEMS = 8, SUB_DATAS = 9;

function readNameMap(r: ByteReader, into: Map<number, string>): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const index = r.u32();
    into.set(index, r.name());
  }
}

function readIndirectNameMap(r: ByteReader, into: Map<number, Map<number, string>>): void {
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const outer = r.u32();
    const inner = new Map<number, string>();
    readNameMap(r, inner);
    into.set(outer, inner);
  }
}

/** Parse the payload of a "name" section (from `start` to `end` in `bytes`) into `names`. */
export function readNameSection(bytes: Uint8Array, start: number, end: number, names: NameMap): void {
  const r = new ByteReader(bytes, start, end);
  try {
    while (!r.atEnd()) {
      const id = r.u8();
      const size = r.u32();
      if (size > r.remaining) return;
      const sub = new ByteReader(bytes, r.pos, r.pos + size);
      r.pos += size;
      switch (id) {
        case SUB_MODULE: names.module = sub.name(); break;
        case SUB_FUNCS: readNameMap(sub, names.funcs); break;
        case SUB_LOCALS: readIndirectNameMap(sub, names.locals); break;
        case SUB_LABELS: readIndirectNameMap(sub, names.labels); break;
        case SUB_TYPES: readNameMap(sub, names.types); break;
        case SUB_TABLES: readNameMap(sub, names.tables); break;
        case SUB_MEMORIES: readNameMap(sub, names.memories); break;
        case SUB_GLOBALS: readNameMap(sub, names.globals); break;
        case SUB_ELEMS: readNameMap(sub, names.elems); break;
        case SUB_DATAS: readNameMap(sub, names.datas); break;
        default: break; // unknown subsections are skipped, as the spec asks
      }
    }
  } catch {
    // Advisory section: keep the names read so far (see the file comment).
  }
}
