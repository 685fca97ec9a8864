// Feature tests at the analysis level (no transport): completion contexts, rename, navigation,
// signature help, and the formatter's guarantees (idempotent, meaning-preserving, refuses broken text).
import { assembleText } from '../../runtime/text/index.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lsp-client.js';
import { analyzeDocument } from '../../language-server/analysis/document.js';
import { completionsAt } from '../../language-server/analysis/completion.js';
import {
  definitionAt, prepareRename, referencesAt, renameAt, RenameError,
} from '../../language-server/analysis/navigation.js';
import { signatureHelpAt } from '../../language-server/analysis/signature-help.js';
import { hoverAt } from '../../language-server/analysis/hover.js';
import { formatDocument } from '../../language-server/analysis/format.js';

/** Text with a `|` marking the cursor: returns the text without it and the cursor's offset. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'test text has a | cursor');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function labels(marked: string, kind: 'wat' | 'wast' = 'wat'): string[] {
  const { text, offset } = cursor(marked);
  return completionsAt(analyzeDocument(text, kind), offset).items.map((i) => i.label);
}

const MODULE = `(module
  (type $t (func (param i32) (result i32)))
  (global $g1 i32 (i32.const 1))
  (global $g2 (mut f32) (f32.const 1))
  (memory $m 1)
  (table $tab 1 funcref)
  (func $f (param $p i32) (result i32) (local $l i64)
    BODY)
  (func $h (export "h") (type $t) (local.get 0))
)`;

describe('completion', () => {
  it('offers the index space the position expects', () => {
    assert.deepEqual(labels(MODULE.replace('BODY', 'global.get |')), ['$g1', '$g2']);
    assert.deepEqual(labels(MODULE.replace('BODY', 'local.get |')), ['$p', '$l']);
    assert.deepEqual(labels(MODULE.replace('BODY', '(call |')), ['$f', '$h']);
    assert.deepEqual(labels(MODULE.replace('BODY', 'call_indirect (type |')), ['$t']);
    assert.deepEqual(labels(MODULE.replace('BODY', 'table.get |')), ['$tab']);
    assert.deepEqual(labels(MODULE.replace('BODY', 'local.get $|')), ['$p', '$l'], 'a typed `$` narrows to the same space');
    assert.deepEqual(labels(MODULE.replace('BODY', 'block $out loop $in br |')), ['$in', '$out'], 'labels innermost first');
    assert.deepEqual(labels(MODULE.replace('BODY', 'block $out end br |')), [], 'closed blocks are out of scope');
    assert.deepEqual(labels(MODULE.replace(')\n)', ')\n  (export "x" (func |))\n)')), ['$f', '$h']);
    assert.deepEqual(labels(MODULE.replace(')\n)', ')\n  (start |)\n)')), ['$f', '$h']);
  });

  it('offers value types, module fields, instructions and script commands where they belong', () => {
    assert.deepEqual(labels(MODULE.replace('(local $l i64)', '(local $l |)')), ['i32', 'i64', 'f32', 'f64', 'v128', 'funcref', 'externref']);
    const fields = labels(MODULE.replace('\n)', '\n  (|\n)'));
    for (const f of ['func', 'memory', 'global', 'export', 'import', 'type']) assert.ok(fields.includes(f), f);
    assert.ok(!fields.includes('i32.add'), 'no instructions at module level');
    const instrs = labels(MODULE.replace('BODY', 'i32.|'));
    assert.ok(instrs.includes('i32.add') && instrs.includes('i32.load8_u'));
    const folded = labels(MODULE.replace('BODY', '(|'));
    assert.ok(folded.includes('i32.add') && !folded.includes('end'), 'no `end` in folded form');
    const script = labels('(module)\n(|', 'wast');
    assert.ok(script.includes('assert_return') && script.includes('module'));
  });

  it('offers offset= and align= after memory instructions', () => {
    const { text, offset } = cursor(MODULE.replace('BODY', 'i32.const 0 i64.load |'));
    const items = completionsAt(analyzeDocument(text, 'wat'), offset).items;
    assert.deepEqual(items.slice(0, 2).map((i) => i.snippet), ['offset=${1:0}', 'align=${1:8}']);
    assert.ok(!labels(MODULE.replace('BODY', 'i32.const 0 i32.add |')).includes('offset='));
  });

  it('offers nothing inside comments and strings', () => {
    assert.deepEqual(labels(MODULE.replace('BODY', ';; call |')), []);
    assert.deepEqual(labels(MODULE.replace('BODY', '(; local.get | ;)')), []);
    assert.deepEqual(labels(MODULE.replace('(export "h")', '(export "h|")')), []);
  });

  it('gives instruction snippets for immediates, and for flat blocks their end', () => {
    const { text, offset } = cursor(MODULE.replace('BODY', 'blo|'));
    const items = completionsAt(analyzeDocument(text, 'wat'), offset).items;
    assert.equal(items.find((i) => i.label === 'block')!.snippet, 'block ${1:\\$label}\n\t$0\nend');
    assert.equal(items.find((i) => i.label === 'local.get')!.snippet, 'local.get ${1:\\$local}');
    assert.match(items.find((i) => i.label === 'i32.add')!.documentation!, /i32\.add : \[i32 i32\] -> \[i32\]/);
  });
});

describe('diagnostics', () => {
  it('gives one diagnostic per mistake and keeps analysing after it', () => {
    const text = `(module
  (func $a (result i32)
    i32.const 1
  (func $b (result i32)
    local.get $nope)
  (func $c (result i32)
    i32.const "x")
  (global $g i32 (i32.const 0))
)`;
    const doc = analyzeDocument(text, 'wat');
    assert.deepEqual(doc.diagnostics.map((d) => [d.range.start.line + 1, d.code]),
      [[3, 'unclosed-paren'], [5, 'undefined-name'], [7, 'unexpected-token']]);
    assert.deepEqual(doc.units[0]!.module.fields.map((f) => f.id?.name), ['$a', '$b', '$c', '$g'], 'every field still parsed');
    assert.match(hoverAt(doc, text.indexOf('$g') + 1)!.markdown, /\(global \$g i32\)/);
  });
});

describe('navigation and rename', () => {
  const text = `(module
  (func $loop (param $n i32)
    block $exit
      loop $top
        local.get $n
        br_if $exit
        br $top
      end $top
    end $exit)
  (func (call 0 (i32.const 1)))
)`;
  const doc = analyzeDocument(text, 'wat');

  it('finds definitions from names and from numeric indices', () => {
    assert.equal(definitionAt(doc, text.indexOf('$exit', 60) + 1)?.start, text.indexOf('$exit'));
    assert.equal(definitionAt(doc, text.indexOf('call 0') + 5)?.start, text.indexOf('$loop'));
  });

  it('goes from a .wast invoke to the export it calls', () => {
    const script = `(module $a (func (export "f")))
(module $b (func $g (export "f")) (export "h" (func $g)))
(invoke "f")
(invoke $a "f")
(get "h")
(assert_return (invoke $b "h"))`;
    const wast = analyzeDocument(script, 'wast');
    const at = (needle: string, n = 0): number => {
      let i = -1;
      for (let k = 0; k <= n; k++) i = script.indexOf(needle, i + 1);
      return i + 1;
    };
    const inB = script.indexOf('"f"', script.indexOf('$b'));
    assert.equal(definitionAt(wast, at('"f"', 2))!.start, inB, 'the last module by default');
    assert.equal(definitionAt(wast, at('"f"', 3))!.start, script.indexOf('"f"'), 'the named module');
    assert.equal(definitionAt(wast, at('"h"', 1))!.start, script.indexOf('(export "h"'));
    assert.equal(definitionAt(wast, at('"h"', 2))!.start, script.indexOf('(export "h"'));
  });

  it('finds references, with and without the declaration', () => {
    assert.equal(referencesAt(doc, text.indexOf('$n') + 1, true).length, 2);
    assert.equal(referencesAt(doc, text.indexOf('$n') + 1, false).length, 1);
  });

  it('renames a label together with the label repeated after end', () => {
    const edits = renameAt(doc, text.indexOf('$top') + 1, '$again');
    assert.deepEqual(edits.map((e) => text.slice(e.span.start, e.span.end)), ['$top', '$top', '$top']);
    let renamed = text;
    for (const e of edits.slice().reverse()) renamed = renamed.slice(0, e.span.start) + e.newText + renamed.slice(e.span.end);
    assert.deepEqual(analyzeDocument(renamed, 'wat').diagnostics, []);
    assert.ok(renamed.includes('end $again'));
  });

  it('rejects invalid or clashing names and positions without a $name', () => {
    assert.throws(() => renameAt(doc, text.indexOf('$n') + 1, 'n'), RenameError);
    assert.throws(() => renameAt(doc, text.indexOf('$n') + 1, '$a b'), RenameError);
    assert.throws(() => renameAt(doc, text.indexOf('$exit') + 1, '$top'), /already defined/);
    assert.throws(() => prepareRename(doc, text.indexOf('call 0') + 5), /numeric index/);
    assert.throws(() => prepareRename(doc, text.indexOf('local.get')), RenameError);
  });
});

describe('hover and signature help', () => {
  it('describes labels, types and stack state', () => {
    const text = `(module (type $sig (func (param i32) (result i64)))
  (func $f (type $sig) (block $b (result i64) (i64.extend_i32_u (local.get 0)))))`;
    const doc = analyzeDocument(text, 'wat');
    assert.match(hoverAt(doc, text.indexOf('$b') + 1)!.markdown, /block \$b \(result i64\)/);
    assert.match(hoverAt(doc, text.indexOf('$sig', 30) + 1)!.markdown, /\(type \$sig \(func \(param i32\) \(result i64\)\)\)/);
    const extend = hoverAt(doc, text.indexOf('i64.extend') + 1)!.markdown;
    assert.match(extend, /i64\.extend_i32_u : \[i32\] -> \[i64\]/);
    assert.match(extend, /Operand stack before: `\[i32\]`/);
  });

  it('tracks the active parameter of a folded call and shows flat calls', () => {
    const text = `(module (func $two (param $x i32) (param $y f64))
  (func (call $two (i32.const 1) (f64.const 2)))
  (func f64.const 1 call $two))`;
    const doc = analyzeDocument(text, 'wat');
    const first = signatureHelpAt(doc, text.indexOf('(i32.const 1)') + 2)!;
    assert.equal(first.label, 'call $two ($x i32, $y f64) -> []');
    assert.equal(first.activeParameter, 0);
    assert.equal(signatureHelpAt(doc, text.indexOf('(f64.const 2)') + 2)!.activeParameter, 1);
    assert.deepEqual(first.parameters.map((p) => first.label.slice(...p.label)), ['$x i32', '$y f64']);
    assert.ok(signatureHelpAt(doc, text.indexOf('call $two))') + 9));
    assert.equal(signatureHelpAt(doc, text.indexOf('f64.const 1')), undefined);
  });
});

describe('formatting', () => {
  const options = { tabSize: 2, insertSpaces: true };

  it('keeps comments and CRLF line ends, indents with tabs on request, and never joins `(` with a comment', () => {
    const text = '(module\r\n( ;; why\r\nfunc $f (; inline ;) nop\r\n)\r\n)';
    const out = formatDocument(analyzeDocument(text, 'wat'), options)!;
    assert.equal(out, '(module\r\n  ( ;; why\r\n    func $f (; inline ;) nop\r\n  )\r\n)\r\n');
    const tabs = formatDocument(analyzeDocument('(module\n(func\nnop))', 'wat'), { tabSize: 4, insertSpaces: false });
    assert.equal(tabs, '(module\n\t(func\n\t\tnop))\n');
  });

  it('indents flat blocks, else and end', () => {
    const text = '(func (param i32)\nlocal.get 0\nif\nnop\nelse\nblock\nnop\nend\nend)';
    assert.equal(formatDocument(analyzeDocument(text, 'wat'), options),
      '(func (param i32)\n  local.get 0\n  if\n    nop\n  else\n    block\n      nop\n    end\n  end)\n');
  });

  it('refuses text with syntax errors but formats text with only name errors', () => {
    assert.equal(formatDocument(analyzeDocument('(module (func $f i32.const "x)', 'wat'), options), undefined);
    assert.equal(formatDocument(analyzeDocument('(module (func $f i32.bogus))', 'wat'), options), undefined);
    assert.equal(formatDocument(analyzeDocument('(module (func  $f  call $nowhere))', 'wat'), options), '(module (func $f call $nowhere))\n');
  });

  it('is idempotent and preserves the assembled bytes of every fixture', () => {
    const dir = join(ROOT, 'test', 'fixtures', 'lsp');
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.wat'))) {
      const text = readFileSync(join(dir, name), 'utf8');
      const once = formatDocument(analyzeDocument(text, 'wat'), options);
      if (once === undefined) continue;
      assert.equal(formatDocument(analyzeDocument(once, 'wat'), options), once, `${name} formats idempotently`);
      const before = assembleText(text).bytes, after = assembleText(once).bytes;
      assert.deepEqual(after, before, `${name} assembles to the same bytes`);
    }
  });
});
