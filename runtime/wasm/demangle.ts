// Readable function names for symbols compilers put in the name section: Rust's legacy mangling
// (`_ZN4main9manhattan17h81dfc7db5b6c7594E` → `main::manhattan`, the hash dropped as wasmtime and
// rustc-demangle's alternate form do) and the common part of the Itanium C++ ABI
// (`_ZN6Circle4areaEv` → `Circle::area()`). Anything this does not fully understand is returned
// unchanged: a raw symbol is better than a wrong name. Rust's v0 scheme (`_R…`) is in
// demangle-rust-v0.ts.

import { demangleRustV0 } from './demangle-rust-v0.js';

/** The readable form of `symbol`, or `symbol` itself when it is not a mangled name we know. */
export function demangle(symbol: string): string {
  if (symbol.startsWith('_R')) return demangleRustV0(symbol) ?? symbol;
  const body = symbol.startsWith('__Z') ? symbol.slice(1) : symbol;
  if (!body.startsWith('_Z')) return tidyRustPath(symbol);
  return demangleRustLegacy(body) ?? demangleItanium(body) ?? symbol;
}

const RUST_HASH = /^h[0-9a-f]{16}$/;

/** Rust legacy: an Itanium-style nested name of plain components whose last one is `h<hash>`. */
function demangleRustLegacy(symbol: string): string | undefined {
  if (!symbol.startsWith('_ZN')) return undefined;
  const parts: string[] = [];
  let i = 3;
  while (i < symbol.length && symbol[i] !== 'E') {
    let length = 0;
    const digitsFrom = i;
    while (i < symbol.length && symbol[i]! >= '0' && symbol[i]! <= '9') length = length * 10 + Number(symbol[i++]);
    if (i === digitsFrom || length === 0 || i + length > symbol.length) return undefined;
    parts.push(symbol.slice(i, i + length));
    i += length;
  }
  // Anything after the closing E (a `.llvm.123` suffix) is not part of the path.
  if (symbol[i] !== 'E' || parts.length < 2 || !RUST_HASH.test(parts[parts.length - 1]!)) return undefined;
  return parts.slice(0, -1).map(unescapeRust).join('::');
}

const RUST_ESCAPES: Record<string, string> = { SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',' };

/** One legacy path component: `$LT$` → `<`, `$u20$` → ` `, `..` → `::`. */
function unescapeRust(part: string): string {
  const text = part.startsWith('_$') ? part.slice(1) : part;
  return text.replace(/\$([A-Z]{1,2}|u[0-9a-f]{1,6})\$/g, (whole, code: string) => {
    if (code.startsWith('u')) {
      const point = parseInt(code.slice(1), 16);
      return point <= 0x10ffff ? String.fromCodePoint(point) : whole;
    }
    return RUST_ESCAPES[code] ?? whole;
  }).replace(/\.\./g, '::');
}

/**
 * Names already split into `::` paths but still escaped (DWARF's names of inlined Rust functions,
 * e.g. `core::ops::_$LT$impl$u20$…$GT$::call_once::h<hash>`): unescaped, hash dropped.
 */
function tidyRustPath(name: string): string {
  if (!/\$(?:[A-Z]{1,2}|u[0-9a-f]{1,6})\$|::h[0-9a-f]{16}$/.test(name)) return name;
  const parts = name.split('::');
  if (RUST_HASH.test(parts[parts.length - 1]!)) parts.pop();
  return parts.map(unescapeRust).join('::');
}

// ---- Itanium C++ --------------------------------------------------------------------------------

class Unsupported extends Error {}

/** Stands for a template argument pack of other than one element (see templateArguments). */
const PACK = '\u0000pack';

