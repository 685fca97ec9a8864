// The grammars are generated from the instruction table (scripts/gen-grammar.ts): these tests fail
// when the committed syntaxes/ files are stale, when an instruction of OPS is not highlighted as
// one token, and when a lexical form of the text format is tokenized wrongly.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OPS } from '../../runtime/wasm/opcodes.js';
import { generateGrammars, instructionScope, serializeGrammar, syntaxesDir } from '../../scripts/gen-grammar.js';
import { tokenizeLines, type Token } from './tokenize.js';

const innermost = (t: Token): string => t.scopes[t.scopes.length - 1] ?? '';
const solid = (line: Token[]): Token[] => line.filter((t) => t.text.trim() !== '');

async function tokens(text: string, scope = 'source.wat'): Promise<Token[]> {
  return (await tokenizeLines(scope, text)).flatMap(solid);
}

test('committed grammars equal the generator output (run `node --import tsx scripts/gen-grammar.ts` after changing OPS)', () => {
  for (const [file, grammar] of Object.entries(generateGrammars())) {
    assert.equal(readFileSync(join(syntaxesDir, file), 'utf8'), serializeGrammar(grammar), `syntaxes/${file} is stale`);
  }
});

test('every instruction in OPS is one token with its family scope, in flat and folded form', async () => {
  const names = [...new Set(OPS.map((op) => op.name))];
  const flat = await tokenizeLines('source.wat', names.map((n) => `  ${n} 0`).join('\n'));
  const folded = await tokenizeLines('source.wat', names.map((n) => `(${n} (nop))`).join('\n'));
  names.forEach((name, i) => {
    const expected = instructionScope(OPS.find((op) => op.name === name)!);
    const flatToken = solid(flat[i]!)[0]!;
    assert.deepEqual([flatToken.text, innermost(flatToken)], [name, expected], `flat ${name}`);
    const foldedToken = solid(folded[i]!)[1]!;
    assert.deepEqual([foldedToken.text, innermost(foldedToken)], [name, expected], `folded ${name}`);
  });
});

test('a misspelt instruction or a prefix of one is not highlighted as an instruction', async () => {
  for (const word of ['i32.ad', 'i32.add_x', 'local', 'i32.addx', 'xi32.add']) {
    const [first] = await tokens(`${word} 1`);
    assert.ok(!innermost(first!).startsWith('keyword.operator'), `${word} got ${innermost(first!)}`);
  }
});

test('numbers: integers, decimal and hex floats, inf, nan and nan payloads, with separators', async () => {
  const cases: [string, string][] = [
    ['42', 'constant.numeric.integer.wat'],
    ['-0x7fff_ffff', 'constant.numeric.integer.wat'],
    ['1_000', 'constant.numeric.integer.wat'],
    ['1.5e-3', 'constant.numeric.float.wat'],
    ['+1.', 'constant.numeric.float.wat'],
    ['1e10', 'constant.numeric.float.wat'],
    ['0x1.8p+3', 'constant.numeric.float.wat'],
    ['0x1p-149', 'constant.numeric.float.wat'],
    ['-0xABC.', 'constant.numeric.float.wat'],
    ['inf', 'constant.numeric.float.wat'],
    ['-inf', 'constant.numeric.float.wat'],
    ['nan', 'constant.numeric.float.wat'],
    ['nan:0x7f_ffff', 'constant.numeric.float.wat'],
  ];
  for (const [text, scope] of cases) {
    const result = await tokens(`f64.const ${text}`);
    assert.equal(result.length, 2, `${text} should be one token, got ${JSON.stringify(result)}`);
    assert.deepEqual([result[1]!.text, innermost(result[1]!)], [text, scope]);
  }
  for (const notNumber of ['1x', '0xg', '1_', 'nan:0x', 'infinity']) {
    const result = await tokens(`f64.const ${notNumber}`);
    assert.ok(!result.slice(1).some((t) => innermost(t).startsWith('constant.numeric')), `${notNumber} must not be a number`);
  }
});

