// The runtime objects behind exports and imports: functions, memories, tables and globals. An
// instance's exports are these objects, and passing one as another instance's import links the
// two (the same object is shared, so a memory grown by one instance is seen by both).

import { WasmError } from '../wasm/errors.js';
import { ValType, type FuncType, type GlobalType, type Limits, type RefType } from '../wasm/types.js';

/** Canonical id of a function type, so call_indirect compares signatures with one `!==`. */
const sigIds = new Map<string, number>();
export function signatureId(t: FuncType): number {
  const key = `${t.params.join(',')}>${t.results.join(',')}`;
  let id = sigIds.get(key);
  if (id === undefined) {
    id = sigIds.size + 1;
    sigIds.set(key, id);
  }
  return id;
}

/**
 * Generated code calls `code` with internal-convention values (see numeric.ts) and receives one
 * result directly, or for several results finds them in `RESULTS` (f64 ones in `RESULTS_F64`,
 * whose typed storage keeps NaN payloads that a plain array would canonicalise).
 */
// Calls take and return any internal-convention value; the types are checked by validation.
export type Code = (...args: any[]) => any;

export const MAX_RESULTS = 4096;
export const RESULTS: unknown[] = new Array<unknown>(MAX_RESULTS).fill(0);
export const RESULTS_F64 = new Float64Array(MAX_RESULTS);

export class WasmFunction {
  readonly sig: number;
  constructor(
    readonly type: FuncType,
    /** Current code (swapped when the function is recompiled in another tier). */
    public code: Code,
    /** Function index in its defining instance, or -1 for a host function. */
    readonly index: number,
    /** For host functions: the original JS function. */
    readonly host?: (...args: never[]) => unknown,
  ) {
    this.sig = signatureId(type);
  }
}

export const PAGE_SIZE = 65536;
export const MAX_PAGES = 65536;

export class WasmMemory {
  buffer: ArrayBuffer;
  /** Replaced on grow: generated code re-reads it after every call and memory.grow. */
  view: DataView;
  bytes: Uint8Array;
  readonly limits: Limits;

  /** `cap` is the embedder's page limit (InstanceOptions.maxMemoryPages); growth beyond it fails. */
  constructor(limits: Limits, readonly cap: number = MAX_PAGES) {
    this.limits = { min: limits.min, max: limits.max };
    try {
      this.buffer = new ArrayBuffer(limits.min * PAGE_SIZE);
    } catch {
      // V8 refuses very large buffers (RangeError); that is resource exhaustion, not a crash.
      throw new WasmError('exhaustion', `cannot allocate a memory of ${limits.min} pages`);
    }
    this.view = new DataView(this.buffer);
    this.bytes = new Uint8Array(this.buffer);
  }

  get pages(): number {
    return this.buffer.byteLength / PAGE_SIZE;
  }

  /** memory.grow: the old size in pages, or -1 when the limit, the cap or the host refuses. */
  grow(delta: number): number {
    const old = this.pages;
    const target = old + delta;
    if (target > Math.min(this.limits.max ?? MAX_PAGES, this.cap, MAX_PAGES)) return -1;
    if (delta === 0) return old;
    let next: ArrayBuffer;
    try {
      next = new ArrayBuffer(target * PAGE_SIZE);
    } catch {
      return -1;
    }
    const bytes = new Uint8Array(next);
    bytes.set(this.bytes);
    this.buffer = next;
    this.view = new DataView(next);
    this.bytes = bytes;
    this.limits.min = target;
    return old;
  }
}

/** The engine's table size limit (the spec allows 2^32-1; a JS array that long cannot be allocated). */
export const MAX_TABLE_LENGTH = 10_000_000;

export class WasmTable {
  /** Grown in place (push), so generated code may cache the array. */
  readonly elements: unknown[];
  readonly limits: Limits;

  constructor(readonly elem: RefType, limits: Limits, init: unknown = null) {
    this.limits = { min: limits.min, max: limits.max };
    if (limits.min > MAX_TABLE_LENGTH) throw new WasmError('exhaustion', `cannot allocate a table of ${limits.min} elements`);
    this.elements = new Array<unknown>(limits.min).fill(init);
  }

  get length(): number {
    return this.elements.length;
  }

  /** table.grow: the old length, or -1. */
  grow(delta: number, init: unknown): number {
    const old = this.elements.length;
    const max = this.limits.max ?? 0xffffffff;
    if (old + delta > max || old + delta > MAX_TABLE_LENGTH) return -1;
    for (let i = 0; i < delta; i++) this.elements.push(init);
    this.limits.min = old + delta;
    return old;
  }
}

/** A global's storage: a one-element typed array for numbers (exact bits), an array otherwise. */
export type GlobalCell = Int32Array | BigInt64Array | Float64Array | unknown[];

export class WasmGlobal {
  readonly cell: GlobalCell;
  constructor(readonly type: GlobalType, value: unknown) {
    switch (type.type) {
      case ValType.I32: case ValType.F32: this.cell = new Int32Array(1); break;
      case ValType.I64: this.cell = new BigInt64Array(1); break;
      case ValType.F64: this.cell = new Float64Array(1); break;
      default: this.cell = [null];
    }
    this.value = value;
  }

  /** Internal-convention value (f32 as bits). */
  get value(): unknown {
    return this.cell[0];
  }

  set value(v: unknown) {
    (this.cell as unknown[])[0] = v;
  }
}

export type ExternValue = WasmFunction | WasmMemory | WasmTable | WasmGlobal;
