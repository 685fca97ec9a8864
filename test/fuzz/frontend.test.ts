// The WAT front end under random edits and truncations of the spec testsuite's modules: checkText
// returns diagnostics for every one, never throws, and stays within its time budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCampaign } from '../../fuzz/campaign.js';
import { checkFrontEnd, extractModules, mutateText, specModulePool, specSuiteDir } from '../../fuzz/text-fuzz.js';
import { Rng } from '../../fuzz/rng.js';

const CI_CASES = 3000;
const noSuite = specSuiteDir() ? false : 'spec testsuite absent (set WASM_SPEC_TESTSUITE)';

test(`checkText survives ${CI_CASES} edited spec modules`, { skip: noSuite, timeout: 240_000 }, async () => {
  const summary = await runCampaign({ modes: ['text'], seeds: Array.from({ length: CI_CASES }, (_, i) => i) });
  const stats = summary.stats.text!;
  assert.deepEqual(summary.harnessErrors, []);
  assert.deepEqual(summary.findings.map((f) => `seed ${f.seed}: ${f.what}: ${f.description}`), []);
  assert.equal(stats.cases, CI_CASES);
  assert.ok((stats.categories.diagnostics ?? 0) > CI_CASES / 2, JSON.stringify(stats.categories));
});

test('module extraction skips binary and quoted modules and balances strings and comments', () => {
  const mods = extractModules('(module $a (func (export "x)") ;; )\n))\n(module binary "\\00asm")\n(module quote "(")\n(module)');
  assert.deepEqual(mods, ['(module $a (func (export "x)") ;; )\n))', '(module)']);
  if (!noSuite) assert.ok(specModulePool().length > 1000);
});

test('pathological texts: deep nesting, long tokens, unterminated strings and comments', () => {
  const inputs = [
    '('.repeat(100_000),
    `(module (func ${'(block '.repeat(20_000)}${')'.repeat(20_000)}))`,
    `(module (func (i32.const ${'9'.repeat(100_000)})))`,
    '(module (func (export "' + 'a'.repeat(50_000),
    '(module (; '.repeat(5_000),
    `(module ${'(func) '.repeat(20_000)})`,
    '\u0000\uffff\ud800(module)',
  ];
  for (const text of inputs) {
    const v = checkFrontEnd(text);
    assert.ok(v.ok, `${text.slice(0, 40)}…: ${JSON.stringify(v)}`);
  }
  // Mutations are a pure function of the seed.
  assert.equal(mutateText('(module (func))', new Rng(5)), mutateText('(module (func))', new Rng(5)));
});