const BUILTIN_TYPES: Record<string, string> = {
  v: 'void', w: 'wchar_t', b: 'bool', c: 'char', a: 'signed char', h: 'unsigned char', s: 'short',
  t: 'unsigned short', i: 'int', j: 'unsigned int', l: 'long', m: 'unsigned long', x: 'long long',
  y: 'unsigned long long', n: '__int128', o: 'unsigned __int128', f: 'float', d: 'double', e: 'long double',
  g: '__float128', z: '...',
};
const D_BUILTIN_TYPES: Record<string, string> = {
  n: 'std::nullptr_t', i: 'char32_t', s: 'char16_t', u: 'char8_t', a: 'auto', c: 'decltype(auto)',
};
const STD_ABBREVIATIONS: Record<string, string> = {
  a: 'std::allocator', b: 'std::basic_string', s: 'std::string', i: 'std::istream', o: 'std::ostream', d: 'std::iostream',
};
const OPERATORS: Record<string, string> = {
  nw: 'new', na: 'new[]', dl: 'delete', da: 'delete[]', ps: '+', ng: '-', ad: '&', de: '*', co: '~', pl: '+',
  mi: '-', ml: '*', dv: '/', rm: '%', an: '&', or: '|', eo: '^', aS: '=', pL: '+=', mI: '-=', mL: '*=', dV: '/=',
  rM: '%=', aN: '&=', oR: '|=', eO: '^=', ls: '<<', rs: '>>', lS: '<<=', rS: '>>=', eq: '==', ne: '!=', lt: '<',
  gt: '>', le: '<=', ge: '>=', ss: '<=>', nt: '!', aa: '&&', oo: '||', pp: '++', mm: '--', cm: ',', pm: '->*',
  pt: '->', cl: '()', ix: '[]', qu: '?',
};

interface NameResult {
  text: string;
  /** Ends in template arguments (then a function's first type is its return type). */
  template: boolean;
  /** A constructor, destructor or conversion operator (they have no return type). */
  noReturn: boolean;
  /** `const` etc. of a member function, printed after its parameters. */
  qualifiers: string;
}

/** A recursive-descent reader of one Itanium symbol; throws Unsupported on anything unknown. */
class ItaniumReader {
  private at = 2; // past `_Z`
  private readonly subs: string[] = [];
  private templateArgs: string[] = [];
  /** How many types are being read (template arguments inside types do not bind `T_`). */
  private typeDepth = 0;

  constructor(private readonly s: string) {}

  private peek(k = 0): string {
    return this.s[this.at + k] ?? '';
  }

  private take(text: string): boolean {
    if (!this.s.startsWith(text, this.at)) return false;
    this.at += text.length;
    return true;
  }

  private expect(text: string): void {
    if (!this.take(text)) throw new Unsupported();
  }

  encoding(): string {
    const name = this.name(false);
    if (this.at >= this.s.length || this.peek() === '.') return name.text;
    // A template function's first type is its return type, printed first as c++filt does.
    const returns = name.template && !name.noReturn ? `${this.type()} ` : '';
    const params = this.bareFunctionType();
    return `${returns}${name.text}(${params})${name.qualifiers}`;
  }

  get done(): boolean {
    // A clone suffix (`.cold`, `.llvm.42`) may follow the symbol proper.
    return this.at === this.s.length || this.peek() === '.';
  }

  private bareFunctionType(): string {
    const types: string[] = [];
    while (!this.done && this.peek() !== 'E') types.push(this.type());
    return types.length === 1 && types[0] === 'void' ? '' : types.join(', ');
  }

  /**
   * A name; in a type (`asType`) the whole name is a substitution candidate, while a function's
   * own complete name is not.
   */
  private name(asType: boolean): NameResult {
    if (this.peek() === 'N') {
      const nested = this.nestedName();
      if (asType) this.subs.push(nested.text);
      return nested;
    }
    if (this.peek() === 'Z') throw new Unsupported(); // local names: rare in the name section
    const unscoped = this.take('St') ? `std::${this.unqualifiedName().text}` : undefined;
    const first = unscoped === undefined && this.peek() === 'S' ? { text: this.substitution(), noReturn: false } : undefined;
    const base = first ?? (unscoped !== undefined ? { text: unscoped, noReturn: false } : this.unqualifiedName());
    if (this.peek() === 'I') {
      if (!first) this.subs.push(base.text);
      const args = this.templateArguments();
      const text = base.text + args;
      if (asType) this.subs.push(text);
      return { text, template: true, noReturn: base.noReturn, qualifiers: '' };
    }
    if (asType && !first) this.subs.push(base.text);
    return { text: base.text, template: false, noReturn: base.noReturn, qualifiers: '' };
  }

