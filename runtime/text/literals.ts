// Numeric and string literals of the text format. Floats are rounded exactly (round to nearest,
// ties to even) from the literal's rational value with BigInt arithmetic; f32 never goes through
// f64 first, which would round twice. Out-of-range literals are errors, as the spec requires.

/** Thrown for a malformed literal; the caller attaches the token's range. */
export class LiteralError extends Error {}

function stripUnderscores(s: string): string {
  if (!s.includes('_')) return s;
  // `_` may only separate two digits (hex digits in the hex part of a hex literal).
  const hex = s.startsWith('0x');
  const digit = hex ? /[0-9a-fA-F]/ : /[0-9]/;
  const expAt = hex ? s.search(/[pP]/) : s.search(/[eE]/);
  for (let i = s.indexOf('_'); i !== -1; i = s.indexOf('_', i + 1)) {
    const inExponent = expAt !== -1 && i > expAt;
    const d = inExponent ? /[0-9]/ : digit;
    if (!d.test(s[i - 1] ?? '') || !d.test(s[i + 1] ?? '')) throw new LiteralError(`malformed number \`${s}\`: \`_\` must separate digits`);
  }
  return s.replace(/_/g, '');
}

/** Parses an integer literal as an unbounded BigInt, or throws. */
export function parseIntegerLiteral(text: string): bigint {
  let s = text;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  s = stripUnderscores(s);
  let value: bigint;
  // No caller takes more than 64 bits; refusing absurdly long literals up front also keeps
  // BigInt's quadratic decimal parsing off megabyte-long digit strings.
  const tooLong = (): never => { throw new LiteralError(`constant \`${text.length > 40 ? text.slice(0, 40) + '…' : text}\` is out of range`); };
  if (s.startsWith('0x')) {
    if (!/^0x[0-9a-fA-F]+$/.test(s)) throw new LiteralError(`malformed integer \`${text}\``);
    if (s.length > 40 && s.slice(2).replace(/^0+/, '').length > 32) tooLong();
    value = BigInt(s);
  } else {
    if (!/^[0-9]+$/.test(s)) throw new LiteralError(`malformed integer \`${text}\``);
    if (s.length > 40 && s.replace(/^0+/, '').length > 40) tooLong();
    value = BigInt(s);
  }
  return negative ? -value : value;
}

/** An unsigned integer that fits in `bits` bits (indices, alignments, lanes, limits). */
export function parseUnsigned(text: string, bits: 32 | 64): bigint {
  if (text.length < 10 && /^[0-9]+$/.test(text)) return BigInt(parseInt(text, 10));
  if (text[0] === '+' || text[0] === '-') throw new LiteralError(`expected an unsigned integer, found \`${text}\``);
  const v = parseIntegerLiteral(text);
  if (v >= 1n << BigInt(bits)) throw new LiteralError(`integer \`${text}\` is out of range for u${bits}`);
  return v;
}

/** i32/i64 literal: signed or unsigned range accepted, result wrapped to the signed form. */
export function parseIntN(text: string, bits: 8 | 16 | 32 | 64): bigint {
  // Fast path for the overwhelmingly common short decimal literal.
  if (bits === 32 && text.length < 10 && /^-?[0-9]+$/.test(text)) return BigInt(parseInt(text, 10));
  const v = parseIntegerLiteral(text);
  const b = BigInt(bits);
  const hasSign = text[0] === '-' || text[0] === '+';
  const min = -(1n << (b - 1n));
  const max = (1n << b) - 1n;
  if (v < min || v > max || (hasSign && v > (1n << (b - 1n)) - 1n)) {
    throw new LiteralError(`constant \`${text}\` is out of range for i${bits}`);
  }
  return BigInt.asIntN(bits, v);
}

/**
 * The value of a short unsigned literal written plainly (up to 9 decimal or 7 hex digits, no
 * `_`), scanned without a regular expression or BigInt; -1 for anything else, which the general
 * parser then handles (and reports). Most literals in real code (offsets, masks, small constants)
 * take this path.
 */
