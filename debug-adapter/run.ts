// One run of a program: a prepared launch loaded into a fresh engine, with everything the session
// needs around it (breakpoints, stop state, variables, execution control, DWARF when present). A
// restart makes a new Running; the session forwards only the current one's events.
import type { EngineSessionApi } from '../runtime/engine/debug-api.js';
import { BreakpointRegistry } from './breakpoints.js';
import { DwarfDapValues, type DwarfInfo } from './dwarf/index.js';
import type { EngineFactory } from './engine-factory.js';
import { Execution, type ExecutionSink, type StepPlanner } from './execution.js';
import { StopState } from './frame-context.js';
import { prepareLaunch, type LaunchArguments, type Program } from './program.js';
import { VariableStore } from './variables.js';

export interface Running {
  engine: EngineSessionApi;
  program: Program;
  breakpoints: BreakpointRegistry;
  execution: Execution;
  stop: StopState;
  variables: VariableStore;
  launch: LaunchArguments;
  /** C/C++/Rust values at frames whose code has DWARF lines (see debug-adapter/dwarf/). */
  cValues?: DwarfDapValues;
  dwarf?: DwarfInfo;
}

/**
 * Prepares the launch (throws LaunchError), loads the module into a new engine (throws its load
 * error, leaving nothing running) and wires the run. `firstBreakpointId` continues a previous
 * run's breakpoint numbering.
 */
export async function createRun(launch: LaunchArguments, engineFactory: EngineFactory, sink: ExecutionSink,
  firstBreakpointId?: number): Promise<{ run: Running; autoEntry: boolean; entryName: string | undefined }> {
  const plan = await prepareLaunch(launch, (message) => sink.output(`${message}\n`, 'console'), { deferValidation: true });
  const engine = engineFactory();
  // The engine's worker decodes and compiles the module while this thread validates it (~50 ms of
  // a 1 MB module's launch). The adapter's validation errors (all of them, located) win over the
  // engine's load error, so an invalid module fails the launch exactly as before.
  const loading = engine.load(plan.program.bytes, plan.imports, plan.options)
    .then(() => undefined, (e: unknown) => ({ error: e }));
  let failure: { error: unknown } | undefined;
  try {
    plan.validate?.();
  } catch (e) {
    failure = { error: e };
  }
  const loadFailure = await loading;
  failure ??= loadFailure;
  if (failure) {
    await engine.terminate().catch(() => undefined);
    await plan.dwarf?.dispose().catch(() => undefined);
    throw failure.error;
  }
  const program = plan.program;
  const breakpoints = new BreakpointRegistry(program.module, program.sources, firstBreakpointId);
  const stop = new StopState(engine, program.module);
  const dwarf = plan.dwarf;
  // With DWARF, line steps follow the C lines (inlined code, libc without source stepped out of).
  const planner: StepPlanner | undefined = dwarf
    ? (kind, origin) => dwarf.planStep(kind, origin, { hasSource: (file) => program.sources.find({ path: file }) !== undefined })
    : undefined;
  const execution = new Execution(engine, program, breakpoints, stop, sink, planner);
  const run: Running = {
    engine, program, breakpoints, execution, stop, variables: new VariableStore(engine, program.module, stop), launch,
    ...(dwarf ? { dwarf, cValues: new DwarfDapValues(dwarf, engine) } : {}),
  };
  return { run, autoEntry: plan.autoEntry, entryName: plan.entryName };
}
