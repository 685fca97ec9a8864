// A function whose body is decoded when first read instead of kept from module decoding. The
// decoder still decodes (and so checks) every body; a module decoded with `bodies: 'on-demand'`
// just does not hold on to the instruction objects. `wasmscope check` and the language server
// decode a module to validate it: kept bodies were most of what a check left for the garbage
// collector to copy (about 11 MB of objects for a 50,000-line text, copied through the small young
// generation of a fresh process), while the validator needs each body only while it checks it.
import type { Func, Instr, ValType } from '../wasm/types.js';
import { decodeExpr } from './code.js';
import { ByteReader } from './reader.js';

export class OnDemandFunc implements Func {
  private decoded: Instr[] | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    /** Index in the function index space (what errors while decoding would name). */
    private readonly funcIndex: number,
    readonly typeIndex: number,
    readonly locals: ValType[],
    readonly start: number,
    readonly codeStart: number,
    readonly end: number,
  ) {}

  /** The body, decoded on first use and kept from then on. */
  get body(): Instr[] {
    return (this.decoded ??= this.decode());
  }

  /** The body without keeping it (unless it was kept already): for one pass over it. */
  transientBody(): Instr[] {
    return this.decoded ?? this.decode();
  }

  private decode(): Instr[] {
    const r = new ByteReader(this.bytes, this.codeStart, this.end);
    r.funcIndex = this.funcIndex;
    return decodeExpr(r);
  }
}

/** A function's body for one pass over it: an on-demand body is decoded without being kept. */
export function bodyForOnePass(func: Func): Instr[] {
  return func instanceof OnDemandFunc ? func.transientBody() : func.body;
}
