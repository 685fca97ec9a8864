// Shrinking a failing input before it becomes a fixture, so the lead reads a few functions instead
// of a few hundred. Every step re-runs the check and keeps a change only if the failure persists.

import { decodeModule } from '../runtime/binary/decode.js';
import { concat, splitSections, withExports } from './sections.js';
import { wasmOptPasses, type TtfVariant } from './ttf.js';

export type StillFails = (bytes: Uint8Array) => boolean;

/** Drops exported functions one at a time (keeping the hang-limit reset), then unreachable code. */
export function minimizeDifferential(bytes: Uint8Array, variant: TtfVariant, stillFails: StillFails): Uint8Array {
  let best = bytes;
  let exports = decodeModule(best).exports;
  for (let i = exports.length - 1; i >= 0; i--) {
    const e = exports[i]!;
    if (e.kind !== 'func' || e.name === 'hangLimitInitializer') continue;
    const fewer = exports.filter((_, j) => j !== i);
    const candidate = withExports(best, fewer);
    if (stillFails(candidate)) { best = candidate; exports = fewer; }
  }
  const pruned = wasmOptPasses(best, variant, ['--remove-unused-module-elements']);
  if (pruned && pruned.length < best.length && stillFails(pruned)) best = pruned;
  return best;
}

/** For malformed or invalid inputs: drops whole sections, then single bytes from the end. */
export function minimizeBinary(bytes: Uint8Array, stillFails: StillFails): Uint8Array {
  let best = bytes;
  let sections;
  try { sections = splitSections(best); } catch { sections = undefined; }
  if (sections) {
    for (let i = sections.length - 1; i >= 0; i--) {
      const s = sections[i]!;
      const candidate = concat([best.subarray(0, s.start), best.subarray(s.end)]);
      if (stillFails(candidate)) {
        best = candidate;
        try { sections = splitSections(best); } catch { break; }
        i = Math.min(i, sections.length);
      }
    }
  }
  // Trailing bytes often do not matter (a truncation or a later section).
  let step = Math.max(1, best.length >> 2);
  while (step >= 1 && best.length > 8) {
    const candidate = best.subarray(0, best.length - step);
    if (candidate.length >= 8 && stillFails(candidate)) best = candidate;
    else step >>= 1;
  }
  return new Uint8Array(best);
}

/** For text: deletes ever smaller chunks while the failure persists. */
export function minimizeText(text: string, stillFails: (t: string) => boolean, maxChecks = 3000): string {
  let best = text;
  let checks = 0;
  for (let chunk = Math.max(1, best.length >> 1); chunk >= 1; chunk >>= 1) {
    for (let at = 0; at + chunk <= best.length;) {
      if (++checks > maxChecks) return best;
      const candidate = best.slice(0, at) + best.slice(at + chunk);
      if (stillFails(candidate)) best = candidate;
      else at += chunk;
    }
  }
  return best;
}
