// The per-instance runtime support that generated code calls as `R.*`: traps, trapping
// conversions, bulk memory and table operations, segment state, and SIMD memory access. Kept out
// of generated code because these are rare or need loops; the hot path (arithmetic, loads,
// stores, calls, branches) is inline in the generated functions.

import { WasmError } from '../wasm/errors.js';
import type { Module } from '../wasm/types.js';
import type { WasmTable } from './externs.js';
import { Trap, makeTrap } from './trap.js';
import * as N from './numeric.js';
import type { CodeEnv } from './instance.js';

const EMPTY_BYTES = new Uint8Array(0);

export class InstanceRuntime {
  /** Element segments as evaluated references; dropped segments become empty. */
  elemSegments: unknown[][] = [];
  dataSegments: Uint8Array[] = [];
  /** The zero v128 (v128 values are never mutated, so one instance serves every default). */
  readonly V0 = new Uint8Array(16);

  constructor(private readonly env: CodeEnv, private readonly module: Module) {}

  trap(message: string): never {
    throw makeTrap(message);
  }

  truncI32(x: number, unsigned: boolean): number {
    const v = N.truncI32(x, unsigned);
    if (N.truncStatus !== 0) this.truncTrap();
    return v;
  }

  truncI64(x: number, unsigned: boolean): bigint {
    const v = N.truncI64(x, unsigned);
    if (N.truncStatus !== 0) this.truncTrap();
    return v;
  }

  private truncTrap(): never {
    throw makeTrap(N.truncStatus === N.TRUNC_NAN ? 'invalid conversion to integer' : 'integer overflow');
  }

  // Segment initialisation at instantiation passes the segment's offset so the trap has a location
  // even though no Wasm frame is on the stack.
  private boundsTrap(message: string, segmentOffset?: number): never {
    if (segmentOffset !== undefined) throw new Trap(message, 'trap', { offset: segmentOffset }, []);
    throw makeTrap(message);
  }

  private memory() {
    const mem = this.env.mem0;
    if (!mem) throw new WasmError('invalid', 'unknown memory 0');
    return mem;
  }

  memInit(segment: number, dest: number, src: number, n: number, segmentOffset?: number): void {
    const mem = this.memory();
    const data = this.dataSegments[segment] ?? EMPTY_BYTES;
    const d = dest >>> 0, s = src >>> 0, len = n >>> 0;
    if (s + len > data.length || d + len > mem.bytes.length) this.boundsTrap('out of bounds memory access', segmentOffset);
    mem.bytes.set(data.subarray(s, s + len), d);
  }

  dataDrop(segment: number): void {
    this.dataSegments[segment] = EMPTY_BYTES;
  }

  memCopy(dest: number, src: number, n: number): void {
    const bytes = this.memory().bytes;
    const d = dest >>> 0, s = src >>> 0, len = n >>> 0;
    if (s + len > bytes.length || d + len > bytes.length) this.trap('out of bounds memory access');
    bytes.copyWithin(d, s, s + len);
  }

  memFill(dest: number, value: number, n: number): void {
    const bytes = this.memory().bytes;
    const d = dest >>> 0, len = n >>> 0;
    if (d + len > bytes.length) this.trap('out of bounds memory access');
    bytes.fill(value & 0xff, d, d + len);
  }

  tableGet(table: WasmTable, index: number): unknown {
    const i = index >>> 0;
    if (i >= table.elements.length) this.trap('out of bounds table access');
    return table.elements[i];
  }

  tableSet(table: WasmTable, index: number, value: unknown): void {
    const i = index >>> 0;
    if (i >= table.elements.length) this.trap('out of bounds table access');
    table.elements[i] = value;
  }

  tableFill(table: WasmTable, index: number, value: unknown, n: number): void {
    const i = index >>> 0, len = n >>> 0;
    if (i + len > table.elements.length) this.trap('out of bounds table access');
    table.elements.fill(value, i, i + len);
  }

  tableInit(table: number, segment: number, dest: number, src: number, n: number, segmentOffset?: number): void {
    const elements = this.env.T[table]!.elements;
    const seg = this.elemSegments[segment] ?? [];
    const d = dest >>> 0, s = src >>> 0, len = n >>> 0;
    if (s + len > seg.length || d + len > elements.length) this.boundsTrap('out of bounds table access', segmentOffset);
    for (let k = 0; k < len; k++) elements[d + k] = seg[s + k];
  }

  elemDrop(segment: number): void {
    this.elemSegments[segment] = [];
  }

  tableCopy(destTable: number, srcTable: number, dest: number, src: number, n: number): void {
    const de = this.env.T[destTable]!.elements, se = this.env.T[srcTable]!.elements;
    const d = dest >>> 0, s = src >>> 0, len = n >>> 0;
    if (s + len > se.length || d + len > de.length) this.trap('out of bounds table access');
    if (de === se) de.copyWithin(d, s, s + len);
    else for (let k = 0; k < len; k++) de[d + k] = se[s + k];
  }

  /** `len` bytes of memory at addr+offset, bounds-checked (a view, not a copy). */
  bytesAt(addr: number, offset: number, len: number): Uint8Array {
    const bytes = this.memory().bytes;
    const ea = (addr >>> 0) + offset;
    if (ea + len > bytes.length) this.trap('out of bounds memory access');
    return bytes.subarray(ea, ea + len);
  }

  v128Load(addr: number, offset: number): Uint8Array {
    return this.bytesAt(addr, offset, 16).slice();
  }

  v128Store(addr: number, offset: number, value: Uint8Array): void {
    this.bytesAt(addr, offset, 16).set(value);
  }

  /** A scalar load for SIMD helpers: 8/16/32 bits as int32 number, 64 bits as bigint. */
  scalarLoad(addr: number, offset: number, bits: number): number | bigint {
    const view = this.memory().view;
    const ea = (addr >>> 0) + offset;
    if (ea + bits / 8 > view.byteLength) this.trap('out of bounds memory access');
    switch (bits) {
      case 8: return view.getUint8(ea);
      case 16: return view.getUint16(ea, true);
      case 32: return view.getInt32(ea, true);
      default: return view.getBigInt64(ea, true);
    }
  }

  scalarStore(addr: number, offset: number, bits: number, value: number | bigint): void {
    const view = this.memory().view;
    const ea = (addr >>> 0) + offset;
    if (ea + bits / 8 > view.byteLength) this.trap('out of bounds memory access');
    switch (bits) {
      case 8: view.setUint8(ea, Number(value) & 0xff); break;
      case 16: view.setUint16(ea, Number(value) & 0xffff, true); break;
      case 32: view.setInt32(ea, Number(value), true); break;
      default: view.setBigInt64(ea, BigInt(value), true);
    }
  }

  get moduleName(): string | undefined {
    return this.module.names.module;
  }
}
