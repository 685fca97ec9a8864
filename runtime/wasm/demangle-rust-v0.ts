// Rust's v0 symbol mangling (`_RNvCs…_4main9manhattan` → `main::manhattan`): the scheme the standard
// library ships with since Rust 1.8x, printed as rustc-demangle's alternate form does (no crate
// hashes; closures as `{closure#N}`; a function's generic arguments after `::<`). Anything outside
// the subset below (punycode identifiers, function pointer and `dyn` types, named lifetimes,
// non-integer constants) makes the whole symbol stay raw: a raw name is better than a wrong one.

class Unsupported extends Error {}

const BASIC_TYPES: Record<string, string> = {
  a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize', j: 'usize', l: 'i32',
  m: 'u32', n: 'i128', o: 'u128', s: 'i16', t: 'u16', u: '()', v: '...', x: 'i64', y: 'u64', z: '!', p: '_',
};
const INTEGER_TYPES = new Set(['a', 'h', 'i', 'j', 'l', 'm', 'n', 'o', 's', 't', 'x', 'y']);
/** Deeper than any real symbol; crafted backreferences cannot recurse past it. */
const MAX_DEPTH = 300;

class V0Reader {
  private at = 0;
  private depth = 0;

  /** `s` is the symbol after `_R`, which backreferences index into. */
  constructor(private readonly s: string) {}

  private peek(): string {
    return this.s[this.at] ?? '';
  }

  private next(): string {
    if (this.at >= this.s.length) throw new Unsupported();
    return this.s[this.at++]!;
  }

  private eat(c: string): boolean {
    if (this.s[this.at] !== c) return false;
    this.at++;
    return true;
  }

  /** base-62-number: `_` is 0, otherwise digits then `_`, the value plus one. */
  private integer62(): number {
    if (this.eat('_')) return 0;
    let x = 0;
    for (;;) {
      const c = this.next();
      if (c === '_') return x + 1;
      const d = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 87
        : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 29 : -1;
      if (d < 0) throw new Unsupported();
      // Crate disambiguators are 64-bit hashes: saturate (their value is never printed, and a
      // backreference this large is out of range anyway).
      x = Math.min(x * 62 + d, Number.MAX_SAFE_INTEGER);
    }
  }

  /** An optional `tag` base-62-number, plus one; 0 when absent. */
  private optInteger62(tag: string): number {
    return this.eat(tag) ? this.integer62() + 1 : 0;
  }

  private decimal(): number {
    const from = this.at;
    while (this.peek() >= '0' && this.peek() <= '9') this.at++;
    if (this.at === from || (this.s[from] === '0' && this.at - from > 1)) throw new Unsupported();
    return Number(this.s.slice(from, this.at));
  }

  private ident(): string {
    if (this.eat('u')) throw new Unsupported(); // punycode
    const length = this.decimal();
    this.eat('_');
    if (this.at + length > this.s.length) throw new Unsupported();
    const name = this.s.slice(this.at, this.at + length);
    this.at += length;
    return name;
  }

  /** Runs `read` at the position a backreference names, then comes back. */
  private backref<T>(read: () => T): T {
    const start = this.at - 1;
    const target = this.integer62();
    if (target >= start) throw new Unsupported();
    const resume = this.at;
    this.at = target;
    try {
      return read();
    } finally {
      this.at = resume;
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new Unsupported();
  }

  symbol(): string {
    if (this.peek() >= '0' && this.peek() <= '9') throw new Unsupported(); // an encoding version
    const path = this.path(true);
    // The instantiating crate may follow; it is not printed.
    if (this.at < this.s.length && this.peek() !== '.') this.path(false);
    if (this.at < this.s.length && this.peek() !== '.') throw new Unsupported();
    return path;
  }

  path(inValue: boolean): string {
    this.enter();
    try {
      const tag = this.next();
      switch (tag) {
        case 'C': {
          this.optInteger62('s');
          return this.ident();
        }
        case 'N': {
          const ns = this.next();
          const prefix = this.path(inValue);
          const dis = this.optInteger62('s');
          const name = this.ident();
          if (ns >= 'A' && ns <= 'Z') {
            const what = ns === 'C' ? 'closure' : ns === 'S' ? 'shim' : ns;
            return `${prefix}::{${what}${name ? `:${name}` : ''}#${dis}}`;
          }
          return name ? `${prefix}::${name}` : prefix;
        }
        case 'M':
        case 'X':
        case 'Y': {
          if (tag !== 'Y') {
            this.optInteger62('s');
            this.path(false); // the impl's own path (its module), not printed
          }
          const self = this.type();
          return tag === 'M' ? `<${self}>` : `<${self} as ${this.path(false)}>`;
        }
        case 'I': {
          const base = this.path(inValue);
          const args: string[] = [];
          while (!this.eat('E')) args.push(this.genericArg());
          return `${base}${inValue ? '::' : ''}<${args.join(', ')}>`;
        }
        case 'B':
          return this.backref(() => this.path(inValue));
        default:
          throw new Unsupported();
      }
    } finally {
      this.depth--;
    }
  }

  private genericArg(): string {
    if (this.eat('L')) {
      if (this.integer62() !== 0) throw new Unsupported(); // a named lifetime needs its binder
      return "'_";
    }
    if (this.eat('K')) return this.constant();
    return this.type();
  }

  private constant(): string {
    if (this.eat('p')) return '_';
    if (this.eat('B')) return this.backref(() => this.constant());
    const type = this.next();
    const negative = INTEGER_TYPES.has(type) && this.eat('n');
    const from = this.at;
    while (/[0-9a-f]/.test(this.peek())) this.at++;
    const hex = this.s.slice(from, this.at);
    if (!this.eat('_')) throw new Unsupported();
    const value = hex === '' ? 0n : BigInt(`0x${hex}`);
    if (INTEGER_TYPES.has(type)) return `${negative ? '-' : ''}${value}`;
    if (type === 'b' && value <= 1n) return value === 1n ? 'true' : 'false';
    throw new Unsupported();
  }

  type(): string {
    this.enter();
    try {
      const tag = this.next();
      const basic = BASIC_TYPES[tag];
      if (basic !== undefined) return basic;
      switch (tag) {
        case 'R':
        case 'Q': {
          if (this.eat('L') && this.integer62() !== 0) throw new Unsupported();
          return `&${tag === 'Q' ? 'mut ' : ''}${this.type()}`;
        }
        case 'P': return `*const ${this.type()}`;
        case 'O': return `*mut ${this.type()}`;
        case 'A': {
          const element = this.type();
          return `[${element}; ${this.constant()}]`;
        }
        case 'S': return `[${this.type()}]`;
        case 'T': {
          const items: string[] = [];
          while (!this.eat('E')) items.push(this.type());
          return `(${items.join(', ')}${items.length === 1 ? ',' : ''})`;
        }
        case 'B': return this.backref(() => this.type());
        case 'F':
        case 'D':
          throw new Unsupported(); // fn pointers and trait objects: not in this subset
        default:
          this.at--;
          return this.path(false);
      }
    } finally {
      this.depth--;
    }
  }
}

/** The readable form of a v0 symbol (`_R…`), or undefined when it is not one this reads. */
export function demangleRustV0(symbol: string): string | undefined {
  if (!symbol.startsWith('_R')) return undefined;
  try {
    return new V0Reader(symbol.slice(2)).symbol();
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
