// Diagnostics snapshots: each test/fixtures/text/*.wat has a .snap beside it holding every
// diagnostic of checkText (parse, names, validation) with its exact LSP range (0-based
// line:character). UPDATE_SNAPSHOTS=1 rewrites the .snap files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../../../runtime/text/check.js';
import type { Diagnostic } from '../../../runtime/text/diagnostics.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/text');
const update = process.env.UPDATE_SNAPSHOTS === '1';

function render(diagnostics: Diagnostic[]): string {
  const lines = diagnostics.map((d) => {
    const r = d.range;
    const sev = d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info';
    return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character} ${sev} ${d.code}: ${d.message}`;
  });
  return `# 0-based line:character ranges, as LSP\n${lines.join('\n')}\n`;
}

for (const name of readdirSync(FIXTURES).filter((f) => f.endsWith('.wat')).sort()) {
  test(`diagnostics snapshot: ${name}`, () => {
    const text = readFileSync(join(FIXTURES, name), 'utf8');
    const actual = render(checkText(text, name).diagnostics);
    const snapPath = join(FIXTURES, name.replace(/\.wat$/, '.snap'));
    if (update || !existsSync(snapPath)) {
      writeFileSync(snapPath, actual);
      if (!update) assert.fail(`snapshot ${snapPath} was missing and has been written; review it and rerun`);
      return;
    }
    assert.equal(actual, readFileSync(snapPath, 'utf8'));
  });
}

test('one typo gives one diagnostic, at the typo, with a suggestion', () => {
  const text = readFileSync(join(FIXTURES, 'recovery-typo.wat'), 'utf8');
  const { diagnostics } = checkText(text);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0]!.message, 'unknown instruction `i32.sbu` (did you mean `i32.sub`?)');
  const line = text.split('\n')[diagnostics[0]!.range.start.line]!;
  assert.equal(line.slice(diagnostics[0]!.range.start.character, diagnostics[0]!.range.end.character), 'i32.sbu');
});

test('a clean module has no diagnostics', () => {
  const { diagnostics, bytes } = checkText('(module (func (export "f") (result i32) (i32.const 42)))');
  assert.deepEqual(diagnostics, []);
  assert.ok(bytes && bytes.length > 8);
});
