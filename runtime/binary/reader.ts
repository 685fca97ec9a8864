// Hand-written cursor over the module bytes. Every read is bounds-checked against `limit` (the end
// of the current section or function body), so no untrusted length can make us read, allocate or
// loop past the input: the worst a hostile module can do is make us throw a DecodeError.

import { DecodeError } from '../wasm/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteReader {
  pos: number;
  /** End of the region being read (section or body); reads past it are malformed. */
  limit: number;
  /** Function index reported in errors while decoding a function body. */
  funcIndex: number | undefined = undefined;
  private view: DataView | undefined;

  constructor(readonly bytes: Uint8Array, pos = 0, limit = bytes.length) {
    this.pos = pos;
    this.limit = limit;
  }

  fail(message: string, at: number = this.pos): never {
    throw new DecodeError(message, this.funcIndex === undefined ? { offset: at } : { offset: at, funcIndex: this.funcIndex });
  }

  /** Running off the region (the spec's wording, whose prefix "unexpected end" covers end of file). */
  private failEnd(): never {
    this.fail('unexpected end of section or function');
  }

  get remaining(): number {
    return this.limit - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.limit;
  }

  u8(): number {
    if (this.pos >= this.limit) this.failEnd();
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128, at most 5 bytes, value below 2^32. */
  u32(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    if (pos < this.limit) {
      const b = bytes[pos]!;
      if (b < 0x80) { this.pos = pos + 1; return b; }
    }
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
      const b = bytes[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) { this.pos = pos; return result >>> 0; }
    }
    if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
    const last = bytes[pos++]!;
    this.pos = pos;
    if (last & 0x80) this.fail('integer representation too long', pos - 1);
    if (last & 0x70) this.fail('integer too large', pos - 1);
    return (result | (last << 28)) >>> 0;
  }

  /** Signed LEB128 of a 32-bit integer, as an int32. */
  s32(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let result = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
      const b = bytes[pos++]!;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        const used = shift + 7;
        return (b & 0x40) ? result | (-1 << used) : result;
      }
    }
    if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
    const last = bytes[pos++]!;
    this.pos = pos;
    if (last & 0x80) this.fail('integer representation too long', pos - 1);
    // Bits 4-6 of the fifth byte lie beyond bit 31 and must repeat the sign bit (bit 3).
    const high = last & 0x78;
    if (high !== 0 && high !== 0x78) this.fail('integer too large', pos - 1);
    return result | (last << 28);
  }

  /** Signed LEB128 of a 33-bit integer (block types), as a JS number. */
  s33(): number {
    const bytes = this.bytes;
    let pos = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 4; i++) {
      if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
      const b = bytes[pos++]!;
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        this.pos = pos;
        return (b & 0x40) ? result - scale : result;
      }
    }
    if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
    const last = bytes[pos++]!;
    this.pos = pos;
    if (last & 0x80) this.fail('integer representation too long', pos - 1);
    const high = last & 0x70;
    if (high !== 0 && high !== 0x70) this.fail('integer too large', pos - 1);
    result += (last & 0x7f) * scale;
    return (last & 0x40) ? result - scale * 128 : result;
  }

  /** Signed LEB128 of a 64-bit integer. */
  s64(): bigint {
    const bytes = this.bytes;
    let pos = this.pos;
    // Up to 7 bytes (49 bits) are exact in a double; only longer encodings pay for BigInt math.
    let small = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
      const b = bytes[pos++]!;
      small += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) {
        this.pos = pos;
        return BigInt((b & 0x40) ? small - scale : small);
      }
    }
    let result = BigInt(small);
    let shift = 49n;
    for (let i = 7; i < 9; i++) {
      if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
      const b = bytes[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) {
        this.pos = pos;
        return BigInt.asIntN(64, (b & 0x40) ? result - (1n << shift) : result);
      }
    }
    if (pos >= this.limit) { this.pos = pos; this.failEnd(); }
    const last = bytes[pos++]!;
    this.pos = pos;
    if (last & 0x80) this.fail('integer representation too long', pos - 1);
    // Only bit 0 of the tenth byte is a value bit (bit 63); the rest must repeat it.
    if (last !== 0 && last !== 0x7f) this.fail('integer too large', pos - 1);
    return BigInt.asIntN(64, result | (BigInt(last & 1) << 63n));
  }

  private dataView(): DataView {
    return (this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength));
  }

  /** Four little-endian bytes as an int32 (f32 constants keep their exact bits). */
  i32Bits(): number {
    if (this.limit - this.pos < 4) { this.pos = this.limit; this.failEnd(); }
    const v = this.dataView().getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Eight little-endian bytes as a signed 64-bit integer (f64 constants keep their exact bits). */
  i64Bits(): bigint {
    if (this.limit - this.pos < 8) { this.pos = this.limit; this.failEnd(); }
    const v = this.dataView().getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** `n` raw bytes, as a view into the module (no copy). */
  take(n: number): Uint8Array {
    if (n > this.limit - this.pos) { this.pos = this.limit; this.failEnd(); }
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length-prefixed byte vector whose length must fit in the region. */
  byteVec(): Uint8Array {
    const at = this.pos;
    const n = this.u32();
    if (n > this.limit - this.pos) this.fail('length out of bounds', at);
    return this.take(n);
  }

  /** A length-prefixed UTF-8 name. */
  name(): string {
    const at = this.pos;
    const raw = this.byteVec();
    let ascii = true;
    for (let i = 0; i < raw.length; i++) if (raw[i]! >= 0x80) { ascii = false; break; }
    if (ascii) return raw.length < 64 ? String.fromCharCode(...raw) : utf8.decode(raw);
    try {
      return utf8.decode(raw);
    } catch {
      return this.fail('malformed UTF-8 encoding', at);
    }
  }
}
