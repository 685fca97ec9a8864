// Snapshot tests of the TextMate grammars: each fixture in test/fixtures/syntaxes/ is tokenized as
// VS Code would and compared with the .snap beside it. After an intended grammar change, rewrite the
// snapshots with UPDATE_SNAPSHOTS=1 and review the diff.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixturesDir, formatSnapshot, tokenizeLines } from './tokenize.js';

const scopeByExtension: Record<string, string> = { '.wat': 'source.wat', '.wast': 'source.wast', '.md': 'text.html.markdown' };
const update = process.env.UPDATE_SNAPSHOTS === '1';

const fixtures = readdirSync(fixturesDir).filter((f) => Object.keys(scopeByExtension).some((ext) => f.endsWith(ext)));

test('there are grammar fixtures for every language', () => {
  for (const ext of Object.keys(scopeByExtension)) assert.ok(fixtures.some((f) => f.endsWith(ext)), `no ${ext} fixture in ${fixturesDir}`);
});

for (const fixture of fixtures) {
  test(`tokens of ${fixture} match ${fixture}.snap`, async () => {
    const ext = Object.keys(scopeByExtension).find((e) => fixture.endsWith(e))!;
    const text = readFileSync(join(fixturesDir, fixture), 'utf8');
    const actual = formatSnapshot(text, await tokenizeLines(scopeByExtension[ext]!, text));
    const snapFile = join(fixturesDir, `${fixture}.snap`);
    if (update) {
      writeFileSync(snapFile, actual);
      return;
    }
    if (!existsSync(snapFile)) assert.fail(`${snapFile} is missing: run with UPDATE_SNAPSHOTS=1 to create it, then review it`);
    if (actual !== readFileSync(snapFile, 'utf8')) writeFileSync(join(fixturesDir, `${fixture}.actual`), actual);
    assert.equal(actual, readFileSync(snapFile, 'utf8'), `tokens changed; see ${fixture}.actual (UPDATE_SNAPSHOTS=1 accepts them)`);
  });
}
