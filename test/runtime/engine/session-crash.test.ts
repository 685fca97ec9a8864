// A worker that dies while the program runs must end the session with a clear reason, never leave
// the debugger "running" forever.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { EngineSession } from '../../../runtime/engine/session.js';

test('a dead engine worker becomes a trap event and an exit', async () => {
  const workerPath = fileURLToPath(new URL('../../fixtures/engine/dying-worker.mjs', import.meta.url));
  const session = new EngineSession({ workerPath });
  const traps: string[] = [];
  const exited = new Promise<number>((resolve) => session.on('exited', resolve));
  session.on('trap', (t) => traps.push(t.message));
  await session.load(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), {});
  const run = session.run().catch((e: Error) => e.message);
  assert.equal(await exited, 1);
  assert.deepEqual(traps, ['the engine worker stopped unexpectedly (exit code 9)']);
  assert.equal(await run, 'the engine worker has exited');
});
