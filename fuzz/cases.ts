// One fuzz case = (mode, seed). The input is a pure function of both (caseInput), so the parent
// process can rebuild the input of a case that hung its worker, and a fixture's seed replays it.

import { checkDecoder } from './decode-fuzz.js';
import { runDifferential, type DiffOptions, type DiffResult, type Tier } from './differential.js';
import { minimizeBinary, minimizeDifferential, minimizeText } from './minimize.js';
import { mutateBinary } from './mutate.js';
import { Rng } from './rng.js';
import { checkFrontEnd, mutateText, specModulePool, specScriptPool } from './text-fuzz.js';
import { generateTtfModule, variantForSeed } from './ttf.js';
import { assembleText } from '../runtime/text/index.js';

export type Mode = 'diff' | 'decode' | 'text';
export const MODES: readonly Mode[] = ['diff', 'decode', 'text'];

export interface CaseInput {
  bytes?: Uint8Array;
  text?: string;
  /** How the input was made (mutations applied, variant), for the fixture's description. */
  recipe: string;
}

export interface Finding {
  mode: Mode;
  seed: number;
  /** divergence, crash, disagreement, slow, hang, no-location */
  what: string;
  description: string;
  bytes?: Uint8Array;
  text?: string;
  /** diff mode: whether memory/globals were compared bit for bit, and wasmscope's tier. */
  exactState?: boolean;
  tier?: Tier;
  /** text mode: the input is a script window, checked without the wabt comparison. */
  script?: boolean;
}

export interface CaseResult {
  mode: Mode;
  seed: number;
  /** Calls (diff) or checks (decode, text) performed. */
  units: number;
  /** Verdict category for the statistics (e.g. "agree-invalid", "v8-extension", "skipped"). */
  category: string;
  finding?: Finding;
}

// Sixteen decode cases share one base module, so generation (a wasm-opt run) stays amortised.
const DECODE_CASES_PER_BASE = 16;
const baseCache = new Map<number, Uint8Array>();

function decodeBase(seed: number): Uint8Array {
  const baseSeed = Math.floor(seed / DECODE_CASES_PER_BASE);
  let base = baseCache.get(baseSeed);
  if (!base) {
    if (baseCache.size > 64) baseCache.clear();
    base = (baseSeed % 2 === 1 ? specBase(baseSeed) : undefined) ?? generateTtfModule(baseSeed);
    baseCache.set(baseSeed, base);
  }
  return base;
}

/**
 * Odd bases come from the spec testsuite's modules (tables, element and data segments, reference
 * types, SIMD: what -ttf without reference types never writes), assembled by our front end.
 */
function specBase(baseSeed: number): Uint8Array | undefined {
  const pool = specModulePool();
  if (pool.length === 0) return undefined;
  return assembleText(pool[new Rng(baseSeed).below(pool.length)]!).bytes;
}

/** Which of wasmscope's code tiers a diff seed runs (independent of the ttf variant's seed % 4). */
export function tierForSeed(seed: number): Tier {
  return (['fast', 'probed', 'stepped'] as const)[Math.floor(seed / 4) % 3]!;
}

/** Every fourth text seed edits a whole script rather than one module (checked without wabt). */
function isScriptSeed(seed: number): boolean {
  return seed % 4 === 3;
}

export function caseInput(mode: Mode, seed: number): CaseInput {
  switch (mode) {
    case 'diff': {
      const v = variantForSeed(seed);
      return { bytes: generateTtfModule(seed, v), recipe: `wasm-opt -ttf (input ${v.inputSize} bytes${v.passes.length > 0 ? `, ${v.passes.join(' ')}` : ''}${v.denan ? ', --denan' : ''}${v.referenceTypes ? ', reference types' : ''})` };
    }
    case 'decode': {
      const { bytes, mutations } = mutateBinary(decodeBase(seed), new Rng(seed));
      const baseSeed = Math.floor(seed / DECODE_CASES_PER_BASE);
      const base = baseSeed % 2 === 1 && specModulePool().length > 0 ? `spec module #${new Rng(baseSeed).below(specModulePool().length)}` : `ttf module of seed ${baseSeed}`;
      return { bytes, recipe: `${base}, mutated: ${mutations.join(', ')}` };
    }
    case 'text': {
      const pool = specModulePool();
      if (pool.length === 0) throw new Error('text fuzzing needs the spec testsuite (WASM_SPEC_TESTSUITE)');
      const rng = new Rng(seed);
      if (isScriptSeed(seed)) {
        // A 20 KB window of a whole script (assertions, quoted and binary modules, registers).
        const scripts = specScriptPool();
        const index = rng.below(scripts.length);
        const script = scripts[index]!;
        const from = script.lastIndexOf('\n(', rng.below(script.length)) + 1;
        return { text: mutateText(script.slice(from, from + 20_000), rng), recipe: `spec script #${index} from offset ${from}, randomly edited` };
      }
      const index = rng.below(pool.length);
      return { text: mutateText(pool[index]!, rng), recipe: `spec module #${index}, randomly edited` };
    }
  }
}