  private nestedName(): NameResult {
    this.expect('N');
    let qualifiers = '';
    if (this.take('r')) qualifiers += ' restrict';
    if (this.take('V')) qualifiers += ' volatile';
    if (this.take('K')) qualifiers = ' const' + qualifiers;
    if (this.take('R')) qualifiers += ' &';
    else if (this.take('O')) qualifiers += ' &&';
    let prefix = '';
    let last = '';
    let template = false;
    let noReturn = false;
    while (!this.take('E')) {
      if (this.at >= this.s.length) throw new Unsupported();
      template = false;
      if (this.peek() === 'I') {
        if (!prefix) throw new Unsupported();
        prefix += this.templateArguments();
        template = true;
      } else if (this.peek() === 'S' && !prefix) {
        prefix = this.take('St') ? 'std' : this.substitution();
        if (prefix === 'std') continue; // `St` is not itself a substitution candidate
        continue;
      } else if (this.peek() === 'C' || (this.peek() === 'D' && /[0-5]/.test(this.peek(1)))) {
        const ctor = this.peek() === 'C';
        this.at += 2;
        prefix = `${prefix}::${ctor ? '' : '~'}${lastComponent(last)}`;
        noReturn = true;
      } else {
        const part = this.unqualifiedName();
        noReturn = part.noReturn;
        last = part.text;
        prefix = prefix ? `${prefix}::${part.text}` : part.text;
      }
      if (this.peek() !== 'E') this.subs.push(prefix);
    }
    return { text: prefix, template, noReturn, qualifiers };
  }

  private unqualifiedName(): { text: string; noReturn: boolean } {
    this.take('L'); // internal linkage (a `static` function) does not change the name
    const c = this.peek();
    if (c >= '0' && c <= '9') return { text: this.sourceName(), noReturn: false };
    if (this.take('cv')) return { text: `operator ${this.type()}`, noReturn: true };
    const op = OPERATORS[this.s.slice(this.at, this.at + 2)];
    if (op !== undefined) {
      this.at += 2;
      // `operator< <T>`: a space keeps the template's `<` from reading as `<<`.
      return { text: `operator${/^[a-z]/.test(op) ? ' ' : ''}${op}${op.endsWith('<') && this.peek() === 'I' ? ' ' : ''}`, noReturn: false };
    }
    throw new Unsupported();
  }

  private sourceName(): string {
    let length = 0;
    const from = this.at;
    while (this.peek() >= '0' && this.peek() <= '9') length = length * 10 + Number(this.s[this.at++]);
    if (this.at === from || length === 0 || this.at + length > this.s.length) throw new Unsupported();
    const id = this.s.slice(this.at, this.at + length);
    this.at += length;
    return id.startsWith('_GLOBAL__N') ? '(anonymous namespace)' : id;
  }

  private substitution(): string {
    this.expect('S');
    const abbreviation = STD_ABBREVIATIONS[this.peek()];
    if (abbreviation !== undefined) {
      this.at++;
      return abbreviation;
    }
    let index = 0;
    if (!this.take('_')) {
      let id = 0;
      const from = this.at;
      while (/[0-9A-Z]/.test(this.peek())) id = id * 36 + parseInt(this.s[this.at++]!, 36);
      if (this.at === from) throw new Unsupported();
      this.expect('_');
      index = id + 1;
    }
    const sub = this.subs[index];
    if (sub === undefined) throw new Unsupported();
    return sub;
  }

  private templateArguments(): string {
    this.expect('I');
    const args: string[] = [];
    const packTexts = new Map<number, string>();
    while (!this.take('E')) {
      if (this.at >= this.s.length) throw new Unsupported();
      if (this.take('L')) args.push(this.literal());
      else if (this.take('J')) {
        // A pack is one template argument; only a pack of exactly one is expanded faithfully
        // by reading it as that one type (more would need a list where one type goes).
        const pack = this.argumentPack();
        args.push(pack.length === 1 ? pack[0]! : PACK);
        if (pack.length !== 1) packTexts.set(args.length - 1, pack.join(', '));
      }
      else args.push(this.type());
    }
    // `T_` means the encoding's own (innermost) template's arguments, not those met in types.
    if (this.typeDepth === 0) this.templateArgs = args;
    const text = args.map((a, i) => (a === PACK ? packTexts.get(i)! : a)).join(', ');
    return `<${text}${text.endsWith('>') ? ' ' : ''}>`;
  }

