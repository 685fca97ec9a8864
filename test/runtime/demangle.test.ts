// Function names as tools show them: Rust legacy and Itanium C++ symbols demangled, checked
// against c++filt's readings (test/fixtures/demangle, rebuilt by its build.sh), and anything
// not understood returned unchanged rather than guessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demangle } from '../../runtime/wasm/demangle.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'demangle');
const lines = (name: string): string[] => readFileSync(join(dir, name), 'utf8').trimEnd().split('\n');

function agreement(symbols: string[], expected: string[]): { same: number; raw: number; wrong: string[] } {
  assert.equal(symbols.length, expected.length);
  let same = 0, raw = 0;
  const wrong: string[] = [];
  symbols.forEach((s, i) => {
    const got = demangle(s);
    if (got === expected[i]) same++;
    else if (got === s) raw++;
    else wrong.push(`${s}\n  got  ${got}\n  want ${expected[i]}`);
  });
  return { same, raw, wrong };
}

test('every Rust symbol of a std program reads as c++filt reads it, without the hash', () => {
  const { same, wrong } = agreement(lines('rust-symbols.txt'), lines('rust-cxxfilt.txt'));
  assert.deepEqual(wrong, []);
  assert.equal(same, lines('rust-symbols.txt').length);
});

test('C++ symbols of libstdc++ templates: never a wrong name, most demangled', () => {
  const symbols = lines('itanium-symbols.txt');
  const { same, raw, wrong } = agreement(symbols, lines('itanium-cxxfilt.txt'));
  assert.deepEqual(wrong, []);
  // What stays raw: packs of other than one element, arrays, expressions in template arguments.
  assert.ok(same >= 160 && raw <= 25, `${same} demangled, ${raw} left raw`);
});

test('common shapes', () => {
  assert.equal(demangle('_ZN4main9manhattan17h81dfc7db5b6c7594E'), 'main::manhattan');
  assert.equal(demangle('_ZN3std2rt10lang_start28_$u7b$$u7b$closure$u7d$$u7d$17h8bcafb02b1c2326bE'),
    'std::rt::lang_start::{{closure}}');
  assert.equal(demangle('_ZN6Circle4areaEv'), 'Circle::area()');
  assert.equal(demangle('_ZNK3geo6Circle4areaEv'), 'geo::Circle::area() const');
  assert.equal(demangle('_ZN3geo6CircleC2Ed'), 'geo::Circle::Circle(double)');
  assert.equal(demangle('_ZN3geo6CircleD1Ev'), 'geo::Circle::~Circle()');
  assert.equal(demangle('_Z3addii'), 'add(int, int)');
  assert.equal(demangle('_Z4sortPiS_'), 'sort(int*, int*)');
  assert.equal(demangle('_ZNK3geo6CircleeqERKS0_'), 'geo::Circle::operator==(geo::Circle const&) const');
  // DWARF's names of inlined Rust functions come split but still escaped.
  assert.equal(demangle('core::ops::function::impls::_$LT$impl$u20$core..ops..function..FnOnce$LT$A$GT$$u20$for$u20$$RF$F$GT$::call_once::ha67ccfc67d47b1b8'),
    'core::ops::function::impls::<impl core::ops::function::FnOnce<A> for &F>::call_once');
});

test('plain names, Rust v0 and broken symbols come back unchanged', () => {
  for (const s of ['main', '__original_main', '$f12', 'fd_write', '_RNvCs1234_4main9manhattan', '_Z', '_ZN', '_ZN4main',
    '_ZN4main9manhattan17h81dfc7db5b6c7594', '_Z3fooPFviE', '_Z999x', '_ZN3fooIiE', '_ZSt', 'env.$LT', '_ZN1a1bS9_E']) {
    assert.equal(demangle(s), s, s);
  }
});