/**
 * Re-runs a diverging module single-stepped: when it still diverges and float arithmetic produced
 * a NaN (whose bits the spec leaves open: nan-triage.ts) before the divergence, both engines may be
 * right, and the case is counted as 'open-nan' rather than reported.
 */
function divergenceFromOpenNaN(bytes: Uint8Array, options: DiffOptions): boolean {
  const r = runDifferential(bytes, { ...options, tier: 'stepped', stepBudget: Infinity, watchOpenNaNs: true });
  return r.divergence !== undefined && /results|memory|state|import call/.test(r.divergence.what) && (r.openNaNs ?? 0) > 0;
}

function describeDiff(r: DiffResult): string {
  const d = r.divergence!;
  return `${d.what}: wasmscope ${d.ours} / V8 ${d.v8}`;
}

export function runCase(mode: Mode, seed: number, minimize = true): CaseResult {
  const input = caseInput(mode, seed);
  if (mode === 'diff') {
    const variant = variantForSeed(seed);
    const options = { seed, exactState: variant.denan, tier: tierForSeed(seed) };
    const r = runDifferential(input.bytes!, options);
    if (r.skipped) return { mode, seed, units: 0, category: 'skipped' };
    if (!r.divergence) return { mode, seed, units: r.calls, category: options.tier === 'stepped' && r.stops === 0 && r.calls > 0 ? 'stepped-without-stops' : 'agree' };
    if (divergenceFromOpenNaN(input.bytes!, options)) return { mode, seed, units: r.calls, category: 'open-nan' };
    const bytes = minimize ? minimizeDifferential(input.bytes!, variant, (b) => !!runDifferential(b, options).divergence) : input.bytes!;
    const after = runDifferential(bytes, options);
    return {
      mode, seed, units: r.calls, category: 'divergence',
      finding: { mode, seed, what: 'divergence', description: `${describeDiff(after.divergence ? after : r)} [${input.recipe}; ${options.tier} tier]`, bytes, exactState: options.exactState, tier: options.tier },
    };
  }
  if (mode === 'decode') {
    const v = checkDecoder(input.bytes!);
    if (v.kind !== 'finding') return { mode, seed, units: 1, category: v.kind === 'agree' ? `agree-${v.valid ? 'valid' : 'invalid'}` : v.kind };
    const same = (b: Uint8Array): boolean => { const w = checkDecoder(b); return w.kind === 'finding' && w.what === v.what; };
    const bytes = minimize && v.what !== 'slow' ? minimizeBinary(input.bytes!, same) : input.bytes!;
    return { mode, seed, units: 1, category: v.what, finding: { mode, seed, what: v.what, description: `${v.detail} [${input.recipe}]`, bytes } };
  }
  const compare = !isScriptSeed(seed);
  const v = checkFrontEnd(input.text!, compare);
  if (v.ok) return { mode, seed, units: 1, category: v.diagnostics === 0 ? 'clean' : 'diagnostics' };
  const same = (t: string): boolean => { const w = checkFrontEnd(t, compare); return !w.ok && w.what === v.what; };
  // A disagreement's check may run the wat2wasm CLI, so its minimisation gets fewer steps.
  const text = minimize && v.what !== 'slow' ? minimizeText(input.text!, same, v.what === 'disagreement' ? 600 : 3000) : input.text!;
  return { mode, seed, units: 1, category: v.what, finding: { mode, seed, what: v.what, description: `${v.detail} [${input.recipe}]`, text, script: !compare } };
}