  /** `J arg* E`: a variadic template's pack, printed inline (c++filt's form). */
  private argumentPack(): string[] {
    const pack: string[] = [];
    while (!this.take('E')) {
      if (this.at >= this.s.length) throw new Unsupported();
      pack.push(this.take('L') ? this.literal() : this.type());
    }
    return pack;
  }

  private literal(): string {
    const c = this.peek();
    const type = BUILTIN_TYPES[c];
    if (type === undefined) throw new Unsupported();
    this.at++;
    const negative = this.take('n');
    let digits = '';
    while (/[0-9]/.test(this.peek())) digits += this.s[this.at++];
    this.expect('E');
    if (type === 'bool') return digits === '0' ? 'false' : 'true';
    const suffix = ({ j: 'u', l: 'l', m: 'ul', x: 'll', y: 'ull' } as Record<string, string>)[c] ?? '';
    return `${negative ? '-' : ''}${digits}${suffix}`;
  }

  private type(): string {
    this.typeDepth++;
    try {
      return this.typeInner();
    } finally {
      this.typeDepth--;
    }
  }

  private typeInner(): string {
    const c = this.peek();
    const builtin = BUILTIN_TYPES[c];
    if (builtin !== undefined) {
      this.at++;
      return builtin;
    }
    if (c === 'D' && this.peek(1) === 'p') {
      this.at += 2;
      return this.type(); // a pack expansion reads as its pattern
    }
    if (c === 'D') {
      const d = D_BUILTIN_TYPES[this.peek(1)];
      if (d === undefined) throw new Unsupported();
      this.at += 2;
      return d;
    }
    let result: string;
    if (c === 'P' || c === 'R' || c === 'O') {
      this.at++;
      result = withDeclarator(this.type(), c === 'P' ? '*' : c === 'R' ? '&' : '&&');
    } else if (c === 'K' || c === 'V' || c === 'r') {
      this.at++;
      const inner = this.type();
      result = `${inner} ${c === 'K' ? 'const' : c === 'V' ? 'volatile' : 'restrict'}`;
    } else if (c === 'S' && this.peek(1) !== 't') {
      result = this.substitution();
      if (this.peek() === 'I') result += this.templateArguments();
      else return result; // a substitution is not itself a new candidate
    } else if (c === 'T') {
      this.at++;
      let index = 0;
      if (!this.take('_')) {
        const from = this.at;
        while (/[0-9A-Z]/.test(this.peek())) index = index * 36 + parseInt(this.s[this.at++]!, 36);
        if (this.at === from) throw new Unsupported();
        this.expect('_');
        index++;
      }
      const arg = this.templateArgs[index];
      if (arg === undefined || arg === PACK) throw new Unsupported();
      result = arg;
    } else if (c === 'N' || c === 'S' || (c >= '0' && c <= '9')) {
      return this.name(true).text; // the name added its own candidates
    } else {
      throw new Unsupported(); // function, array and member pointer types, vendor qualifiers, …
    }
    this.subs.push(result);
    return result;
  }
}

/**
 * `int` + `*` → `int*`; `char const` + `&` → `char const&` (c++filt's spelling). References to
 * references collapse as in C++: only `&&` applied to `&&` stays `&&`.
 */
function withDeclarator(inner: string, declarator: string): string {
  if (declarator !== '*' && inner.endsWith('&')) {
    if (inner.endsWith('&&') && declarator === '&') return `${inner.slice(0, -1)}`;
    return inner;
  }
  return `${inner}${declarator}`;
}

/** The last `::` component of a name, template arguments removed (a constructor's class name). */
function lastComponent(name: string): string {
  const plain = name.replace(/<.*>$/, '');
  return plain.slice(plain.lastIndexOf('::') + 1 || 0).replace(/^:/, '');
}

function demangleItanium(symbol: string): string | undefined {
  try {
    const reader = new ItaniumReader(symbol);
    const text = reader.encoding();
    return reader.done ? text : undefined;
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
}
