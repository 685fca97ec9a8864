import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeString, LiteralError, parseF32Bits, parseF64Bits, parseI32, parseI64, parseIntN,
} from '../../../runtime/text/literals.js';

const f32 = (text: string): string => (parseF32Bits(text) >>> 0).toString(16).padStart(8, '0');
const f64 = (text: string): string => BigInt.asUintN(64, parseF64Bits(text)).toString(16).padStart(16, '0');

test('integer literals: both signed and unsigned ranges, wrapped to signed', () => {
  assert.equal(parseI32('4294967295'), -1);
  assert.equal(parseI32('-2147483648'), -2147483648);
  assert.equal(parseI32('0xffff_ffff'), -1);
  assert.equal(parseI32('+0x7fffffff'), 0x7fffffff);
  assert.equal(parseI32('1_000_000'), 1000000);
  assert.equal(parseI64('18446744073709551615'), -1n);
  assert.equal(parseI64('-0x8000000000000000'), -(1n << 63n));
  assert.equal(parseIntN('255', 8), -1n);
  for (const bad of ['4294967296', '-2147483649', '+2147483648', '0x1_0000_0000', '1__0', '1_', '0x', '1a', '0_x1']) {
    assert.throws(() => parseI32(bad), LiteralError, bad);
  }
  assert.throws(() => parseI64('18446744073709551616'), LiteralError);
});

test('f32 literals round exactly, without double rounding through f64', () => {
  assert.equal(f32('1'), '3f800000');
  assert.equal(f32('-0.0'), '80000000');
  assert.equal(f32('0.1'), '3dcccccd');
  // Just above the midpoint between 1 and its successor: must round up. Going through f64 first
  // lands exactly on the midpoint and ties to even (down), which is wrong.
  assert.equal(f32('1.00000005960464477539062501'), '3f800001');
  assert.equal(f32('1.00000005960464477539062499'), '3f800000');
  assert.equal(f32('1.000000059604644775390625'), '3f800000'); // exact tie → even
  assert.equal(f32('0x1.fffffep127'), '7f7fffff');
  assert.equal(f32('0x1p-149'), '00000001');
  assert.equal(f32('0x1p-150'), '00000000'); // tie with zero → even
  assert.equal(f32('0x1.8p-150'), '00000001');
  assert.equal(f32('0x1.000001p0'), '3f800000'); // below half an ulp
  assert.equal(f32('0x1.000003p0'), '3f800002'); // above half an ulp
  assert.equal(f32('1e-50'), '00000000');
  assert.equal(f32('inf'), '7f800000');
  assert.equal(f32('-inf'), 'ff800000');
  assert.equal(f32('nan'), '7fc00000');
  assert.equal(f32('-nan'), 'ffc00000');
  assert.equal(f32('nan:0x200000'), '7fa00000');
  assert.equal(f32('nan:0x7f_ffff'), '7fffffff');
  assert.equal(f32('3.4028235677973366e38'), '7f7fffff'); // rounds down to the max
  for (const bad of ['0x1.ffffffp127', '1e39', '3.4028236e38', 'nan:0x0', 'nan:0x800000', '1.e', '0x1p', '1._5']) {
    assert.throws(() => parseF32Bits(bad), LiteralError, bad);
  }
});

test('f64 literals: decimal, hex, subnormals, NaN payloads, overflow', () => {
  assert.equal(f64('1'), '3ff0000000000000');
  assert.equal(f64('0.1'), '3fb999999999999a');
  assert.equal(f64('1.7976931348623157e308'), '7fefffffffffffff');
  assert.equal(f64('0x1p-1074'), '0000000000000001');
  assert.equal(f64('4.9406564584124654e-324'), '0000000000000001');
  assert.equal(f64('0x1.fffffffffffff8p0'), '4000000000000000'); // tie → even (up)
  assert.equal(f64('0x1.00000000000008p0'), '3ff0000000000000'); // tie → even (down)
  assert.equal(f64('1_000.000_1'), f64('1000.0001'));
  // hexfloat needs a hexnum before the point (the spec's grammar; wat2wasm agrees).
  assert.throws(() => f64('0x.8p1'), /malformed float/);
  assert.equal(f64('nan:0x8000000000000'), '7ff8000000000000');
  assert.equal(f64('-nan:0x1'), 'fff0000000000001');
  for (const bad of ['1.7976931348623159e308', '0x1p1024', 'nan:0x10000000000000', '1e400']) {
    assert.throws(() => parseF64Bits(bad), LiteralError, bad);
  }
});

test('string escapes decode to bytes; bad escapes are reported', () => {
  assert.deepEqual([...decodeString('"a\\n\\t\\\\\\\'\\"\\41\\ff"').bytes], [0x61, 10, 9, 0x5c, 0x27, 0x22, 0x41, 0xff]);
  assert.deepEqual([...decodeString('"\\u{1F600}\\u{e9}"').bytes], [0xf0, 0x9f, 0x98, 0x80, 0xc3, 0xa9]);
  assert.deepEqual([...decodeString('"é"').bytes], [0xc3, 0xa9]);
  assert.match(decodeString('"\\q"').error ?? '', /unknown escape/);
  assert.match(decodeString('"\\u{d800}"').error ?? '', /unicode escape/);
  assert.match(decodeString('"\\u{110000}"').error ?? '', /unicode escape/);
});

test('very long literals: exact rounding from far digits, and no quadratic BigInt parsing', () => {
  // Exactly the midpoint between 1 and the next f64, then a 1 a thousand digits later: rounds up.
  const midpoint = '1.00000000000000011102230246251565404236316680908203125';
  assert.equal(f64(midpoint), '3ff0000000000000'); // exact tie → even
  assert.equal(f64(midpoint + '0'.repeat(1000) + '1'), '3ff0000000000001');
  assert.equal(f64('0x1.' + '0'.repeat(13) + '8' + '0'.repeat(200) + '1p0'), '3ff0000000000001');
  assert.equal(f64('0x1.' + '0'.repeat(13) + '8' + '0'.repeat(200) + 'p0'), '3ff0000000000000');
  const started = performance.now();
  assert.throws(() => parseI64('1'.repeat(1_000_000)), /out of range/);
  assert.equal(parseI32('0'.repeat(100_000) + '7'), 7);
  assert.throws(() => parseF64Bits('1'.repeat(1_000_000)), /out of range/);
  assert.equal(f64('0.' + '0'.repeat(100) + '1'.repeat(100_000)), f64('1.111111111111111111111e-101'));
  assert.ok(performance.now() - started < 2000);
});
