// A growable byte buffer with the LEB128 encodings the binary format uses (always minimal, as
// wat2wasm writes them).

const utf8 = new TextEncoder();

export class ByteWriter {
  private buf: Uint8Array;
  length = 0;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(capacity, 16));
  }

  /** Makes room for `extra` more bytes (one reallocation instead of several while writing). */
  ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b & 0xff;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  u32(value: number): void {
    let v = value >>> 0;
    this.ensure(5);
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.buf[this.length++] = b;
    } while (v !== 0);
  }

  s32(value: number): void {
    let v = value | 0;
    this.ensure(5);
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
        this.buf[this.length++] = b;
        return;
      }
      this.buf[this.length++] = b | 0x80;
    }
  }

  s64(value: bigint): void {
    let v = BigInt.asIntN(64, value);
    this.ensure(10);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0)) {
        this.buf[this.length++] = b;
        return;
      }
      this.buf[this.length++] = b | 0x80;
    }
  }

  f32Bits(bits: number): void {
    this.ensure(4);
    const v = bits >>> 0;
    this.buf[this.length++] = v & 0xff;
    this.buf[this.length++] = (v >>> 8) & 0xff;
    this.buf[this.length++] = (v >>> 16) & 0xff;
    this.buf[this.length++] = (v >>> 24) & 0xff;
  }

  f64Bits(bits: bigint): void {
    const v = BigInt.asUintN(64, bits);
    this.f32Bits(Number(v & 0xffffffffn));
    this.f32Bits(Number(v >> 32n));
  }

  name(text: string): void {
    const data = utf8.encode(text);
    this.u32(data.length);
    this.bytes(data);
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** Bytes [from, to) written so far, without copying (valid until the next write). */
  view(from: number, to: number): Uint8Array {
    return this.buf.subarray(from, to);
  }
}

export function u32Size(value: number): number {
  let v = value >>> 0;
  let n = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}