export function smallUnsigned(text: string, from = 0): number {
  const n = text.length;
  if (text.charCodeAt(from) === 48 /* 0 */ && text.charCodeAt(from + 1) === 120 /* x */) {
    if (n - from - 2 < 1 || n - from - 2 > 7) return -1;
    let v = 0;
    for (let i = from + 2; i < n; i++) {
      const c = text.charCodeAt(i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if (c >= 97 && c <= 102) d = c - 87;
      else if (c >= 65 && c <= 70) d = c - 55;
      else return -1;
      v = v * 16 + d;
    }
    return v;
  }
  if (n - from < 1 || n - from > 9) return -1;
  let v = 0;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  return v;
}

export function parseI32(text: string): number {
  const negative = text.charCodeAt(0) === 45;
  const small = smallUnsigned(text, negative ? 1 : 0);
  if (small >= 0) return (negative ? -small : small) | 0; // | 0 turns -0 into 0
  return Number(parseIntN(text, 32));
}

export function parseI64(text: string): bigint {
  return parseIntN(text, 64);
}

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

interface FloatFormat {
  /** Significand bits including the implicit one. */
  precision: number;
  expBits: number;
}
const F32: FloatFormat = { precision: 24, expBits: 8 };
const F64: FloatFormat = { precision: 53, expBits: 11 };

/** Rounds num/den (both > 0) to the format; returns the bits without sign, or throws on overflow. */
function roundRational(num: bigint, den: bigint, fmt: FloatFormat, text: string): bigint {
  const p = fmt.precision;
  const bias = (1 << (fmt.expBits - 1)) - 1;
  const emin = 1 - bias;
  const emax = bias;
  // Binary exponent e with 2^e <= num/den < 2^(e+1).
  let e = bitLength(num) - bitLength(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e--;
  if (e < emin) e = emin;
  const shift = e - (p - 1);
  let q: bigint, r: bigint, d: bigint;
  if (shift >= 0) {
    d = den << BigInt(shift);
    q = num / d;
    r = num - q * d;
  } else {
    const scaled = num << BigInt(-shift);
    d = den;
    q = scaled / d;
    r = scaled - q * d;
  }
  const twice = r * 2n;
  if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
  if (q === 1n << BigInt(p)) {
    q >>= 1n;
    e++;
  }
  if (e > emax) throw new LiteralError(`constant \`${text}\` is out of range`);
  const implicit = 1n << BigInt(p - 1);
  if (q < implicit) return q; // subnormal (or zero)
  return (BigInt(e + bias) << BigInt(p - 1)) | (q - implicit);
}

/** Float literal → bits (number for f32, bigint for f64). */
function parseFloatBits(text: string, fmt: FloatFormat): bigint {
  let s = text;
  let negative = false;
  if (s[0] === '+' || s[0] === '-') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  const totalBits = fmt.precision + fmt.expBits;
  const signBit = negative ? 1n << BigInt(totalBits - 1) : 0n;
  const mantBits = BigInt(fmt.precision - 1);
  const expAll = ((1n << BigInt(fmt.expBits)) - 1n) << mantBits;
  if (s === 'inf') return signBit | expAll;
  if (s === 'nan') return signBit | expAll | (1n << (mantBits - 1n));
  if (s.startsWith('nan:0x')) {
    const payloadText = stripUnderscores(s.slice(4)).slice(2);
    if (!/^[0-9a-fA-F]+$/.test(payloadText)) throw new LiteralError(`malformed NaN payload in \`${text}\``);
    const payload = BigInt('0x' + payloadText);
    if (payload === 0n || payload >= 1n << mantBits) throw new LiteralError(`NaN payload of \`${text}\` is out of range`);
    return signBit | expAll | payload;
  }
  s = stripUnderscores(s);
  let num: bigint;
  let den = 1n;
  if (s.startsWith('0x')) {
    // The spec's hexfloat needs a hexnum before any '.': `0x.8` is malformed, as wat2wasm says.
    const m = /^0x([0-9a-fA-F]+)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?[0-9]+))?$/.exec(s);
    if (!m) throw new LiteralError(`malformed float \`${text}\``);
    const intPart = m[1] ?? '';
    const frac = m[2] ?? '';
    let exp = m[3] ? Number(m[3]) : 0;
    if (!Number.isFinite(exp) || Math.abs(exp) > 1e7) exp = exp > 0 ? 1e7 : -1e7;
    let hexDigits = (intPart + frac).replace(/^0+/, '');
    exp -= 4 * frac.length;
    if (hexDigits.length > 40) {
      // 40 hex digits hold far more than 53 bits; the rest only counts as a sticky digit.
      const tail = hexDigits.slice(40);
      hexDigits = hexDigits.slice(0, 40) + (/[1-9a-fA-F]/.test(tail) ? '1' : '0');
      exp += 4 * (tail.length - 1);
    }
    num = BigInt('0x' + (hexDigits || '0'));
    if (num === 0n) return signBit;
    if (exp >= 0) {
      if (exp + bitLength(num) > 5000) throw new LiteralError(`constant \`${text}\` is out of range`);
      num <<= BigInt(exp);
    } else {
      // Anything far below the smallest subnormal rounds to zero; clamp to keep BigInts small.
      den = 1n << BigInt(Math.min(-exp, 5000 + bitLength(num)));
    }
  } else {
    const m = /^([0-9]+)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(s);
    if (!m) throw new LiteralError(`malformed float \`${text}\``);
    const intPart = m[1]!;
    const frac = m[2] ?? '';
    let exp = m[3] ? Number(m[3]) : 0;
    let digits = (intPart + frac).replace(/^0+/, '');
    exp -= frac.length;
    if (digits.length > 800) {
      // Beyond ~770 significant digits only "is anything left" matters for rounding (no
      // midpoint between floats needs more): keep 800 digits plus one sticky digit.
      const tail = digits.slice(800);
      digits = digits.slice(0, 800) + (/[1-9]/.test(tail) ? '1' : '0');
      exp += tail.length - 1;
    }
    num = BigInt(digits || '0');
    if (num === 0n) return signBit;
    const digitCount = digits.length;
    if (exp + digitCount > 400) throw new LiteralError(`constant \`${text}\` is out of range`);
    if (exp + digitCount < -400) return signBit; // far below the smallest subnormal
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den = 10n ** BigInt(-exp);
  }
  return signBit | roundRational(num, den, fmt, text);
}

