// Every error the runtime reports carries where it happened: a byte offset into the module (and
// the function index when inside code) for binary input, file:line:col for text (see runtime/text).

export type WasmErrorKind = 'malformed' | 'invalid' | 'link' | 'trap' | 'exhaustion' | 'uninstantiable';

export interface BinaryLocation {
  /** Absolute byte offset into the module binary. */
  offset: number;
  /** Function index (in the function index space) when the location is inside a function body. */
  funcIndex?: number;
}

/** Base class for errors raised by decoding, validation, linking and execution. */
export class WasmError extends Error {
  constructor(
    readonly kind: WasmErrorKind,
    message: string,
    readonly location?: BinaryLocation,
  ) {
    super(message);
    this.name = 'WasmError';
  }

  /** "message at function 3, offset 0x4a" style, for command-line output. */
  describe(): string {
    const loc = this.location;
    if (!loc) return this.message;
    const fn = loc.funcIndex !== undefined ? `function ${loc.funcIndex}, ` : '';
    return `${this.message} (at ${fn}offset 0x${loc.offset.toString(16)})`;
  }
}

/** The binary is not well-formed (spec: "malformed"). */
export class DecodeError extends WasmError {
  constructor(message: string, location: BinaryLocation) {
    super('malformed', message, location);
    this.name = 'DecodeError';
  }
}

/** The module is well-formed but does not validate (spec: "invalid"). */
export class ValidationError extends WasmError {
  constructor(message: string, location: BinaryLocation) {
    super('invalid', message, location);
    this.name = 'ValidationError';
  }
}

/** Imports do not match (spec: "unlinkable"). */
export class LinkError extends WasmError {
  constructor(message: string) {
    super('link', message);
    this.name = 'LinkError';
  }
}
