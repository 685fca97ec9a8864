import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OPS, opByCode, opByName, SELECT_TYPED } from '../../../runtime/wasm/opcodes.js';

test('every code is unique and names are unique except typed select', () => {
  const codes = new Set<number>();
  const names = new Set<string>();
  for (const op of OPS) {
    assert.ok(!codes.has(op.code), `duplicate code 0x${op.code.toString(16)}`);
    codes.add(op.code);
    if (op.code === SELECT_TYPED) continue;
    assert.ok(!names.has(op.name), `duplicate name ${op.name}`);
    names.add(op.name);
    assert.ok(op.doc.length > 5, `${op.name} has a doc`);
  }
});

test('table covers Wasm 2.0: MVP, 0xFC 0-17 and all 236 SIMD instructions', () => {
  const simd = OPS.filter((op) => op.code >> 8 === 0xfd).length;
  const misc = OPS.filter((op) => op.code >> 8 === 0xfc).length;
  assert.equal(simd, 236);
  assert.equal(misc, 18);
});

test('known encodings', () => {
  const known: [string, number][] = [
    ['unreachable', 0x00], ['end', 0x0b], ['else', 0x05], ['br_table', 0x0e], ['select', 0x1b],
    ['table.set', 0x26], ['i64.load32_u', 0x35], ['memory.grow', 0x40], ['i32.add', 0x6a], ['i64.rotr', 0x8a],
    ['f64.copysign', 0xa6], ['f64.reinterpret_i64', 0xbf], ['i64.extend32_s', 0xc4], ['ref.func', 0xd2],
    ['i64.trunc_sat_f64_u', 0xfc07], ['memory.init', 0xfc08], ['table.fill', 0xfc11],
    ['v128.load', 0xfd00], ['i8x16.shuffle', 0xfd0d], ['f64x2.replace_lane', 0xfd22], ['v128.any_true', 0xfd53],
    ['v128.store64_lane', 0xfd5b], ['f64x2.promote_low_f32x4', 0xfd5f], ['i16x8.avgr_u', 0xfd9b],
    ['i32x4.dot_i16x8_s', 0xfdba], ['i64x2.ge_s', 0xfddb], ['f64x2.pmax', 0xfdf7],
    ['f64x2.convert_low_i32x4_u', 0xfdff],
  ];
  for (const [name, code] of known) {
    assert.equal(opByName(name)?.code, code, name);
    assert.equal(opByCode(code)?.name, name, `0x${code.toString(16)}`);
  }
  assert.equal(opByCode(SELECT_TYPED)?.imm, 'select_types');
  assert.equal(opByCode(0x06), undefined);
  assert.equal(opByCode(0xfd9a), undefined);
  assert.equal(opByName('i32.load')?.naturalAlign, 2);
  assert.equal(opByName('v128.load16_lane')?.lanes, 8);
  assert.equal(opByName('i8x16.extract_lane_u')?.lanes, 16);
  assert.deepEqual(opByName('i64.eqz')?.sig, { params: [0x7e], results: [0x7f] });
});
