// Function names as tools show them: Rust (legacy and v0) and Itanium C++ symbols demangled, checked
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

test('Rust v0 symbols (the standard library\'s scheme) read as rustc-demangle\'s alternate form', () => {
  const symbols = lines('rust-v0-symbols.txt');
  const { same, raw, wrong } = agreement(symbols, lines('rust-v0-cxxfilt.txt'));
  assert.deepEqual(wrong, []);
  // What stays raw: `dyn` and function-pointer types, punycode identifiers, named lifetimes.
  assert.ok(same >= 130 && raw <= 5, `${same} demangled, ${raw} left raw`);
  assert.equal(demangle('_RNvCsddXRGQ8mmyB_4main9manhattan'), 'main::manhattan');
  assert.equal(demangle('_RINvMs0_NtNtNtCsjrHSEGnQ3l9_3std12backtrace_rs9symbolize5gimliNtB6_5Cache11with_globalNCNvB6_7resolves_0EBc_'),
    '<std::backtrace_rs::symbolize::gimli::Cache>::with_global::<std::backtrace_rs::symbolize::gimli::resolve::{closure#1}>');
  assert.equal(demangle('_RINvNtCsgEmfK2I1SDS_4core6escape14escape_unicodeKja_ECsgY6Mt91CT9J_14rustc_demangle'),
    'core::escape::escape_unicode::<10>');
  for (const broken of ['_R', '_RNv', '_RB_', '_RNvB0_1a', '_RC3ab', '_RNvCs_4main', '_RINvC1aE' + 'B0_'.repeat(50)]) {
    assert.equal(demangle(broken), broken, broken);
  }
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

test('plain names and broken symbols come back unchanged', () => {
  for (const s of ['main', '__original_main', '$f12', 'fd_write', '_Z', '_ZN', '_ZN4main',
    '_ZN4main9manhattan17h81dfc7db5b6c7594', '_Z3fooPFviE', '_Z999x', '_ZN3fooIiE', '_ZSt', 'env.$LT', '_ZN1a1bS9_E']) {
    assert.equal(demangle(s), s, s);
  }
});

test('random and truncated symbols never throw or hang', () => {
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const alphabet = '_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$.';
  const real = [...lines('rust-v0-symbols.txt'), ...lines('rust-symbols.txt'), ...lines('itanium-symbols.txt')];
  for (let i = 0; i < 20_000; i++) {
    const base = real[rand(real.length)]!;
    // Half: a real symbol cut and spliced with random characters; half: random text after a prefix.
    const text = i % 2 === 0
      ? base.slice(0, rand(base.length + 1)) + Array.from({ length: rand(8) }, () => alphabet[rand(alphabet.length)]).join('') + base.slice(rand(base.length + 1))
      : ['_R', '_ZN', '_Z'][rand(3)] + Array.from({ length: rand(40) }, () => alphabet[rand(alphabet.length)]).join('');
    assert.equal(typeof demangle(text), 'string');
  }
});