const F64_VIEW = new DataView(new ArrayBuffer(8));

/** f32 literal → its bits as an int32 (the form `Instr.i32` uses for f32.const). */
export function parseF32Bits(text: string): number {
  // Fast path: plain decimals whose f64 value is not on an f32 rounding midpoint round correctly
  // through f64 (double rounding can only go wrong exactly at a midpoint).
  if (/^-?[0-9]{1,15}(\.[0-9]{0,15})?$/.test(text)) {
    const x = Number(text);
    F64_VIEW.setFloat64(0, x);
    const lowBits = F64_VIEW.getUint32(4) & 0x1fffffff;
    const f = Math.fround(x);
    if (lowBits !== 0x10000000 && Number.isFinite(f) && Math.abs(x) >= 1.1754943508222875e-38) {
      F64_VIEW.setFloat32(0, f);
      return F64_VIEW.getInt32(0);
    }
  }
  return Number(BigInt.asIntN(32, parseFloatBits(text, F32)));
}

/** f64 literal → its bits as a signed 64-bit BigInt (the form `Instr.i64` uses for f64.const). */
export function parseF64Bits(text: string): bigint {
  if (/^-?[0-9]{1,15}(\.[0-9]{0,15})?$/.test(text)) {
    // JavaScript's Number() is correctly rounded for decimals.
    F64_VIEW.setFloat64(0, Number(text));
    return F64_VIEW.getBigInt64(0);
  }
  return BigInt.asIntN(64, parseFloatBits(text, F64));
}

/**
 * Decodes a string token (with its quotes) to bytes. Returns the error message for a bad escape
 * instead of throwing, so the parser can report it and keep the partial value.
 */
export function decodeString(token: string): { bytes: Uint8Array; error?: string } {
  const out: number[] = [];
  let error: string | undefined;
  const end = token.length > 1 && token.endsWith('"') ? token.length - 1 : token.length;
  for (let i = 1; i < end; i++) {
    const c = token.charCodeAt(i);
    if (c === 92) {
      const e = token[i + 1];
      i++;
      switch (e) {
        case 'n': out.push(10); break;
        case 't': out.push(9); break;
        case 'r': out.push(13); break;
        case '\\': out.push(92); break;
        case "'": out.push(39); break;
        case '"': out.push(34); break;
        case 'u': {
          const m = /^\{([0-9a-fA-F](?:_?[0-9a-fA-F])*)\}/.exec(token.slice(i + 1));
          const cp = m ? parseInt(m[1]!.replace(/_/g, ''), 16) : NaN;
          if (!m || !(cp < 0xd800 || (cp >= 0xe000 && cp < 0x110000))) {
            error ??= 'malformed unicode escape: expected `\\u{hex}` naming a Unicode scalar value';
            break;
          }
          pushUtf8(out, cp);
          i += m[0].length;
          break;
        }
        default: {
          const h = token.slice(i, i + 2);
          if (/^[0-9a-fA-F]{2}$/.test(h)) {
            out.push(parseInt(h, 16));
            i++;
          } else error ??= `unknown escape \`\\${e ?? ''}\` in string`;
        }
      }
    } else if (c < 0x20 || c === 0x7f) {
      error ??= 'control character in string';
    } else if (c < 0x80) out.push(c);
    else {
      const cp = token.codePointAt(i)!;
      if (cp > 0xffff) i++;
      pushUtf8(out, cp);
    }
  }
  return { bytes: Uint8Array.from(out), error };
}

function pushUtf8(out: number[], cp: number): void {
  if (cp < 0x80) out.push(cp);
  else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
  else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
}

const NAME_DECODER = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Names (imports, exports, module names) must be valid UTF-8. */
export function utf8Name(bytes: Uint8Array): string | undefined {
  try {
    return NAME_DECODER.decode(bytes);
  } catch {
    return undefined;
  }
}
