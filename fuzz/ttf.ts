// Random valid modules from binaryen's translate-to-fuzz (`wasm-opt -ttf`): it turns arbitrary
// input bytes into a valid module that calls `fuzzing-support` logging imports, exports its
// functions and memory, and bounds every loop and recursion with a hang-limit global (reset by the
// exported `hangLimitInitializer`), so each call terminates on any correct engine.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from './rng.js';

/**
 * Wasm 2.0 as V8 in Node 20 runs it. Reference types stay off by default: binaryen 108's -ttf then
 * writes non-nullable `(ref $t)` types that only the typed-function-references proposal allows.
 */
const BASE_FEATURES = [
  '--enable-sign-ext', '--enable-nontrapping-float-to-int', '--enable-simd', '--enable-bulk-memory',
  '--enable-multivalue', '--enable-mutable-globals',
  '--disable-gc', '--disable-exception-handling', '--disable-tail-call', '--disable-threads',
  '--disable-memory64', '--disable-relaxed-simd', '--disable-extended-const', '--disable-typed-function-references',
];

const PASS_SETS: string[][] = [['-O1'], ['-O3'], ['-Os'], ['--flatten', '--rereloop', '-O1'], ['--inlining', '--merge-blocks', '--code-folding']];

export interface TtfVariant {
  /** Instrument with binaryen's --denan so float results are never NaN: memory compares bit-exactly. */
  denan: boolean;
  /** Also enable reference types (many outputs are then rejected by V8; see BASE_FEATURES). */
  referenceTypes: boolean;
  /** Size of the random input handed to -ttf (bigger input, bigger module). */
  inputSize: number;
  /**
   * binaryen optimisation passes run on the generated module, for code shapes -ttf alone does not
   * write (merged blocks, br_table chains, rerolled loops). Both engines run the same output.
   */
  passes: string[];
}

/** The variant a seed selects: mostly de-NaNed, some with NaNs, a few with reference types. */
export function variantForSeed(seed: number): TtfVariant {
  const rng = new Rng(seed);
  return {
    denan: seed % 4 !== 3,
    referenceTypes: seed % 16 === 15,
    inputSize: rng.range(256, 6000),
    passes: [
      // V8 cannot pass a v128 to the log-v128 import: the call throws and ends the export's run
      // early. Without imports, SIMD-heavy code runs to the end (and shows in memory and globals).
      ...(rng.chance(0.25) ? ['--remove-imports'] : []),
      ...(rng.chance(0.4) ? rng.pick(PASS_SETS) : []),
    ],
  };
}

/** wasm-opt's feature flags for a variant (also used to rewrite its output while minimising). */
export function featureFlags(variant: Pick<TtfVariant, 'referenceTypes'>): string[] {
  return [...BASE_FEATURES, variant.referenceTypes ? '--enable-reference-types' : '--disable-reference-types'];
}

/**
 * Runs wasm-opt passes over a module with the variant's features (e.g. removing what the exports no
 * longer reach); undefined when wasm-opt fails.
 */
export function wasmOptPasses(bytes: Uint8Array, variant: Pick<TtfVariant, 'referenceTypes'>, passes: string[]): Uint8Array | undefined {
  const dir = scratch();
  const input = join(dir, `pass-in-${process.pid}.wasm`);
  const output = join(dir, `pass-out-${process.pid}.wasm`);
  writeFileSync(input, bytes);
  const r = spawnSync('wasm-opt', [input, '-o', output, ...featureFlags(variant), ...passes], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? new Uint8Array(readFileSync(output)) : undefined;
}

let workDir: string | undefined;

function scratch(): string {
  if (!workDir) {
    workDir = mkdtempSync(join(tmpdir(), 'wasmscope-fuzz-'));
    process.once('exit', () => rmSync(workDir!, { recursive: true, force: true }));
  }
  return workDir;
}

export function wasmOptAvailable(): boolean {
  const r = spawnSync('wasm-opt', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

/** The module binaryen builds for `seed`; throws when wasm-opt fails (a tool problem, not ours). */
export function generateTtfModule(seed: number, variant: TtfVariant = variantForSeed(seed)): Uint8Array {
  const dir = scratch();
  const input = join(dir, `in-${process.pid}.dat`);
  const output = join(dir, `out-${process.pid}.wasm`);
  // The generator's input is derived from the seed alone, so the module is reproducible.
  writeFileSync(input, new Rng(seed ^ 0x5eed).bytes(variant.inputSize));
  const args = ['-ttf', input, '-o', output, ...featureFlags(variant), ...variant.passes];
  if (variant.denan) args.push('--denan');
  const r = spawnSync('wasm-opt', args, { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) {
    // binaryen 108's passes sometimes break its own output (e.g. --remove-imports leaves a
    // ref.func to a removed import): fall back to the plain generated module, still seed-determined.
    if (variant.passes.length > 0) return generateTtfModule(seed, { ...variant, passes: [] });
    throw new Error(`wasm-opt -ttf failed for seed ${seed}: ${r.stderr || r.error?.message}`);
  }
  return new Uint8Array(readFileSync(output));
}

/** wasm2wat's text for a fixture (best effort: the fixture is still useful without it). */
export function wasmToWat(bytes: Uint8Array): string | undefined {
  const dir = scratch();
  const file = join(dir, `print-${process.pid}.wasm`);
  writeFileSync(file, bytes);
  const r = spawnSync('wasm2wat', ['--enable-all', '--no-check', file], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout : undefined;
}
