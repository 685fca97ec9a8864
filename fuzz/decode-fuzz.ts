// Decoder and validator fuzzing: a mutated binary must get the same accept/reject verdict from
// wasmscope as from V8's WebAssembly.validate, must only ever raise our own error classes (with a
// byte offset), and must finish within a time and memory budget. When V8 and wasmscope disagree,
// wabt (configured for exactly Wasm 2.0) breaks the tie: V8 in Node 20 also accepts post-2.0
// proposals (tail calls, legacy exception handling), which wasmscope rightly rejects.

import { decodeModule } from '../runtime/binary/decode.js';
import { validateModule } from '../runtime/validate/module.js';
import { DecodeError, ValidationError, type WasmError } from '../runtime/wasm/errors.js';
import { wabtValidBinary } from './wabt.js';

export { loadWabt } from './wabt.js';

export type DecodeVerdict =
  | { kind: 'agree'; valid: boolean }
  /** V8 and wasmscope differ, and wabt (Wasm 2.0 only) sides with wasmscope. */
  | { kind: 'v8-extension'; ours: string }
  /** V8 rejects what wasmscope and wabt accept: one of V8's implementation limits. */
  | { kind: 'v8-stricter' }
  | { kind: 'finding'; what: 'crash' | 'disagreement' | 'slow' | 'memory' | 'no-location'; detail: string };

export interface DecodeCheck {
  ours: { valid: boolean; error?: WasmError };
  elapsedMs: number;
}

/** wasmscope's verdict; any exception other than our error classes is rethrown to the caller. */
export function oursVerdict(bytes: Uint8Array): DecodeCheck {
  const t0 = performance.now();
  let error: WasmError | undefined;
  try {
    const m = decodeModule(bytes);
    error = validateModule(m)[0];
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    error = e;
  }
  return { ours: { valid: !error, error }, elapsedMs: performance.now() - t0 };
}

/** Budget for one decode + validate of a fuzz-sized module (they are a few KiB). */
export const DECODE_BUDGET_MS = 2000;

/** Memory one decode + validate of a fuzz-sized module may leave behind before it is a finding. */
export const DECODE_MEMORY_BUDGET = 256 << 20;

function liveBytes(): number {
  const u = process.memoryUsage();
  return u.heapUsed + u.arrayBuffers;
}

export function checkDecoder(bytes: Uint8Array): DecodeVerdict {
  let check: DecodeCheck;
  const before = liveBytes();
  try {
    check = oursVerdict(bytes);
  } catch (e) {
    const err = e as Error;
    return { kind: 'finding', what: 'crash', detail: `${err?.name}: ${err?.message} ${err?.stack?.split('\n')[1]?.trim() ?? ''}` };
  }
  const { ours, elapsedMs } = check;
  if (elapsedMs > DECODE_BUDGET_MS) return { kind: 'finding', what: 'slow', detail: `decode+validate took ${elapsedMs.toFixed(0)} ms` };
  // Memory still held after the check. A transient peak past the worker's heap limit
  // (campaign.ts: --max-old-space-size) kills the worker instead: a 'crash' finding.
  const grown = liveBytes() - before;
  if (grown > DECODE_MEMORY_BUDGET) return { kind: 'finding', what: 'memory', detail: `decode+validate kept ${(grown / 2 ** 20).toFixed(0)} MiB for a ${bytes.length}-byte input` };
  if (ours.error) {
    if (!(ours.error instanceof DecodeError || ours.error instanceof ValidationError)) {
      return { kind: 'finding', what: 'crash', detail: `unexpected error class ${ours.error.name}` };
    }
    if (!ours.error.location || !Number.isInteger(ours.error.location.offset) || ours.error.location.offset < 0
      || ours.error.location.offset > bytes.length) {
      return { kind: 'finding', what: 'no-location', detail: `${ours.error.message}: offset ${ours.error.location?.offset}` };
    }
  }
  const v8 = WebAssembly.validate(bytes);
  if (v8 === ours.valid) return { kind: 'agree', valid: v8 };
  const oursText = ours.error ? ours.error.describe() : 'valid';
  const tiebreak = wabtValidBinary(bytes);
  if (tiebreak === ours.valid) return ours.valid ? { kind: 'v8-stricter' } : { kind: 'v8-extension', ours: oursText };
  return {
    kind: 'finding', what: 'disagreement',
    detail: `wasmscope: ${oursText}; V8: ${v8 ? 'valid' : 'invalid'}; wabt (2.0): ${tiebreak === undefined ? 'n/a' : tiebreak ? 'valid' : 'invalid'}`,
  };
}
