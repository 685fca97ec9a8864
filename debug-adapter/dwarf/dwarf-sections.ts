// Reading DWARF sections out of a Wasm module: a little-endian byte cursor with LEB128, and the
// compile units' top-level attributes the line table needs (where each unit's line program is,
// and its compilation directory). Everything else about .debug_info — types, variables,
// locations — is the symbol engine's job (symbol-engine.ts); this reads only unit headers and
// each unit's first DIE.
import type { Module } from '../../runtime/wasm/types.js';

/** A DWARF section's bytes and the absolute module offset of its first byte (for error locations). */
export interface DwarfSection {
  bytes: Uint8Array;
  offset: number;
}

export type DwarfSections = Partial<Record<
  '.debug_info' | '.debug_abbrev' | '.debug_line' | '.debug_str' | '.debug_line_str', DwarfSection>>;

export function dwarfSections(module: Module): DwarfSections {
  const out: DwarfSections = {};
  for (const c of module.customs) {
    if (c.name === '.debug_info' || c.name === '.debug_abbrev' || c.name === '.debug_line' ||
      c.name === '.debug_str' || c.name === '.debug_line_str') {
      out[c.name] ??= { bytes: c.bytes, offset: c.offset };
    }
  }
  return out;
}

/** Malformed DWARF: says which section and the absolute module offset where reading failed. */
export class DwarfFormatError extends Error {
  constructor(message: string, readonly section: string, readonly moduleOffset: number) {
    super(`${message} (in ${section} at module offset 0x${moduleOffset.toString(16)})`);
    this.name = 'DwarfFormatError';
  }
}

export class Cursor {
  pos: number;
  private readonly view: DataView;

  constructor(readonly section: DwarfSection, readonly name: string, pos = 0) {
    this.pos = pos;
    this.view = new DataView(section.bytes.buffer, section.bytes.byteOffset, section.bytes.byteLength);
  }

  get length(): number {
    return this.section.bytes.length;
  }

  fail(message: string, at = this.pos): never {
    throw new DwarfFormatError(message, this.name, this.section.offset + at);
  }

  private need(n: number): void {
    if (this.pos + n > this.length || n < 0) this.fail(`unexpected end of section (${n} bytes wanted)`);
  }

  u8(): number { this.need(1); return this.view.getUint8(this.pos++); }
  i8(): number { this.need(1); return this.view.getInt8(this.pos++); }
  u16(): number { this.need(2); const v = this.view.getUint16(this.pos, true); this.pos += 2; return v; }
  u32(): number { this.need(4); const v = this.view.getUint32(this.pos, true); this.pos += 4; return v; }

  u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    // Offsets and addresses beyond 2^53 cannot occur in a Wasm module (at most 4 GiB).
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('64-bit value out of range', this.pos - 8);
    return Number(v);
  }

  /** An unsigned value of `size` bytes (1, 2, 4 or 8). */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: return this.fail(`unsupported size ${size}`);
    }
  }

  uleb(): number {
    let result = 0, scale = 1;
    for (let i = 0; ; i++) {
      if (i >= 10) this.fail('LEB128 too long');
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return result;
    }
  }

  sleb(): number {
    let result = 0, scale = 1, b: number;
    let i = 0;
    do {
      if (i++ >= 10) this.fail('LEB128 too long');
      b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
    } while (b & 0x80);
    return b & 0x40 ? result - scale : result;
  }

  cstring(): string {
    const start = this.pos;
    const end = this.section.bytes.indexOf(0, start);
    if (end < 0) this.fail('unterminated string');
    this.pos = end + 1;
    return new TextDecoder().decode(this.section.bytes.subarray(start, end));
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** A unit length: 32-bit, or 0xffffffff then 64-bit (the 64-bit DWARF format). */
  unitLength(): { length: number; offsetSize: 4 | 8 } {
    const first = this.u32();
    if (first === 0xffffffff) return { length: this.u64(), offsetSize: 8 };
    if (first >= 0xfffffff0) this.fail(`reserved unit length 0x${first.toString(16)}`, this.pos - 4);
    return { length: first, offsetSize: 4 };
  }
}

/** A NUL-terminated string at `offset` of a string section, or undefined when absent or out of range. */
export function stringAt(section: DwarfSection | undefined, offset: number): string | undefined {
  if (!section || offset < 0 || offset >= section.bytes.length) return undefined;
  return new Cursor(section, 'str', offset).cstring();
}

export interface UnitInfo {
  /** Offset of the unit's line program in .debug_line (DW_AT_stmt_list). */
  stmtList?: number;
  compDir?: string;
  name?: string;
}

const DW_AT_name = 0x03, DW_AT_stmt_list = 0x10, DW_AT_comp_dir = 0x1b;

/**
 * Skips (or reads, for the three attributes wanted) one attribute value of form `form`.
 * Returns a number for constants/offsets, a string for strings, undefined for anything else.
 */
