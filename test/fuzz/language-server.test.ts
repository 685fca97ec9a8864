// The language server under random incremental edits and random queries (fuzz/lsp-fuzz.ts): every
// request answered within its budget, no internal errors, the server alive at the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LspClient } from '../language-server/lsp-client.js';
import { fuzzLanguageServer } from '../../fuzz/lsp-fuzz.js';

const SEEDS = 20;
const built = existsSync(fileURLToPath(new URL('../../dist/wasmscope.js', import.meta.url)));

test(`language server survives ${SEEDS} random editing sessions`, { skip: built ? false : 'dist/wasmscope.js is not built (npm run build)', timeout: 180_000 }, async () => {
  const client = await LspClient.start();
  try {
    let requests = 0, edits = 0;
    const findings: string[] = [];
    for (let seed = 0; seed < SEEDS; seed++) {
      const r = await fuzzLanguageServer(client, seed, 40);
      requests += r.requests;
      edits += r.edits;
      findings.push(...r.findings);
    }
    assert.deepEqual(findings, []);
    assert.ok(client.alive, 'the server is still running');
    assert.equal(edits, SEEDS * 40);
    assert.ok(requests >= edits, `${requests} requests`);
    // Still useful after all that: a fresh document gets its diagnostics.
    const d = await client.open('file:///fuzz/after.wat', '(module (func (result i32) (i64.const 1)))');
    assert.equal(d.diagnostics.length, 1);
  } finally {
    await client.stop();
  }
});
