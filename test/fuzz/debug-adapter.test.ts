// The debug adapter under hostile requests over stdio (fuzz/dap-fuzz.ts): before launch, while
// stopped (random and stale references, out-of-range memory, missing files, garbage expressions)
// and after termination. Every request is answered, errors are user-facing sentences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endSession, fuzzDebugAdapter } from '../../fuzz/dap-fuzz.js';
import { fixture, missingEngine, startClient } from '../debug-adapter/dap-harness.js';

const SEEDS = 3;
// Findings already recorded as open fixtures (test/fixtures/fuzz/dap-*.json) are not repeated here.
const KNOWN = /Maximum call stack size exceeded/;

test(`debug adapter answers ${SEEDS} sessions of hostile requests`, { skip: missingEngine(), timeout: 180_000 }, async () => {
  let requests = 0, errors = 0;
  const findings: string[] = [];
  for (let seed = 0; seed < SEEDS; seed++) {
    const dc = await startClient();
    try {
      const r = await fuzzDebugAdapter(dc, {
        seed, program: fixture('memory.wat'), invoke: { name: 'poke', args: [32, 7] }, breakLine: 16, steps: 30, budgetMs: 10_000,
      });
      requests += r.requests;
      errors += r.errorResponses;
      findings.push(...r.findings.filter((f) => !KNOWN.test(f)));
    } finally {
      await endSession(dc);
    }
  }
  assert.deepEqual(findings, []);
  // Most of what the fuzzer sends is nonsense, so most answers are refusals, but not all.
  assert.ok(requests > SEEDS * 30 && errors > requests / 4 && errors < requests, `${errors} errors of ${requests}`);
});