test('nested block comments end at their matching ;) and line comments run to the end of the line', async () => {
  const lines = await tokenizeLines('source.wat', '(; a (; b ;) c ;) nop\n;; x (; y\ni32.add');
  assert.ok(solid(lines[0]!).slice(0, -1).every((t) => t.scopes.includes('comment.block.wat')));
  assert.deepEqual(solid(lines[0]!).at(-1)!.text, 'nop');
  assert.equal(innermost(solid(lines[0]!).at(-1)!), 'keyword.control.wat');
  assert.ok(solid(lines[1]!).every((t) => t.scopes.includes('comment.line.double-semicolon.wat')));
  assert.equal(innermost(solid(lines[2]!)[0]!), 'keyword.operator.numeric.wat', 'a (; inside a line comment opens nothing');
  const multi = await tokenizeLines('source.wat', '(; one\n(; two\n;) still\n;) i32.add');
  assert.ok(solid(multi[2]!).every((t) => t.scopes.includes('comment.block.wat')));
  assert.equal(innermost(solid(multi[3]!).at(-1)!), 'keyword.operator.numeric.wat');
});

test('string escapes are recognised and bad escapes are flagged', async () => {
  const result = await tokens('"a\\n\\t\\\\\\"\\u{10FFFF}\\7f\\q"');
  const escapes = result.filter((t) => innermost(t) === 'constant.character.escape.wat').map((t) => t.text);
  assert.deepEqual(escapes, ['\\n', '\\t', '\\\\', '\\"', '\\u{10FFFF}', '\\7f']);
  assert.deepEqual(result.filter((t) => innermost(t) === 'invalid.illegal.escape.wat').map((t) => t.text), ['\\q']);
});

test('ids take the scope of what they name', async () => {
  const result = await tokens('(func $f (param $p i32) (local $l i64) call $g local.get $l global.get $G br $out (type $t))');
  const scopeOf = (text: string) => innermost(result.find((t) => t.text === text)!);
  assert.equal(scopeOf('$f'), 'entity.name.function.wat');
  assert.equal(scopeOf('$g'), 'entity.name.function.wat');
  assert.equal(scopeOf('$p'), 'variable.parameter.wat');
  assert.equal(scopeOf('$l'), 'variable.other.local.wat');
  assert.equal(scopeOf('$G'), 'variable.other.global.wat');
  assert.equal(scopeOf('$out'), 'entity.name.label.wat');
  assert.equal(scopeOf('$t'), 'entity.name.type.wat');
});

test('annotations are one region whose contents are not instructions', async () => {
  const result = await tokens('(@name "x" (i32.add)) i32.add');
  assert.ok(result.slice(0, -1).every((t) => t.scopes.includes('meta.annotation.wat')));
  assert.ok(!result.slice(0, -1).some((t) => innermost(t) === 'keyword.operator.numeric.wat'));
  assert.equal(innermost(result.at(-1)!), 'keyword.operator.numeric.wat');
});

test('WAST adds script commands and NaN patterns on top of WAT', async () => {
  const result = await tokens('(assert_return (invoke "f" (ref.extern 1)) (f32.const nan:canonical) (i32.const 0))', 'source.wast');
  const scopeOf = (text: string) => innermost(result.find((t) => t.text === text)!);
  assert.equal(scopeOf('assert_return'), 'keyword.control.assertion.wast');
  assert.equal(scopeOf('invoke'), 'keyword.other.command.wast');
  assert.equal(scopeOf('ref.extern'), 'keyword.operator.reference.wast');
  assert.equal(scopeOf('nan:canonical'), 'constant.language.nan.wast');
  assert.equal(scopeOf('i32.const'), 'keyword.operator.numeric.wat');
  const wat = await tokens('assert_return', 'source.wat');
  assert.notEqual(innermost(wat[0]!), 'keyword.control.assertion.wast', 'script commands are not WAT');
});

test('Markdown: ```wat and ~~~wast blocks are embedded, other fences and prose are not', async () => {
  const lines = await tokenizeLines('text.html.markdown', 'i32.add\n```wat\ni32.add\n```\n~~~wast\n(assert_trap)\n~~~\n```js\ni32.add\n```');
  const scopesOf = (line: number) => solid(lines[line]!).flatMap((t) => t.scopes);
  assert.ok(!scopesOf(0).includes('keyword.operator.numeric.wat'));
  assert.ok(scopesOf(2).includes('meta.embedded.block.wat') && scopesOf(2).includes('keyword.operator.numeric.wat'));
  assert.ok(scopesOf(5).includes('meta.embedded.block.wast') && scopesOf(5).includes('keyword.control.assertion.wast'));
  assert.ok(!scopesOf(8).includes('keyword.operator.numeric.wat'));
});
