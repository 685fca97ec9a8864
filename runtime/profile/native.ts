// Native mode: the module runs on V8 (Node's own WebAssembly) at full speed. Every import is
// wrapped to count its calls exactly and time its body; guest time comes from V8's sampling
// profiler through node:inspector. The cost of one empty crossing is calibrated at start, so the
// boundary share is reported as calls × that cost rather than distorted by per-call clock reads.
import { functionDisplayName, type Module } from '../wasm/types.js';
import type { CpuProfile } from './cpuprofile.js';
import type { ImportProfile, ProfileResult } from './report.js';
import { focusOnProgram, guestFunctionTimes, sampleCpu, SAMPLING_INTERVAL_US } from './sampler.js';
import { calibrateNative } from './calibrate.js';
import { hostNodeName, profiledHostFunction, type HostFn } from './node-names.js';

export type NativeImports = Record<string, Record<string, unknown>>;

export interface NativeRunOptions {
  module: Module;
  bytes: Uint8Array;
  /** Creates the imports; `getMemory` gives the instance's exported memory once it exists. */
  imports: NativeImports;
  /** Runs the instance (e.g. WASI's `_start`, or an `--invoke` export) and returns the exit code. */
  run(instance: WebAssembly.Instance): number;
  /** Sampling interval in microseconds. */
  samplingIntervalUs?: number;
}

interface ImportCounter {
  module: string;
  name: string;
  calls: number;
  /** Milliseconds measured around the body, clock cost included. */
  measured: number;
}

export function profileNative(options: NativeRunOptions): ProfileResult & { exitCode: number } {
  const calibration = calibrateNative();
  const counters: ImportCounter[] = [];
  const wrapped: NativeImports = {};
  for (const [moduleName, fields] of Object.entries(options.imports)) {
    wrapped[moduleName] = {};
    for (const [name, value] of Object.entries(fields)) {
      if (typeof value === 'function') {
        const counter: ImportCounter = { module: moduleName, name, calls: 0, measured: 0 };
        counters.push(counter);
        wrapped[moduleName]![name] = profiledHostFunction(moduleName, name, value as HostFn, (fn, args) => {
          counter.calls++;
          const t0 = performance.now();
          try {
            return fn(...args);
          } finally {
            counter.measured += performance.now() - t0;
          }
        });
      } else {
        wrapped[moduleName]![name] = value;
      }
    }
  }

  const compiled = new WebAssembly.Module(options.bytes);
  const instance = new WebAssembly.Instance(compiled, wrapped as WebAssembly.Imports);
  const t0 = performance.now();
  let { value: exitCode, profile } = sampleCpu(options.samplingIntervalUs ?? SAMPLING_INTERVAL_US, () => options.run(instance));
  const totalTime = performance.now() - t0;

  renameNodes(profile, options.module);
  profile = focusOnProgram(profile);
  const imports: ImportProfile[] = counters.filter((c) => c.calls > 0).map((c) => ({
    module: c.module,
    name: c.name,
    calls: c.calls,
    hostTime: Math.max(0, c.measured - c.calls * calibration.clockPairMs),
    boundaryTime: c.calls * calibration.crossingMs,
  }));
  return {
    exitCode,
    profile,
    report: {
      mode: 'native',
      totalTime,
      functions: guestFunctionTimes(profile),
      imports,
      // Sampling cannot count calls per edge; the .cpuprofile shows host nodes under their callers.
      edges: [],
      boundaryCostNs: calibration.crossingMs * 1e6,
      exitCode,
    },
  };
}

const V8_WASM_NAME = /^wasm-function\[(\d+)\]$/;

/**
 * Our wrapper nodes become `[host] module.name` (what they call stays beneath them); V8's
 * `wasm-function[N]` nodes take the names tools show everywhere else.
 */
function renameNodes(profile: CpuProfile, module: Module): void {
  for (const node of profile.nodes) {
    const url = node.callFrame.url;
    const wasm = V8_WASM_NAME.exec(node.callFrame.functionName);
    if (wasm && url.startsWith('wasm://')) node.callFrame.functionName = functionDisplayName(module, Number(wasm[1]));
    const host = hostNodeName(url);
    if (host) node.callFrame.functionName = host;
  }
}
