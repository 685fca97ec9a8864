// The whole Wasm 2.0 spec testsuite, read through our own front end and run on our engine, through
// the command line a user would call: `wasmscope spec --json DIR`. Every command must pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const suite = process.env.WASM_SPEC_TESTSUITE
  ? join(process.env.WASM_SPEC_TESTSUITE, 'wasm-2.0')
  : resolve(root, '..', 'shared', 'spec-testsuite', 'wasm-2.0');
const present = existsSync(suite);

test('every command of the wasm-2.0 spec testsuite passes', { skip: present ? false : `spec testsuite not found at ${suite} (set WASM_SPEC_TESTSUITE)` }, () => {
  const files = readdirSync(suite).filter((f) => f.endsWith('.wast'));
  assert.equal(files.length, 146, 'the 2.0 suite has 146 scripts');
  const r = spawnSync(process.execPath, [join(root, 'dist', 'wasmscope.js'), 'spec', '--json', suite], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600_000,
  });
  const json = r.stdout.slice(r.stdout.indexOf('{'), r.stdout.lastIndexOf('}') + 1);
  const result = JSON.parse(json) as { passed: number; failed: number; skipped: number; files: { file: string; failed: number }[] };
  const failing = result.files.filter((f) => f.failed > 0).map((f) => `${f.file}: ${f.failed} failed`);
  assert.deepEqual(failing, [], r.stderr);
  assert.equal(result.failed, 0);
  assert.equal(result.skipped, 0);
  assert.ok(result.passed >= 53_899, `only ${result.passed} commands ran`);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^\d+ passed, 0 failed, 0 skipped$/m);
});
