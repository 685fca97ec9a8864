// Profiling a program that is already running on the engine, started and stopped at any moment:
// what the debug session's `profile` launch option and its start/stop requests use. The engine's
// host-call hooks feed `hostCall`/`hostReturn`; guest time is sampled by V8 over the engine's
// generated code (whose `wasm-function-N@…` URLs name the Wasm function) on the engine's thread.
import type { Module } from '../wasm/types.js';
import { calibrateClockPair } from './calibrate.js';
import type { CpuProfile } from './cpuprofile.js';
import { nameProgramNodes } from './node-names.js';
import type { ImportProfile, ProfileResult } from './report.js';
import { focusOnProgram, guestFunctionTimes, SAMPLING_INTERVAL_US, startSampling } from './sampler.js';

export class LiveProfiler {
  private readonly imports: { module: string; name: string }[];
  private readonly calls: Float64Array;
  private readonly measured: Float64Array;
  private readonly starts: number[] = [];
  private sampling?: { stop(): CpuProfile };
  private startedAt = 0;
  private clockPairMs = 0;

  constructor(private readonly module: Module, private readonly boundaryCostMs = 0) {
    this.imports = module.imports.filter((i) => i.desc.kind === 'func').map((i) => ({ module: i.module, name: i.name }));
    this.calls = new Float64Array(this.imports.length);
    this.measured = new Float64Array(this.imports.length);
  }

  get active(): boolean {
    return this.sampling !== undefined;
  }

  start(): void {
    if (this.sampling) throw new Error('the profiler is already running');
    this.clockPairMs = calibrateClockPair(20_000);
    this.calls.fill(0);
    this.measured.fill(0);
    this.starts.length = 0;
    this.startedAt = performance.now();
    this.sampling = startSampling(SAMPLING_INTERVAL_US);
  }

  hostCall(importIndex: number): void {
    if (!this.sampling) return;
    this.calls[importIndex]!++;
    this.starts.push(performance.now());
  }

  hostReturn(importIndex: number): void {
    const t0 = this.starts.pop();
    if (t0 !== undefined) this.measured[importIndex]! += performance.now() - t0;
  }

  stop(): ProfileResult {
    if (!this.sampling) throw new Error('the profiler is not running');
    let profile = this.sampling.stop();
    this.sampling = undefined;
    const totalTime = performance.now() - this.startedAt;
    nameProgramNodes(profile, this.module);
    profile = focusOnProgram(profile);
    const imports: ImportProfile[] = [];
    this.imports.forEach((imp, i) => {
      const calls = this.calls[i]!;
      if (calls === 0) return;
      imports.push({
        module: imp.module, name: imp.name, calls,
        hostTime: Math.max(0, this.measured[i]! - calls * this.clockPairMs),
        boundaryTime: calls * this.boundaryCostMs,
      });
    });
    return {
      profile,
      report: {
        mode: 'interp', totalTime, functions: guestFunctionTimes(profile), imports, edges: [],
        boundaryCostNs: this.boundaryCostMs * 1e6,
      },
    };
  }
}
