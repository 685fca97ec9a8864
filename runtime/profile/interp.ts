// Interpreter mode: the program runs on wasmscope's own engine. Host crossings are counted exactly
// through the engine's host-call hooks (which also time each host body, minus the calibrated cost
// of the clock reads); guest time is sampled by V8's profiler over the engine's generated code,
// whose functions carry `wasm-function-N@…` source URLs, so no clock is read per Wasm instruction
// or per Wasm call. Call counts, executed-instruction counts and guest → import edges are exact:
// the engine's counting tier (InstanceOptions.counters) counts some basic blocks and derives the
// rest, calls included (runtime/engine/count-flow.ts).
import { instantiate, invoke, ProfileCounters, WasmFunction, type Instance } from '../engine/index.js';
import { nameHostFunctions, nameProgramNodes } from './node-names.js';
import type { LoadedProgram } from '../loader.js';
import { bindWasiMemory, callEntry, createProgramImports, type ProgramOptions, type ProgramOutcome } from '../program.js';
import { WasiExit } from '../wasi/index.js';
import { functionDisplayName, type Module } from '../wasm/types.js';
import { bestOf, calibrateClockPair, crossingModuleBytes } from './calibrate.js';
import type { CpuProfile } from './cpuprofile.js';
import type { CallEdge, FunctionProfile, ImportProfile, ProfileResult } from './report.js';
import { focusOnProgram, guestFunctionTimes, sampleCpu, SAMPLING_INTERVAL_US } from './sampler.js';
import { decodeModule } from '../binary/decode.js';


/** Milliseconds one empty guest→host→guest crossing costs on this engine. */
export function calibrateEngineCrossing(iterations = 200_000): number {
  // The crossing is measured as the profiled program pays it: through a named host wrapper and the
  // engine's host-call hooks (counting only; clock reads are calibrated separately).
  let count = 0;
  const hostHooks = { onHostCall: () => { count++; }, onHostReturn: () => {} };
  const imports = nameHostFunctions({ h: { f: () => {} } });
  const instance = instantiate(decodeModule(crossingModuleBytes()), imports, { hostHooks });
  const run = (name: string, n: number) => invoke(instance.exports.get(name) as WasmFunction, [n]);
  run('with_call', 1000);
  run('without_call', 1000);
  const withCall = bestOf(3, () => run('with_call', iterations));
  const without = bestOf(3, () => run('without_call', iterations));
  if (count === 0) throw new Error('calibration: the host-call hooks did not run');
  return Math.max(0, withCall - without) / iterations;
}

function importNames(module: Module): { module: string; name: string }[] {
  return module.imports.filter((i) => i.desc.kind === 'func').map((i) => ({ module: i.module, name: i.name }));
}

export function profileInterpreted(program: LoadedProgram, options: ProgramOptions, onOutcome: (o: ProgramOutcome) => void): ProfileResult & { exitCode: number } {
  const imports = importNames(program.module);
  const calls = new Float64Array(imports.length);
  const measured = new Float64Array(imports.length);
  const starts: number[] = [];
  const hostHooks = {
    onHostCall(importIndex: number): void {
      calls[importIndex]!++;
      starts.push(performance.now());
    },
    onHostReturn(importIndex: number): void {
      measured[importIndex]! += performance.now() - starts.pop()!;
    },
  };
  const { imports: plainImports, wasi } = createProgramImports(program, options);
  const importObject = nameHostFunctions(plainImports);
  const counters = new ProfileCounters();
  const t0 = performance.now();
  let profile: CpuProfile;
  let exitCode = 0;
  // Exact counts after an exception (a trap, proc_exit) need every unwound Wasm frame in its stack.
  const savedTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    ({ value: exitCode, profile } = sampleCpu(SAMPLING_INTERVAL_US, () => {
      let instance: Instance;
      try {
        instance = instantiate(program.module, importObject, { ...options.instanceOptions, hostHooks, counters });
      } catch (e) {
        if (e instanceof WasiExit) return e.code;
        throw e;
      }
      if (wasi) bindWasiMemory(wasi, instance);
      const outcome = callEntry(instance, options);
      onOutcome(outcome);
      return outcome.exitCode;
    }));
  } finally {
    Error.stackTraceLimit = savedTraceLimit;
    wasi?.close();
  }
  const totalTime = performance.now() - t0;
  // Calibrated after the run, not before: the calibration leaves millions of short-lived objects
  // (the host-call hooks' argument arrays), and starting V8's sampler walks the whole heap, garbage
  // included: calibrating first made that start ~10 ms slower (measured: 23 vs 10 ms).
  const clockPairMs = calibrateClockPair();
  const crossingMs = calibrateEngineCrossing();
  nameProgramNodes(profile, program.module);
  profile = focusOnProgram(profile);
  const importProfiles: ImportProfile[] = [];
  imports.forEach((imp, i) => {
    if (calls[i]! === 0) return;
    importProfiles.push({
      module: imp.module, name: imp.name, calls: calls[i]!,
      hostTime: Math.max(0, measured[i]! - calls[i]! * clockPairMs),
      boundaryTime: calls[i]! * crossingMs,
    });
  });
  return {
    exitCode,
    profile,
    report: {
      mode: 'interp', totalTime, functions: withCounts(guestFunctionTimes(profile), counters, program.module),
      imports: importProfiles, edges: importEdges(counters, program.module, imports),
      boundaryCostNs: crossingMs * 1e6, exitCode,
    },
  };
}

/**
 * Sampled times joined with exact counts: every defined function that ran, in function-index order
 * (a function too short-lived to be sampled still appears, with zero times).
 */
function withCounts(sampled: FunctionProfile[], counters: ProfileCounters, module: Module): FunctionProfile[] {
  const byName = new Map(sampled.map((f) => [f.name, f]));
  const out: FunctionProfile[] = [];
  // One read of the counters (deriving counts solves the module's flow equations once).
  for (const { funcIndex, calls, instructions } of counters.functionCounts()) {
    const name = functionDisplayName(module, funcIndex);
    const times = byName.get(name);
    byName.delete(name);
    out.push({ name, funcIndex, calls, selfTime: times?.selfTime ?? 0, totalTime: times?.totalTime ?? 0, instructions });
  }
  // Sampled guest code without a count (another instance's functions, if the program links any).
  return out.concat([...byName.values()]);
}

function importEdges(counters: ProfileCounters, module: Module, imports: { module: string; name: string }[]): CallEdge[] {
  return counters.importEdges().map((e) => ({
    caller: functionDisplayName(module, e.caller),
    callee: e.importIndex >= 0 ? `${imports[e.importIndex]!.module}.${imports[e.importIndex]!.name}` : `[host] ${e.hostName}`,
    calls: e.calls,
  }));
}
