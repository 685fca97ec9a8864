// Literal spellings for the printer: floats that read back to the exact same bits (NaN payloads and
// signed zeros included), strings escaped byte by byte, and identifiers checked against the WAT
// idchar set so that every name we print is one wat2wasm accepts.

const view = new DataView(new ArrayBuffer(8));

function nanText(negative: boolean, payload: string, canonical: boolean): string {
  return `${negative ? '-' : ''}nan${canonical ? '' : `:0x${payload}`}`;
}

/** f32 constant from its bits (as stored in Instr.i32). */
export function formatF32(bits: number): string {
  const negative = bits < 0;
  const exp = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  if (exp === 0xff) {
    if (frac === 0) return negative ? '-inf' : 'inf';
    return nanText(negative, frac.toString(16), frac === 0x400000);
  }
  view.setInt32(0, bits, true);
  const value = view.getFloat32(0, true);
  if (value === 0) return negative ? '-0' : '0';
  // Shortest decimal that rounds back to this f32.
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) === value) return cleanDecimal(text);
  }
  return cleanDecimal(value.toPrecision(9));
}

/** f64 constant from its bits (as stored in Instr.i64). */
export function formatF64(bits: bigint): string {
  view.setBigInt64(0, bits, true);
  const value = view.getFloat64(0, true);
  const negative = bits < 0n;
  if (Number.isNaN(value)) {
    const frac = bits & 0xfffffffffffffn;
    return nanText(negative, frac.toString(16), frac === 0x8000000000000n);
  }
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (value === 0) return negative ? '-0' : '0';
  return cleanDecimal(String(value)); // JS prints the shortest decimal that reads back exactly
}

/** toPrecision/toString may give "1.50e+3"; WAT accepts it, but drop the noise zeros. */
function cleanDecimal(text: string): string {
  const [mantissa, exponent] = text.split('e') as [string, string | undefined];
  let m = mantissa;
  if (m.includes('.')) m = m.replace(/0+$/, '').replace(/\.$/, '');
  return exponent === undefined ? m : `${m}e${exponent}`;
}

const encoder = new TextEncoder();

/** A WAT string literal: printable ASCII kept, everything else as \hh escapes of the bytes. */
export function formatString(value: string | Uint8Array): string {
  const bytes = typeof value === 'string' ? encoder.encode(value) : value;
  let out = '"';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c) out += String.fromCharCode(b);
    else out += '\\' + (b < 16 ? '0' : '') + b.toString(16);
  }
  return out + '"';
}

// WAT idchars: letters, digits and ! # $ % & ' * + - . / : < = > ? @ \ ^ _ ` | ~
const ID_CHARS = /^[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/;

export function isPrintableId(name: string): boolean {
  return ID_CHARS.test(name);
}
