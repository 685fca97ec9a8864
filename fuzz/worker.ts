// The child process that runs fuzz cases for campaign.ts. Cases run here, not in the parent, so a
// hang, a runaway allocation or a process crash costs one case and a restart, never the campaign.

import { loadWabt } from './decode-fuzz.js';
import { runCase, type Mode } from './cases.js';

export interface CaseRequest { mode: Mode; seed: number; minimize: boolean }

await loadWabt();
process.on('message', (msg: CaseRequest) => {
  let reply: unknown;
  try {
    reply = { ok: true, result: runCase(msg.mode, msg.seed, msg.minimize) };
  } catch (e) {
    // A failure of the harness itself (e.g. wasm-opt missing), not of wasmscope: reported as such.
    reply = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e) };
  }
  process.send!(reply);
});
process.send!({ ready: true });