function readForm(c: Cursor, form: number, offsetSize: number, addressSize: number, version: number,
  implicit: number | undefined, sections: DwarfSections): number | string | undefined {
  switch (form) {
    case 0x01: return c.uN(addressSize); // addr
    case 0x05: return c.u16();
    case 0x06: return c.u32();
    case 0x07: return c.u64();
    case 0x08: return c.cstring(); // string
    case 0x09: c.skip(c.uleb()); return undefined; // block
    case 0x0a: c.skip(c.u8()); return undefined; // block1
    case 0x03: c.skip(c.u16()); return undefined; // block2
    case 0x04: c.skip(c.u32()); return undefined; // block4
    case 0x0b: return c.u8(); // data1
    case 0x0c: return c.u8(); // flag
    case 0x0d: return c.sleb(); // sdata
    case 0x0e: return stringAt(sections['.debug_str'], c.uN(offsetSize)); // strp
    case 0x0f: return c.uleb(); // udata
    case 0x10: return c.uN(version <= 2 ? addressSize : offsetSize); // ref_addr
    case 0x11: return c.u8();
    case 0x12: return c.u16();
    case 0x13: return c.u32();
    case 0x14: return c.u64();
    case 0x15: return c.uleb(); // ref_udata
    case 0x16: return readForm(c, c.uleb(), offsetSize, addressSize, version, implicit, sections); // indirect
    case 0x17: return c.uN(offsetSize); // sec_offset
    case 0x18: c.skip(c.uleb()); return undefined; // exprloc
    case 0x19: return 1; // flag_present
    case 0x1a: return c.uleb(); // strx (needs .debug_str_offsets: not resolved)
    case 0x1b: return c.uleb(); // addrx
    case 0x1c: return c.u32(); // ref_sup4
    case 0x1d: return c.uN(offsetSize); // strp_sup
    case 0x1e: c.skip(16); return undefined; // data16
    case 0x1f: return stringAt(sections['.debug_line_str'], c.uN(offsetSize)); // line_strp
    case 0x20: c.skip(8); return undefined; // ref_sig8
    case 0x21: return implicit; // implicit_const
    case 0x22: case 0x23: return c.uleb(); // loclistx, rnglistx
    case 0x24: return c.u64(); // ref_sup8
    case 0x25: case 0x29: return c.u8(); // strx1, addrx1
    case 0x26: case 0x2a: return c.u16();
    case 0x27: case 0x2b: c.skip(3); return undefined;
    case 0x28: case 0x2c: return c.u32();
    default: return c.fail(`unknown attribute form 0x${form.toString(16)}`);
  }
}

interface AbbrevDecl {
  attrs: { name: number; form: number; implicit?: number }[];
}

/** The declaration of abbreviation `code` in the table at `offset` (only the first DIE needs one). */
function findAbbrev(sections: DwarfSections, offset: number, code: number): AbbrevDecl | undefined {
  const section = sections['.debug_abbrev'];
  if (!section) return undefined;
  const c = new Cursor(section, '.debug_abbrev', offset);
  for (;;) {
    const thisCode = c.uleb();
    if (thisCode === 0) return undefined;
    c.uleb(); // tag
    c.u8(); // has children
    const attrs: AbbrevDecl['attrs'] = [];
    for (;;) {
      const name = c.uleb(), form = c.uleb();
      if (name === 0 && form === 0) break;
      attrs.push(form === 0x21 ? { name, form, implicit: c.sleb() } : { name, form });
    }
    if (thisCode === code) return { attrs };
  }
}

/** Every compile unit's line-program offset, compilation directory and name. */
export function readUnits(sections: DwarfSections): UnitInfo[] {
  const info = sections['.debug_info'];
  if (!info) return [];
  const units: UnitInfo[] = [];
  const c = new Cursor(info, '.debug_info');
  while (c.pos < c.length) {
    const start = c.pos;
    const { length, offsetSize } = c.unitLength();
    const end = c.pos + length;
    if (end > c.length) c.fail('unit extends past the end of the section', start);
    const version = c.u16();
    let addressSize: number, abbrevOffset: number, unitType = 0x01;
    if (version >= 5) {
      unitType = c.u8();
      addressSize = c.u8();
      abbrevOffset = c.uN(offsetSize);
      if (unitType === 0x02 || unitType === 0x06) c.skip(8 + offsetSize); // type units: signature + type offset
      else if (unitType === 0x04 || unitType === 0x05) c.skip(8); // skeleton/split: dwo id
    } else {
      abbrevOffset = c.uN(offsetSize);
      addressSize = c.u8();
    }
    if (version < 2 || version > 5) c.fail(`unsupported DWARF version ${version}`, start);
    const code = c.uleb();
    const decl = code === 0 ? undefined : findAbbrev(sections, abbrevOffset, code);
    const unit: UnitInfo = {};
    if (decl && (unitType === 0x01 || unitType === 0x03)) {
      for (const a of decl.attrs) {
        const v = readForm(c, a.form, offsetSize, addressSize, version, a.implicit, sections);
        if (a.name === DW_AT_stmt_list && typeof v === 'number') unit.stmtList = v;
        else if (a.name === DW_AT_comp_dir && typeof v === 'string') unit.compDir = v;
        else if (a.name === DW_AT_name && typeof v === 'string') unit.name = v;
      }
      units.push(unit);
    }
    c.pos = end;
  }
  return units;
}
