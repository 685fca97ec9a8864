// Calibration of what measuring costs, done once per profile run on this machine: one pair of
// clock reads (subtracted from every timed host call) and one empty guest→host→guest crossing
// (multiplied by the exact crossing count). Reading a clock costs far more than a crossing, which
// is why crossings are counted and calibrated instead of timed one by one.
import { assembleText } from '../text/index.js';

const CROSSING_WAT = `(module
  (import "h" "f" (func $f))
  (func (export "with_call") (param $n i32)
    (loop $l (call $f) (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n))))
  (func (export "without_call") (param $n i32)
    (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $l (local.get $n)))))`;

export interface Calibration {
  /** Milliseconds one `now(); …; now()` pair adds to a timed call. */
  clockPairMs: number;
  /** Milliseconds one empty crossing costs beyond the loop it sits in. */
  crossingMs: number;
}

let cachedBytes: Uint8Array | undefined;
export function crossingModuleBytes(): Uint8Array {
  if (!cachedBytes) {
    const out = assembleText(CROSSING_WAT);
    if (!out.bytes) throw new Error(`calibration module does not assemble: ${out.diagnostics[0]?.message}`);
    cachedBytes = out.bytes;
  }
  return cachedBytes;
}

/** The fastest of a few timed runs (the least disturbed by other work on a shared machine). */
export function bestOf(runs: number, f: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export function calibrateClockPair(iterations = 200_000): number {
  let sink = 0;
  const now = () => performance.now();
  const timed = bestOf(5, () => {
    for (let i = 0; i < iterations; i++) {
      const t0 = now();
      sink += now() - t0;
    }
  });
  if (sink < 0) throw new Error('clock went backwards');
  return timed / iterations;
}

/** Per-crossing cost given a runner that executes `with_call` / `without_call` with n. */
export function calibrateCrossing(run: (exportName: 'with_call' | 'without_call', n: number) => void, iterations = 1_000_000): number {
  run('with_call', 1000);
  run('without_call', 1000);
  // Interleaved, so a change in the machine's load between the two series cannot bias them; the
  // crossing is a few nanoseconds, less than that drift.
  let withCall = Infinity, without = Infinity;
  for (let i = 0; i < 7; i++) {
    withCall = Math.min(withCall, bestOf(1, () => run('with_call', iterations)));
    without = Math.min(without, bestOf(1, () => run('without_call', iterations)));
  }
  return Math.max(0, withCall - without) / iterations;
}

export function calibrateNative(): Calibration {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(crossingModuleBytes()), { h: { f: () => {} } });
  const exports = instance.exports as Record<'with_call' | 'without_call', (n: number) => void>;
  return { clockPairMs: calibrateClockPair(), crossingMs: calibrateCrossing((name, n) => exports[name](n)) };
}
