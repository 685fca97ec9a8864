// End-to-end: the built language server over stdio, driven by a real JSON-RPC client.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, positionOf } from './lsp-client.js';
import { generateModule } from './generate.js';

const SOURCE = `(module
  (type $binop (func (param i32 i32) (result i32)))
  (global $counter (mut i32) (i32.const 0))
  (memory $mem 1)
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $b
    i32.add)
  (func $main (result i32)
    (local $tmp i32)
    block $done
      i32.const 1
      local.set $tmp
      br $done
    end
    (call $add (i32.const 2) (local.get $tmp)))
)
`;

interface Hover { contents: { kind: string; value: string } }
interface Location { uri: string; range: { start: { line: number; character: number } } }
interface CompletionItem { label: string; kind?: number; insertTextFormat?: number; textEdit?: { newText: string } }

describe('language server over stdio', () => {
  let client: LspClient;
  const uri = 'file:///test/main.wat';

  before(async () => {
    client = await LspClient.start();
  });
  after(async () => {
    await client.stop();
  });

  it('publishes diagnostics when a document opens', async () => {
    const first = await client.open(uri, SOURCE);
    assert.deepEqual(first.diagnostics, [], 'a valid module has no diagnostics');
    assert.equal(first.version, 1);
    const broken = await client.open('file:///test/open-broken.wat', '(module (func i32.add))');
    assert.equal(broken.diagnostics.length, 1);
  });

  it('publishes syntax, name and validation errors, each precisely placed, after an edit', async () => {
    const broken = SOURCE
      .replace('i32.add)', 'i32.add\n    f32.const 1\n    i32.sub)')
      .replace('local.get $b', 'local.get $bb')
      .replace('(memory $mem 1)', '(memory $mem 1)\n  (global $counter i32 (i32.const 1))\n  (func $typo i32.cnst 1 drop)');
    const next = client.nextDiagnostics(uri);
    const sent = Date.now();
    client.change(uri, broken);
    const published = await next;
    const elapsed = Date.now() - sent;
    assert.ok(elapsed >= 100, `diagnostics are debounced (arrived after ${elapsed} ms)`);
    const byCode = new Map(published.diagnostics.map((d) => [d.code, d]));
    const undefinedName = byCode.get('undefined-name');
    assert.ok(undefinedName, 'undefined name reported');
    assert.deepEqual(undefinedName.range.start, positionOf(broken, '$bb'));
    assert.ok(byCode.get('duplicate-name'), 'duplicate global reported');
    const unknown = published.diagnostics.find((d) => d.code === 'unknown-instruction');
    assert.ok(unknown, 'unknown instruction reported');
    assert.match(unknown.message, /i32\.const/, 'suggests the instruction meant');
    assert.deepEqual(unknown.range.start, positionOf(broken, 'i32.cnst'));
    // Name errors stop the module from assembling: fix them and the validation error appears.
    const fix = await client.request<{ title: string; edit: { changes: Record<string, { newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] },
    });
    assert.equal(fix[0]!.title, 'Replace with `i32.const`');
    assert.equal(fix[0]!.edit.changes[uri]![0]!.newText, 'i32.const');
    const fixedNames = broken.replace('$bb', '$b').replace('(global $counter i32', '(global $other i32').replace('i32.cnst', 'i32.const');
    const again = client.nextDiagnostics(uri);
    client.change(uri, fixedNames);
    const validation = (await again).diagnostics;
    assert.equal(validation.length, 1, JSON.stringify(validation));
    assert.equal(validation[0]!.code, 'type-mismatch');
    assert.match(validation[0]!.message, /i32\.sub.*expected \[i32 i32\], found \[i32 f32\]/);
    assert.deepEqual(validation[0]!.range.start, positionOf(fixedNames, 'i32.sub'));
    const restored = client.nextDiagnostics(uri);
    client.change(uri, SOURCE);
    assert.deepEqual((await restored).diagnostics, []);
  });

  it('hovers instructions with their signature and stack, and names with their types', async () => {
    const add = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(SOURCE, 'i32.add', 0, 2) });
    assert.match(add.contents.value, /i32\.add : \[i32 i32\] -> \[i32\]/);
    assert.match(add.contents.value, /Operand stack before: `\[i32 i32\]`/);
    const local = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(SOURCE, '$tmp', 1, 1) });
    assert.match(local.contents.value, /\(local \$tmp i32\)/);
    const call = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(SOURCE, '$add', 1, 1) });
    assert.match(call.contents.value, /\(func \$add \(param \$a i32\) \(param \$b i32\) \(result i32\)\)/);
    const global = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(SOURCE, '$counter', 0, 2) });
    assert.match(global.contents.value, /\(global \$counter \(mut i32\)\)/);
  });

  it('completes locals, labels and instructions with snippets', async () => {
    const text = SOURCE.replace('      local.set $tmp\n', '      local.set $tmp\n      local.get \n      br_if \n      i32.\n');
    const doc = 'file:///test/complete.wat';
    await client.open(doc, text);
    const locals = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: doc }, position: positionOf(text, 'local.get \n', 0, 10) });
    assert.deepEqual(locals.map((c) => c.label), ['$tmp']);
    const labels = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: doc }, position: positionOf(text, 'br_if \n', 0, 6) });
    assert.deepEqual(labels.map((c) => c.label), ['$done']);
    const instrs = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: doc }, position: positionOf(text, 'i32.\n', 0, 4) });
    const constItem = instrs.find((c) => c.label === 'i32.const');
    assert.ok(constItem, 'instructions offered');
    assert.equal(constItem.insertTextFormat, 2, 'as a snippet');
    assert.equal(constItem.textEdit?.newText, 'i32.const ${1:0}');
    const funcs = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: doc }, position: positionOf(text, '(call $add', 0, 6) });
    assert.deepEqual(funcs.map((c) => c.label).sort(), ['$add', '$main']);
  });

  it('goes to definitions, finds references and renames across index spaces', async () => {
    const def = await client.request<Location>('textDocument/definition', { textDocument: { uri }, position: positionOf(SOURCE, '$done', 1, 2) });
    assert.deepEqual(def.range.start, positionOf(SOURCE, '$done'));
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: positionOf(SOURCE, '$tmp'), context: { includeDeclaration: true } });
    assert.equal(refs.length, 3);
    const rename = await client.request<{ changes: Record<string, { newText: string }[]> }>('textDocument/rename', { textDocument: { uri }, position: positionOf(SOURCE, '$a', 1, 1), newName: '$lhs' });
    assert.equal(rename.changes[uri]!.length, 2);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position: positionOf(SOURCE, '$a', 1, 1), newName: 'lhs' }), /not a valid identifier/);
    await assert.rejects(client.request('textDocument/rename', { textDocument: { uri }, position: positionOf(SOURCE, '$a', 1, 1), newName: '$b' }), /already defined/);
  });

  it('outlines, folds, colours and hints', async () => {
    const symbols = await client.request<{ name: string; kind: number; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => s.name), ['$binop', '$counter', '$mem', '$add', '$main']);
    assert.deepEqual(symbols[3]!.children!.map((c) => c.name), ['$a', '$b']);
    const folds = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(folds.some((f) => f.startLine === 0), 'the module folds');
    assert.ok(folds.some((f) => f.startLine === 10 && f.endLine === 13), 'the flat block folds up to its end');
    const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.equal(tokens.data.length % 5, 0);
    assert.ok(tokens.data.length > 100);
    const hints = await client.request<{ position: { line: number }; label: string }[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } } });
    assert.deepEqual(hints.filter((h) => h.position.line === 6).map((h) => h.label), ['[i32 i32]']);
    assert.deepEqual(hints.filter((h) => h.position.line === 15).map((h) => h.label), ['$a:', '$b:'], 'parameter names in a folded call');
  });

  it('expands the selection from a word through its enclosing lists', async () => {
    interface Sel { range: { start: { line: number; character: number }; end: { line: number; character: number } }; parent?: Sel }
    const [sel] = await client.request<Sel[]>('textDocument/selectionRange', { textDocument: { uri }, positions: [positionOf(SOURCE, '(i32.const 2)', 0, 3)] });
    const chain: string[] = [];
    for (let s: Sel | undefined = sel; s; s = s.parent) {
      const lines = SOURCE.split('\n');
      chain.push(s.range.start.line === s.range.end.line ? lines[s.range.start.line]!.slice(s.range.start.character, s.range.end.character) : `${s.range.start.line}-${s.range.end.line}`);
    }
    assert.deepEqual(chain, ['i32.const', '(i32.const 2)', '(call $add (i32.const 2) (local.get $tmp))', '8-15', '0-16']);
  });

  it('gives signature help inside a folded call', async () => {
    const help = await client.request<{ signatures: { label: string }[]; activeParameter: number }>('textDocument/signatureHelp', { textDocument: { uri }, position: positionOf(SOURCE, '(local.get $tmp)', 0, 1) });
    assert.equal(help.signatures[0]!.label, 'call $add ($a i32, $b i32) -> [i32]');
    assert.equal(help.activeParameter, 1);
  });

  it('formats idempotently and refuses documents with syntax errors', async () => {
    const messy = '(module\n(func $f (result i32)\n      i32.const 1\n   block\n i32.const 2\n drop\n    end\n  )\n\n\n\n)';
    const doc = 'file:///test/format.wat';
    await client.open(doc, messy);
    const opts = { tabSize: 2, insertSpaces: true };
    const edits = await client.request<{ newText: string }[]>('textDocument/formatting', { textDocument: { uri: doc }, options: opts });
    assert.equal(edits[0]!.newText, '(module\n  (func $f (result i32)\n    i32.const 1\n    block\n      i32.const 2\n      drop\n    end\n  )\n\n)\n');
    client.change(doc, edits[0]!.newText);
    assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri: doc }, options: opts }), []);
    client.change(doc, '(module (func $f  i32.const "unterminated))');
    assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri: doc }, options: opts }), []);
  });

  it('handles a 20,000-line module', async () => {
    const doc = 'file:///test/huge.wat';
    const text = generateModule(20000);
    const published = await client.open(doc, text);
    assert.deepEqual(published.diagnostics, []);
    const tokens = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri: doc } });
    assert.ok(tokens.data.length > 5 * 50000);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: doc }, position: positionOf(text, 'i32.add', 1000, 1) });
    assert.match(hover.contents.value, /Operand stack before: `\[i32 i32\]`/);
    const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: doc } });
    assert.ok(symbols.length > 1000);
  });

  it('shows .wast scripts with expected failures as information, real errors as errors', async () => {
    const doc = 'file:///test/script.wast';
    const text = '(module (func (export "f") (result i32) (i32.const 1)))\n'
      + '(assert_return (invoke "f") (i32.const 1))\n'
      + '(assert_invalid (module (func (result i32) (i64.const 1))) "type mismatch")\n'
      + '(module (func (result i32) (f32.const 1)))\n';
    const published = await client.open(doc, text);
    assert.deepEqual(published.diagnostics.map((d) => [d.range.start.line, d.severity, d.code]), [[2, 3, 'type-mismatch'], [3, 1, 'type-mismatch']]);
  });

  it('survives garbage, half-typed text and failing requests', async () => {
    const doc = 'file:///test/garbage.wast';
    const garbage = '(((( $$$ "\u0000 ;; (; ))))) (module (func (i32.add (i32.const' + '('.repeat(20000) + '\u{1F600} \\ ))';
    const published = await client.open(doc, garbage);
    assert.ok(published.diagnostics.length >= 1);
    for (const position of [{ line: 0, character: 3 }, { line: 0, character: 50 }, { line: 5, character: 0 }]) {
      await client.request('textDocument/hover', { textDocument: { uri: doc }, position });
      await client.request('textDocument/completion', { textDocument: { uri: doc }, position });
      await client.request('textDocument/signatureHelp', { textDocument: { uri: doc }, position });
    }
    await client.request('textDocument/semanticTokens/full', { textDocument: { uri: doc } });
    await client.request('textDocument/foldingRange', { textDocument: { uri: doc } });
    await client.request('textDocument/documentSymbol', { textDocument: { uri: doc } });
    // A handler that throws (here on a request without a position) answers with an error, and the
    // server keeps serving.
    await assert.rejects(client.request('textDocument/hover', { textDocument: { uri: doc }, position: null }), /hover failed/);
    await assert.rejects(client.request('textDocument/completion', { textDocument: { uri: doc } }), /completion failed/);
    assert.ok(client.logs.some((l) => l.includes('hover failed')), 'the failure is logged');
    // A request for a position far outside the text is answered, not fatal.
    await client.request('textDocument/hover', { textDocument: { uri: doc }, position: { line: 1e6, character: 1e6 } });
    // Half-typed text, one keystroke at a time, never crashes the server.
    const partial = 'file:///test/partial.wat';
    await client.open(partial, '');
    for (let i = 1; i <= SOURCE.length; i += 7) client.change(partial, SOURCE.slice(0, i));
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: positionOf(SOURCE, 'i32.add', 0, 1) });
    assert.ok(hover, 'the server still answers');
    assert.ok(client.alive);
  });
});
