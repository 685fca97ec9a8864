// Replays every fuzz finding saved under test/fixtures/fuzz/. A fixture whose bug is still open
// (`"open": true`) runs as a node:test `todo`: it is reported but does not fail CI; once fixed,
// set `open` to false and the test guards the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadFixtures, type FixtureMeta } from '../../fuzz/fixtures.js';
import { runDifferential } from '../../fuzz/differential.js';
import { checkDecoder, loadWabt } from '../../fuzz/decode-fuzz.js';
import { checkFrontEnd } from '../../fuzz/text-fuzz.js';
import { LEAKED, ask, endSession, killAdapter } from '../../fuzz/dap-fuzz.js';
import { fixture as dapFixture, launch, missingEngine, root, startClient, topFrame } from '../debug-adapter/dap-harness.js';

const fixtures = loadFixtures();

async function replayDap(meta: FixtureMeta): Promise<void> {
  const why = missingEngine();
  if (why) { console.log(`# ${why}`); return; }
  const program = meta.program ? join(root, meta.program) : dapFixture('memory.wat');
  const dc = await startClient();
  try {
    const stopped = dc.waitForEvent('stopped');
    await launch(dc, { program, invoke: meta.invoke }, () =>
      dc.setBreakpointsRequest({ source: { path: program }, breakpoints: [{ line: meta.breakLine! }] }));
    await stopped;
    const frame = await topFrame(dc);
    const r = await ask(dc, meta.request!.command, { frameId: frame.id, ...meta.request!.arguments }, 5000);
    if (r === 'timeout') {
      killAdapter(dc); // it may be spinning: do not wait for a disconnect answer
      assert.fail(`${meta.request!.command}: no response within 5 s`);
    }
    // The request may fail, but with a message meant for the user, not an escaped exception.
    assert.ok(r.success || !LEAKED.test(r.message ?? ''), `${meta.request!.command}: ${r.message?.slice(0, 200)}`);
    // And the adapter still answers afterwards.
    assert.notEqual(await ask(dc, 'threads', {}, 5000), 'timeout', 'the adapter answers the next request');
  } finally {
    await endSession(dc);
  }
}

test('fuzz regression fixtures load', () => {
  for (const f of fixtures) {
    assert.ok(f.meta.description.length > 0 && Number.isInteger(f.meta.seed), JSON.stringify(f.meta));
    assert.equal(typeof f.meta.open, 'boolean');
  }
});

for (const { meta, bytes, text } of fixtures) {
  const name = `${meta.mode} seed ${meta.seed} (${meta.what}): ${meta.description.slice(0, 120)}`;
  test(name, { todo: meta.open ? meta.description : undefined, timeout: 60_000 }, async () => {
    switch (meta.mode) {
      case 'diff': {
        const r = runDifferential(bytes!, { seed: meta.seed, exactState: meta.exactState ?? true, tier: meta.tier });
        assert.equal(r.divergence, undefined, JSON.stringify(r.divergence));
        break;
      }
      case 'decode': {
        await loadWabt();
        const v = checkDecoder(bytes!);
        assert.notEqual(v.kind, 'finding', JSON.stringify(v));
        break;
      }
      case 'text': {
        await loadWabt();
        const v = checkFrontEnd(text!, !meta.script);
        assert.ok(v.ok, JSON.stringify(v));
        break;
      }
      case 'dap':
        await replayDap(meta);
        break;
    }
  });
}
