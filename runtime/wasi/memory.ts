// Bounds-checked access to the guest's linear memory. Every pointer a guest hands us goes through
// here, so an out-of-bounds pointer becomes a GuestFault (→ EFAULT) instead of a RangeError or,
// worse, a silent read of the wrong bytes. The buffer is re-read on every call because memory.grow
// detaches the previous ArrayBuffer.

/** Thrown for an out-of-bounds guest pointer; the dispatcher turns it into EFAULT. */
export class GuestFault extends Error {
  constructor(readonly pointer: number, readonly length: number) {
    super(`guest pointer 0x${pointer.toString(16)} (+${length}) is outside linear memory`);
    this.name = 'GuestFault';
  }
}

export class GuestMemory {
  constructor(private readonly getBuffer: () => ArrayBuffer) {}

  private check(pointer: number, length: number): ArrayBuffer {
    const buffer = this.getBuffer();
    // Pointers arrive as signed i32; reinterpret them as the unsigned addresses they are.
    const start = pointer >>> 0;
    if (length < 0 || start + length > buffer.byteLength) throw new GuestFault(start, length);
    return buffer;
  }

  /** A live view of guest bytes (valid until the next memory.grow). */
  bytes(pointer: number, length: number): Uint8Array {
    const buffer = this.check(pointer, length);
    return new Uint8Array(buffer, pointer >>> 0, length);
  }

  private view(pointer: number, length: number): DataView {
    return new DataView(this.check(pointer, length), pointer >>> 0, length);
  }

  getU8(p: number): number { return this.view(p, 1).getUint8(0); }
  getU16(p: number): number { return this.view(p, 2).getUint16(0, true); }
  getU32(p: number): number { return this.view(p, 4).getUint32(0, true); }
  getU64(p: number): bigint { return this.view(p, 8).getBigUint64(0, true); }
  setU8(p: number, v: number): void { this.view(p, 1).setUint8(0, v); }
  setU16(p: number, v: number): void { this.view(p, 2).setUint16(0, v, true); }
  setU32(p: number, v: number): void { this.view(p, 4).setUint32(0, v >>> 0, true); }
  setU64(p: number, v: bigint): void { this.view(p, 8).setBigUint64(0, BigInt.asUintN(64, v), true); }

  /** Zero a region (struct padding must not leak previous memory contents to readers). */
  zero(p: number, length: number): void { this.bytes(p, length).fill(0); }

  /**
   * Reads an iovec/ciovec array and checks every buffer up front, so a bad pointer anywhere fails
   * the whole call before any I/O has happened (no partial side effects on EFAULT).
   */
  iovecs(pointer: number, count: number): { ptr: number; len: number }[] {
    const n = count >>> 0;
    this.check(pointer, n * 8);
    const result: { ptr: number; len: number }[] = [];
    for (let i = 0; i < n; i++) {
      const ptr = this.getU32(pointer + i * 8);
      const len = this.getU32(pointer + i * 8 + 4);
      this.check(ptr, len);
      result.push({ ptr, len });
    }
    return result;
  }
}
