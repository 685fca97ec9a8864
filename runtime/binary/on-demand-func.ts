// A function whose body is decoded when it is read, not when its module is decoded (a module
// decoded with `bodies: 'on-demand'`). The body's own well-formedness checks (opcodes, immediates,
// the final `end`, the data count section memory.init needs) run then too, so reading `body` of a
// malformed function throws its DecodeError; validateModule reports that error for the function.
// `wasmscope check` and the language server decode a module to validate it: kept bodies were most
// of what a check left for the garbage collector to copy (about 11 MB of objects for a 50,000-line
// text, copied through the small young generation of a fresh process), and decoding every body
// twice (to check it, then to validate it) cost what the collector saved.
import type { Func, Instr, ValType } from '../wasm/types.js';
import { decodeExpr, type ExprInfo } from './code.js';
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
    /** Whether the module has a data count section (memory.init and data.drop need one). */
    private readonly hasDataCount: boolean,
  ) {}

  /** The body, decoded on first use and kept from then on. */
  get body(): Instr[] {
    return (this.decoded ??= this.decode());
  }

  /** The body without keeping it (unless it was kept already): for one pass over it. */
  transientBody(): Instr[] {
    return this.decoded ?? this.decode();
  }

  /** The checks decodeModule makes for a kept body, in the same order and with the same errors. */
  private decode(): Instr[] {
    const r = new ByteReader(this.bytes, this.codeStart, this.end);
    r.funcIndex = this.funcIndex;
    const info: ExprInfo = { usesDataIndex: false };
    const body = decodeExpr(r, info);
    if (r.pos !== this.end) r.fail('END opcode expected', r.pos);
    if (info.usesDataIndex && !this.hasDataCount) r.fail('data count section required', this.codeStart);
    return body;
  }
}

/** A function's body for one pass over it: an on-demand body is decoded without being kept. */
export function bodyForOnePass(func: Func): Instr[] {
  return func instanceof OnDemandFunc ? func.transientBody() : func.body;
}
