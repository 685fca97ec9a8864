import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWast } from '../../../runtime/text/wast.js';
import { assembleModuleText } from '../../../runtime/text/module-text.js';

const SCRIPT = `;; a small script using every command kind
(module $M (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
(register "m" $M)
(module binary "\\00asm" "\\01\\00\\00\\00")
(module quote "(func (export \\"q\\"))")
(invoke $M "add" (i32.const 1) (i32.const 2))
(get "g")
(assert_return (invoke "add" (i32.const 1) (i32.const -1)) (i32.const 0))
(assert_return (invoke "f" (i64.const -1) (f32.const 0x1p-1) (f64.const -0.5)) (f32.const nan:canonical) (f64.const nan:arithmetic))
(assert_return (invoke "v" (v128.const i16x8 1 2 3 4 5 6 7 -1)) (v128.const f32x4 nan:canonical 1.0 -0 nan:arithmetic))
(assert_return (invoke "r" (ref.null extern) (ref.extern 7)) (ref.func) (ref.extern) (ref.null func) (ref.extern 7))
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module quote "(func i32.ad)") "unknown operator")
(assert_malformed (module (func (call $nowhere))) "unknown function")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(assert_uninstantiable (module (memory 1) (data (i32.const 70000) "x")) "out of bounds")
`;

test('parseWast: every command kind, with lines', () => {
  const { commands, diagnostics } = parseWast(SCRIPT, 'small.wast');
  assert.deepEqual(diagnostics, []);
  assert.deepEqual(commands.map((c) => [c.kind, c.line]), [
    ['module', 2], ['register', 3], ['module', 4], ['module', 5], ['action', 6], ['action', 7], ['assert_return', 8],
    ['assert_return', 9], ['assert_return', 10], ['assert_return', 11], ['assert_trap', 12], ['assert_trap_module', 13],
    ['assert_exhaustion', 14], ['assert_invalid', 15], ['assert_malformed', 16], ['assert_malformed', 17],
    ['assert_unlinkable', 18], ['assert_uninstantiable', 19],
  ]);
  const [m, reg, bin, quote, invoke, get] = commands;
  assert.ok(m?.kind === 'module' && m.name === '$M' && m.source.kind === 'text');
  assert.deepEqual(reg, { kind: 'register', as: 'm', name: '$M', line: 3 });
  assert.ok(bin?.kind === 'module' && bin.source.kind === 'binary' && bin.source.bytes.length === 8);
  assert.ok(quote?.kind === 'module' && quote.source.kind === 'quote');
  assert.ok(assembleModuleText(quote.source.text).bytes);
  assert.deepEqual(invoke, { kind: 'action', line: 6, action: { kind: 'invoke', module: '$M', name: 'add', args: [{ type: 'i32', value: 1 }, { type: 'i32', value: 2 }] } });
  assert.deepEqual(get, { kind: 'action', line: 7, action: { kind: 'get', name: 'g' } });
});

test('parseWast: constants and result patterns', () => {
  const { commands } = parseWast(SCRIPT);
  const r9 = commands[7]!;
  assert.ok(r9.kind === 'assert_return' && r9.action.kind === 'invoke');
  assert.deepEqual(r9.action.args, [{ type: 'i64', value: -1n }, { type: 'f32', bits: 0x3f000000 }, { type: 'f64', bits: -4620693217682128896n }]);
  assert.deepEqual(r9.expected, [{ type: 'f32', nan: 'canonical' }, { type: 'f64', nan: 'arithmetic' }]);
  const r10 = commands[8]!;
  assert.ok(r10.kind === 'assert_return' && r10.action.kind === 'invoke');
  const arg = r10.action.args[0]!;
  assert.ok(arg.type === 'v128');
  assert.deepEqual([...arg.bytes], [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0xff, 0xff]);
  assert.deepEqual(r10.expected, [{ type: 'v128', shape: 'f32x4', lanes: [
    { nan: 'canonical' }, { type: 'f32', bits: 0x3f800000 }, { type: 'f32', bits: 0x80000000 | 0 }, { nan: 'arithmetic' }] }]);
  const r11 = commands[9]!;
  assert.ok(r11.kind === 'assert_return' && r11.action.kind === 'invoke');
  assert.deepEqual(r11.action.args, [{ type: 'ref.null', ref: 'extern' }, { type: 'ref.extern', value: 7 }]);
  assert.deepEqual(r11.expected, [{ type: 'ref.func' }, { type: 'ref.extern' }, { type: 'ref.null', ref: 'func' }, { type: 'ref.extern', value: 7 }]);
});

test('parseWast: invalid modules assemble, malformed ones become text-error or a failing quote', () => {
  const { commands } = parseWast(SCRIPT);
  const invalid = commands[13]!;
  assert.ok(invalid.kind === 'assert_invalid' && invalid.source.kind === 'text');
  const quoted = commands[14]!;
  assert.ok(quoted.kind === 'assert_malformed' && quoted.source.kind === 'quote');
  const q = assembleModuleText(quoted.source.text);
  assert.equal(q.bytes, undefined);
  assert.match(q.diagnostics[0]!.message, /unknown instruction `i32.ad`/);
  const named = commands[15]!;
  assert.ok(named.kind === 'assert_malformed' && named.source.kind === 'text-error');
  assert.match(named.source.diagnostics[0]!.message, /undefined function `\$nowhere`/);
  // Diagnostic ranges of a module inside a script are positions in the script.
  assert.equal(named.source.diagnostics[0]!.range.start.line, 16);
});

test('parseWast: a broken command is reported and the rest still parse', () => {
  const { commands, diagnostics } = parseWast(`(assert_return (invoke "f" (i32.const 99999999999)) (i32.const 0))
(frobnicate)
(assert_return (invoke "f") (i32.const 1))`);
  assert.equal(diagnostics.length, 2);
  assert.match(diagnostics[0]!.message, /out of range/);
  assert.match(diagnostics[1]!.message, /expected a script command/);
  assert.deepEqual(commands.map((c) => c.line), [3]);
});
