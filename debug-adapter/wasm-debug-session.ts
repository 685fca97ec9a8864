// The Debug Adapter Protocol server. It only translates: requests become calls on the program
// model (program.ts, source-lines.ts, breakpoints.ts) and the Execution controller; Execution's
// stops, output and exit become DAP events. Lines and columns are 0-based inside the adapter and
// converted at this boundary.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  BreakpointEvent, Event, ExitedEvent, InitializedEvent, Logger, LoggingDebugSession, logger, OutputEvent, Source,
  StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { WasmError } from '../runtime/wasm/errors.js';
import { importCounts } from '../runtime/wasm/types.js';
import {
  checkOptions, instructionReference, type AdapterBreakpoint, type BreakpointOptions,
} from './breakpoints.js';
import { disassemble, functionName } from './disassembly.js';
import { createEngineSession, type EngineFactory } from './engine-factory.js';
import { completions, evaluateExpression, formatResult, EvalError } from './evaluator.js';
import { CAPABILITIES } from './capabilities.js';
import { createRun, type Running } from './run.js';
import type { ExceptionFilter, Granularity, StopReport } from './execution.js';
import { LaunchError, type LaunchArguments, type Program } from './program.js';
import type { CodeLocation, SourceDocument } from './source-provider.js';
import { ReferenceTable } from './references.js';
import { memoryReference, readMemoryRange, writeMemoryRange } from './memory-access.js';
import { SessionProfiler, type WrittenProfile } from './profiling.js';

const THREAD_ID = 1;
const CONFIGURATION_DONE_TIMEOUT_MS = 5000;

/** A request failed in a way the user should read (never a crash of the adapter). */
class UserError extends Error {}


interface FrameHandle {
  index: number;
  funcIndex: number;
  offset: number;
  hasLocals: boolean;
}

type StoredSourceBreakpoint = { line: number; column?: number } & BreakpointOptions;

export class WasmDebugSession extends LoggingDebugSession {
  private run: Running | undefined;
  private readonly frames = new ReferenceTable<FrameHandle>(1);
  private configurationDone!: Promise<void>;
  private resolveConfigurationDone!: () => void;
  private exitSent = false;
  /** The profiler of the current run (created on first use). */
  private profiler?: SessionProfiler;
  private profiledRun?: Running;
  private filters: ExceptionFilter[] = ['traps'];
  /** Line breakpoint requests per document id (with the client's Source), replayed by restart. */
  private readonly sourceRequests = new Map<string, { source: DebugProtocol.Source; requests: StoredSourceBreakpoint[] }>();
  private functionRequests: ({ name: string } & BreakpointOptions)[] = [];
  private instructionRequests: ({ instructionReference: string; offset?: number } & BreakpointOptions)[] = [];
  private syncChain: Promise<void> = Promise.resolve();

  constructor(private readonly engineFactory: EngineFactory = createEngineSession) {
    super();
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.resetConfigurationDone();
  }

  private resetConfigurationDone(): void {
    this.configurationDone = new Promise((resolve) => { this.resolveConfigurationDone = resolve; });
  }

  // ---- helpers ------------------------------------------------------------------------------

  private fail(response: DebugProtocol.Response, message: string, code = 1001): void {
    response.success = false;
    response.message = message;
    // `{_msg}` with a variable: the client substitutes it, so braces in the message survive.
    response.body = { error: { id: code, format: '{_msg}', variables: { _msg: message }, showUser: true } };
    this.sendResponse(response);
  }

  /** Runs an async handler; any error becomes an error response and the session goes on. */
  private handle<R extends DebugProtocol.Response>(response: R, body: () => Promise<void>): void {
    body().catch((e: unknown) => {
      const message = e instanceof WasmError ? e.describe() : e instanceof Error ? e.message : String(e);
      this.fail(response, message);
    });
  }

  private requireRun(): Running {
    if (!this.run) throw new UserError('no program is loaded');
    return this.run;
  }

  private requireStopped(): Running {
    const run = this.requireRun();
    if (run.execution.state === 'exited') throw new UserError('the program has terminated');
    if (run.execution.state !== 'stopped') throw new UserError('the program is running; pause it first');
    return run;
  }

  /** A document as a DAP Source: a path, or a sourceReference served by the `source` request. */
  private dapSource(document: SourceDocument): Source {
    if (document.sourceReference !== undefined) {
      return new Source(document.name, undefined, document.sourceReference, 'wasmscope');
    }
    return new Source(document.name, document.path !== undefined ? this.convertDebuggerPathToClient(document.path) : undefined);
  }

  private findDocument(program: Program, source: DebugProtocol.Source): SourceDocument | undefined {
    return program.sources.find({
      path: source.path !== undefined ? this.convertClientPathToDebugger(source.path) : undefined,
      sourceReference: source.sourceReference || undefined,
    });
  }

  /** Location fields (source, line, column, end) of a code location, in client numbering. */
  private where(at: CodeLocation): { source: Source; line: number; column: number; endLine: number; endColumn: number } {
    return { source: this.dapSource(at.document), line: this.convertDebuggerLineToClient(at.line),
      column: this.convertDebuggerColumnToClient(at.column), endLine: this.convertDebuggerLineToClient(at.endLine),
      endColumn: this.convertDebuggerColumnToClient(at.endColumn) };
  }

  private toDapBreakpoint(run: Running, bp: AdapterBreakpoint): DebugProtocol.Breakpoint {
    const out: DebugProtocol.Breakpoint = { id: bp.id, verified: bp.verified };
    if (bp.message) out.message = bp.message;
    if (bp.line !== undefined && bp.document) {
      out.line = this.convertDebuggerLineToClient(bp.line);
      if (bp.column !== undefined) out.column = this.convertDebuggerColumnToClient(bp.column);
      out.source = this.dapSource(bp.document);
    }
    if (bp.offset !== undefined) out.instructionReference = instructionReference(bp.offset);
    return out;
  }

  /** Sends every placed breakpoint to the engine (serialised: the engine replaces all at once). */
  private syncBreakpoints(run: Running): Promise<void> {
    const next = this.syncChain.then(async () => {
      for (const bp of await run.breakpoints.applyTo(run.engine)) {
        this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(run, bp)));
      }
    });
    this.syncChain = next.catch(() => undefined);
    return next;
  }

  /** Reports breakpoints that were moved from where the user put them (`breakpoint` changed events). */
  private announceMoved(run: Running, bps: AdapterBreakpoint[]): void {
    for (const bp of bps) {
      const movedLine = bp.requested.line !== undefined && bp.line !== undefined && bp.line !== bp.requested.line;
      const movedColumn = bp.requested.column !== undefined && bp.column !== undefined && bp.column !== bp.requested.column;
      if (bp.verified && (movedLine || movedColumn)) {
        this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(run, bp)));
      }
    }
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = CAPABILITIES;
    this.sendResponse(response);
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.resolveConfigurationDone();
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): void {
    this.handle(response, async () => {
      const launch = (args ?? {}) as LaunchArguments & DebugProtocol.LaunchRequestArguments;
      logger.setup(launch.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
      try {
        await this.load(launch);
      } catch (e) {
        this.fail(response, e instanceof LaunchError || e instanceof WasmError
          ? (e instanceof WasmError ? e.describe() : e.message) : `launch failed: ${(e as Error).message}`);
        return;
      }
      if (launch.profile) {
        try {
          await this.requireProfiler().start();
        } catch (e) {
          this.sendEvent(new OutputEvent(`wasmscope: profiling could not start: ${(e as Error).message}\n`, 'console'));
        }
      }
      this.sendEvent(new InitializedEvent());
      await Promise.race([this.configurationDone, new Promise((r) => setTimeout(r, CONFIGURATION_DONE_TIMEOUT_MS))]);
      this.sendResponse(response);
      this.run!.execution.start();
    });
  }

  /** Prepares, loads into a fresh engine and wires a run; throws on any launch problem. */
  private async load(launch: LaunchArguments, firstBreakpointId?: number): Promise<void> {
    // Events of a run replaced by a restart must not reach the client as the new run's.
    const current = (r: Running): boolean => this.run === r;
    let run: Running | undefined;
    const created = await createRun(launch, this.engineFactory, {
      stopped: (r) => { if (run && current(run)) this.onStopped(r); },
      output: (text, category) => { if (!run || current(run)) this.sendEvent(new OutputEvent(text, category)); },
      exited: (code) => { if (run && current(run)) this.onExited(code); },
    }, firstBreakpointId);
    run = created.run;
    for (const f of ['traps', 'host'] as const) {
      if (this.filters.includes(f)) run.execution.filters.add(f); else run.execution.filters.delete(f);
    }
    this.exitSent = false;
    if (created.autoEntry) {
      this.sendEvent(new OutputEvent(`wasmscope: no _start export; running "${created.entryName}", the only exported ` +
        'function (set "invoke" in the launch configuration to choose another)\n', 'console'));
    }
    this.run = run;
  }

  private onStopped(r: StopReport): void {
    const event = new StoppedEvent(r.reason, THREAD_ID, r.text) as DebugProtocol.StoppedEvent;
    if (r.description) event.body.description = r.description;
    if (r.hitBreakpointIds) event.body.hitBreakpointIds = r.hitBreakpointIds;
    event.body.allThreadsStopped = true;
    this.sendEvent(event);
  }

  private onExited(code: number): void {
    if (this.exitSent) return;
    this.exitSent = true;
    const end = () => {
      this.sendEvent(new ExitedEvent(code));
      this.sendEvent(new TerminatedEvent());
    };
    // A profile that is still recording covers the whole run: write it before saying goodbye.
    if (this.profiler?.active) void this.finishProfile().finally(end);
    else end();
  }

  private requireProfiler(): SessionProfiler {
    const run = this.requireRun();
    if (!this.profiler || this.profiledRun !== run) {
      this.profiler = new SessionProfiler(run.engine, run.program.path);
      this.profiledRun = run;
    }
    return this.profiler;
  }

  /** Stops the profiler, reports the summary in the Debug Console and tells the client where the profile is. */
  private async finishProfile(): Promise<WrittenProfile | undefined> {
    try {
      const written = await this.requireProfiler().stop();
      this.sendEvent(new OutputEvent(`${written.summary}\nprofile written to ${written.file}\n`, 'console'));
      this.sendEvent(new Event('wasmscope.profile', { file: written.file, report: written.report }));
      return written;
    } catch (e) {
      this.sendEvent(new OutputEvent(`wasmscope: profiling failed: ${(e as Error).message}\n`, 'console'));
      return undefined;
    }
  }

  private resetHandles(): void {
    this.frames.clear();
    this.run?.variables.clear();
    this.run?.cValues?.resumed();
  }

  /** Ends a run's engine and its symbol engine (DWARF), if any. */
  private async endRun(run: Running): Promise<void> {
    await run.execution.terminate();
    await run.dwarf?.dispose().catch(() => undefined);
  }

  protected override restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): void {
    this.handle(response, async () => {
      const previous = this.run;
      const launch = (args?.arguments as LaunchArguments | undefined) ?? previous?.launch;
      if (!launch) throw new UserError('nothing to restart: no launch configuration');
      if (previous) {
        this.exitSent = true; // the old run's exit is not the session's
        await this.endRun(previous).catch(() => undefined);
      }
      this.resetHandles();
      await this.load(launch, previous?.breakpoints.nextFreeId);
      const run = this.run!;
      // The client keeps its breakpoint ids across a restart; the file may have changed, so
      // place them again and tell it where they are now.
      const old = previous?.breakpoints;
      const placed: AdapterBreakpoint[] = [];
      for (const [id, stored] of this.sourceRequests) {
        const document = this.findDocument(run.program, stored.source);
        if (document) {
          placed.push(...await run.breakpoints.reuseIds(old?.idsOf('source', id) ?? []).setSourceBreakpoints(document, stored.requests));
        }
      }
      placed.push(...await run.breakpoints.reuseIds(old?.idsOf('function') ?? []).setFunctionBreakpoints(this.functionRequests));
      placed.push(...await run.breakpoints.reuseIds(old?.idsOf('instruction') ?? []).setInstructionBreakpoints(this.instructionRequests));
      await this.syncBreakpoints(run);
      for (const bp of placed) this.sendEvent(new BreakpointEvent('changed', this.toDapBreakpoint(run, bp)));
      this.sendResponse(response);
      run.execution.start();
    });
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.handle(response, async () => {
      const run = this.requireRun();
      await this.endRun(run);
      this.sendResponse(response);
      // Terminated by request: there is no exit code to report, only the end of the session.
      if (!this.exitSent) {
        this.exitSent = true;
        this.sendEvent(new TerminatedEvent());
      }
    });
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.handle(response, async () => {
      if (this.run) await this.endRun(this.run).catch(() => undefined);
      this.sendResponse(response);
      // Stdio adapter: the process ends with the session (the library exits after a short delay).
      this.shutdown();
    });
  }

  // ---- breakpoints --------------------------------------------------------------------------

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments): void {
    this.handle(response, async () => {
      const run = this.requireRun();
      const requests: StoredSourceBreakpoint[] = await Promise.all((args.breakpoints ?? []).map((b) => checkOptions({
        line: this.convertClientLineToDebugger(b.line),
        ...(b.column !== undefined ? { column: this.convertClientColumnToDebugger(b.column) } : {}),
        condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage,
      })));
      const document = this.findDocument(run.program, args.source);
      if (!document) {
        const rejected = run.breakpoints.rejectSourceBreakpoints(requests,
          `${args.source.name ?? args.source.path ?? 'this file'} is not part of the program being debugged`);
        response.body = { breakpoints: rejected.map((bp) => this.toDapBreakpoint(run, bp)) };
        this.sendResponse(response);
        return;
      }
      this.sourceRequests.set(document.id, { source: args.source, requests });
      const placed = await run.breakpoints.setSourceBreakpoints(document, requests);
      await this.syncBreakpoints(run);
      response.body = { breakpoints: placed.map((bp) => this.toDapBreakpoint(run, bp)) };
      this.sendResponse(response);
      this.announceMoved(run, placed);
    });
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse,
    args: DebugProtocol.BreakpointLocationsArguments): void {
    this.handle(response, async () => {
      const run = this.requireRun();
      const document = this.findDocument(run.program, args.source);
      if (!document) {
        response.body = { breakpoints: [] };
        this.sendResponse(response);
        return;
      }
      const first = this.convertClientLineToDebugger(args.line);
      const last = args.endLine !== undefined ? this.convertClientLineToDebugger(args.endLine) : first;
      const breakpoints: DebugProtocol.BreakpointLocation[] = [];
      for (const p of await run.program.sources.positions(document, first, last)) {
        breakpoints.push({ line: this.convertDebuggerLineToClient(p.line), column: this.convertDebuggerColumnToClient(p.column) });
      }
      response.body = { breakpoints };
      this.sendResponse(response);
    });
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse,
    args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    this.handle(response, async () => {
      const run = this.requireRun();
      this.functionRequests = await Promise.all(args.breakpoints.map((b) =>
        checkOptions({ name: b.name, condition: b.condition, hitCondition: b.hitCondition })));
      const placed = await run.breakpoints.setFunctionBreakpoints(this.functionRequests);
      await this.syncBreakpoints(run);
      response.body = { breakpoints: placed.map((bp) => this.toDapBreakpoint(run, bp)) };
      this.sendResponse(response);
    });
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse,
    args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    this.handle(response, async () => {
      const run = this.requireRun();
      this.instructionRequests = await Promise.all(args.breakpoints.map((b) => checkOptions({
        instructionReference: b.instructionReference, offset: b.offset, condition: b.condition, hitCondition: b.hitCondition })));
      const placed = await run.breakpoints.setInstructionBreakpoints(this.instructionRequests);
      await this.syncBreakpoints(run);
      response.body = { breakpoints: placed.map((bp) => this.toDapBreakpoint(run, bp)) };
      this.sendResponse(response);
    });
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const known: ExceptionFilter[] = ['traps', 'host'];
    this.filters = args.filters.filter((f): f is ExceptionFilter => (known as string[]).includes(f));
    if (this.run) {
      for (const f of known) {
        if (this.filters.includes(f)) this.run.execution.filters.add(f); else this.run.execution.filters.delete(f);
      }
    }
    response.body = { breakpoints: args.filters.map((f) => ({ verified: (known as string[]).includes(f),
      ...((known as string[]).includes(f) ? {} : { message: `unknown exception filter "${f}"` }) })) };
    this.sendResponse(response);
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      const trap = run.execution.trap;
      if (!trap) throw new UserError('the program is not stopped at a trap');
      response.body = {
        exceptionId: trap.kind === 'host' ? 'host-error' : trap.kind,
        description: trap.message,
        breakMode: 'always',
        details: { message: trap.message,
          stackTrace: trap.backtrace.map((f) => `at ${f.funcName} (0x${f.offset.toString(16)})`).join('\n') },
      };
      this.sendResponse(response);
    });
  }

  // ---- execution ----------------------------------------------------------------------------

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'main')] };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      this.resetHandles();
      response.body = { allThreadsContinued: true };
      this.sendResponse(response);
      run.execution.continue();
    });
  }

  private stepRequest(response: DebugProtocol.Response, kind: 'in' | 'over' | 'out', granularity?: string): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      this.resetHandles();
      this.sendResponse(response);
      const g: Granularity = granularity === 'instruction' ? 'instruction' : 'line';
      run.execution.step(kind, g);
    });
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.stepRequest(response, 'over', args.granularity);
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.stepRequest(response, 'in', args.granularity);
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.stepRequest(response, 'out', args.granularity);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.handle(response, async () => {
      const run = this.requireRun();
      if (run.execution.state === 'exited') throw new UserError('the program has terminated');
      await run.execution.pause();
      this.sendResponse(response);
    });
  }

  // ---- inspection ---------------------------------------------------------------------------

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      const frames = await run.engine.stackTrace();
      const imported = importCounts(run.program.module).funcs;
      const start = args.startFrame ?? 0;
      const end = args.levels ? start + args.levels : Infinity;
      // One engine frame may be several source frames (functions inlined into it, from DWARF);
      // expansion stops once the requested window is full.
      const all: DebugProtocol.StackFrame[] = [];
      let processed = 0;
      for (let index = 0; index < frames.length && all.length < end; index++, processed++) {
        const f = frames[index]!;
        const host = f.funcIndex < imported;
        const name = host ? `${functionName(run.program.module, f.funcIndex)} (host)`
          : run.program.module.names.funcs.has(f.funcIndex) || !f.funcName ? functionName(run.program.module, f.funcIndex) : f.funcName;
        const handle = { index, funcIndex: f.funcIndex, offset: f.offset, hasLocals: !host && f.locals !== undefined };
        const physical: DebugProtocol.StackFrame = { id: 0, name, line: 0, column: 0, moduleId: 1,
          ...(host ? {} : { instructionPointerReference: instructionReference(f.offset) }) };
        const inlined = !host && run.dwarf && run.cValues?.appliesTo(f.offset)
          ? await run.dwarf.framesAt(f.offset).catch(() => []) : [];
        for (const inl of inlined.slice(0, -1)) {
          all.push({ ...physical, id: this.frames.create(handle), name: `${inl.name} [inlined]`,
            ...await this.sourceLocation(run, inl.location) });
        }
        // With inlining, the function's own position is the call site of the outermost inlined code.
        const outer = inlined.length > 1 ? inlined[inlined.length - 1]!.location : undefined;
        const at = outer ? await this.sourceLocation(run, outer) : host ? {} : await this.codeLocation(run, f.offset);
        all.push({ ...physical, id: this.frames.create(handle), ...at, ...(Object.keys(at).length ? {} : { presentationHint: 'subtle' }) });
      }
      const stackFrames = all.slice(start, end);
      // Engine frames not expanded yet count once each: an estimate, which the protocol allows.
      const totalFrames = all.length + frames.length - processed;
      response.body = { stackFrames, totalFrames };
      this.sendResponse(response);
    });
  }

  private async codeLocation(run: Running, offset: number): Promise<Partial<DebugProtocol.StackFrame>> {
    const at = await run.program.sources.locate(offset);
    return at ? this.where(at) : {};
  }

  /** A DWARF source position (0-based) as stack-frame fields, when its file is a program document. */
  private async sourceLocation(run: Running, loc: { file: string; line: number; column: number } | undefined):
    Promise<Partial<DebugProtocol.StackFrame>> {
    const document = loc ? run.program.sources.find({ path: loc.file }) : undefined;
    if (!loc || !document) return {};
    return { source: this.dapSource(document), line: this.convertDebuggerLineToClient(loc.line),
      column: this.convertDebuggerColumnToClient(loc.column) };
  }

  private frameOf(frameId: number | undefined): FrameHandle {
    if (frameId === undefined) {
      const stop = this.run?.execution.lastStop;
      return { index: 0, funcIndex: stop?.funcIndex ?? -1, offset: stop?.offset ?? 0, hasLocals: true };
    }
    const frame = this.frames.get(frameId);
    if (!frame) throw new UserError(`unknown or stale frame id ${frameId}`);
    return frame;
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      const frame = this.frameOf(args.frameId);
      // After a trap the engine serves only the backtrace: no values to show (see the report).
      // C code: its variables first, the Wasm view of the same frame after them.
      const c = run.cValues?.appliesTo(frame.offset) && !run.execution.trap ? run.cValues.scopes(frame.index) : [];
      const wasm = run.execution.trap ? []
        : run.variables.scopes(frame.index, frame.funcIndex, frame.offset, frame.hasLocals, c.length > 0);
      response.body = { scopes: [...c, ...wasm] };
      this.sendResponse(response);
    });
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      if (run.cValues?.owns(args.variablesReference)) {
        response.body = { variables: await run.cValues.variables(args.variablesReference, args.start ?? 0, args.count || undefined) };
        this.sendResponse(response);
        return;
      }
      const container = run.variables.refs.get(args.variablesReference);
      if (!container) throw new UserError(`unknown or stale variables reference ${args.variablesReference}`);
      response.body = { variables: await run.variables.variables(container, args.start ?? 0, args.count || undefined) };
      this.sendResponse(response);
    });
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      if (run.cValues?.owns(args.variablesReference)) throw new UserError('C/C++ variables cannot be changed yet; change the Wasm local or memory');
      const container = run.variables.refs.get(args.variablesReference);
      if (!container) throw new UserError(`unknown or stale variables reference ${args.variablesReference}`);
      const value = await run.variables.set(container, args.name, args.value);
      const variable = run.variables.valueVariable(args.name, value);
      response.body = { value: variable.value, type: variable.type, variablesReference: variable.variablesReference };
      this.sendResponse(response);
    });
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      const frame = this.frameOf(args.frameId);
      let cError: string | undefined;
      if (run.cValues?.appliesTo(frame.offset)) {
        // In C code an expression is C first; the Wasm expression language is the fallback.
        try {
          response.body = await run.cValues.evaluate(frame.index, args.expression);
          this.sendResponse(response);
          return;
        } catch (e) {
          cError = (e as Error).message;
        }
      }
      try {
        const result = await evaluateExpression(args.expression, run.stop.evalContext(frame.index, frame.funcIndex));
        if (result.kind === 'opaque') {
          const v = run.variables.valueVariable(args.expression, result.value);
          response.body = { result: v.value, type: v.type, variablesReference: v.variablesReference };
        } else {
          response.body = { result: formatResult(result), variablesReference: 0,
            ...(result.kind === 'int' ? { type: result.type ?? 'integer' } : result.kind === 'float' ? { type: result.type } : {}),
            ...(result.kind === 'bytes' ? { type: `${result.bytes.length} bytes at 0x${result.address.toString(16)}`,
              memoryReference: memoryReference(0, result.address) } : {}) };
        }
      } catch (e) {
        if (e instanceof EvalError) throw new UserError(cError ? `${cError} (as a Wasm expression: ${e.message})` : e.message);
        throw new UserError(`cannot evaluate "${args.expression}": ${(e as Error).message}`);
      }
      this.sendResponse(response);
    });
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      const frame = this.frameOf(args.frameId);
      const cursor = this.convertClientColumnToDebugger(args.column);
      const names = [
        ...(frame.hasLocals ? (await run.stop.locals(frame.index, frame.funcIndex)).map((l) => l.name) : []),
        ...(await run.stop.globals()).map((g) => g.name),
      ];
      const { start, targets } = completions(args.text, cursor, names);
      response.body = { targets: targets.map((t) => ({ ...t, start: this.convertDebuggerColumnToClient(start), length: cursor - start })) };
      this.sendResponse(response);
    });
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      response.body = await readMemoryRange(run.engine, run.program.module, args.memoryReference, args.offset ?? 0, args.count);
      this.sendResponse(response);
    });
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    this.handle(response, async () => {
      const run = this.requireStopped();
      const address = args.offset ?? 0;
      const written = await writeMemoryRange(run.engine, run.program.module, args.memoryReference, address, args.data);
      run.stop.invalidate();
      response.body = { bytesWritten: written };
      this.sendResponse(response);
      this.sendEvent({ seq: 0, type: 'event', event: 'memory',
        body: { memoryReference: args.memoryReference, offset: address, count: written } } as DebugProtocol.MemoryEvent);
    });
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    this.handle(response, async () => {
      const run = this.requireRun();
      const instructions = await disassemble(run.program, args, async (offset) => {
        const at = await run.program.sources.locate(offset);
        if (!at) return {};
        const { source, line, column } = this.where(at);
        return { location: source, line, column };
      });
      response.body = { instructions };
      this.sendResponse(response);
    });
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    this.handle(response, async () => {
      const run = this.requireRun();
      const ref = args.source?.sourceReference || args.sourceReference;
      const document = this.findDocument(run.program, { ...(args.source ?? {}), sourceReference: ref });
      if (!document) throw new UserError(`unknown source ${args.source?.path ?? `reference ${ref}`}`);
      const content = document.text ?? (document.path !== undefined ? await readFile(document.path, 'utf8') : undefined);
      if (content === undefined) throw new UserError(`no text for ${document.name}`);
      response.body = { content, ...(document.path === undefined || document.path.endsWith('.wat') ? { mimeType: 'text/x-wat' } : {}) };
      this.sendResponse(response);
    });
  }

  protected override loadedSourcesRequest(response: DebugProtocol.LoadedSourcesResponse): void {
    response.body = { sources: this.run ? this.run.program.sources.documents().map((d) => this.dapSource(d)) : [] };
    this.sendResponse(response);
  }

  // The library routes requests it has no handler for (such as `modules`) here.
  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown,
    request?: DebugProtocol.Request): void {
    if (command === 'modules') this.modulesRequest(response as DebugProtocol.ModulesResponse);
    else if (command === 'wasmscope.startProfile') this.handle(response, async () => {
      await this.requireProfiler().start();
      this.sendResponse(response);
    });
    else if (command === 'wasmscope.stopProfile') this.handle(response, async () => {
      const profiler = this.requireProfiler();
      if (!profiler.active) throw new UserError('the profiler is not running');
      const written = await this.finishProfile();
      if (!written) throw new UserError('profiling failed (see the Debug Console)');
      response.body = { file: written.file, report: written.report };
      this.sendResponse(response);
    });
    else super.customRequest(command, response, args, request);
  }

  private modulesRequest(response: DebugProtocol.ModulesResponse): void {
    const run = this.run;
    const modules: DebugProtocol.Module[] = run ? [{
      id: 1, name: basename(run.program.path), path: run.program.path,
      symbolStatus: run.dwarf ? 'DWARF loaded' : run.program.module.names.funcs.size > 0 ? 'Names loaded' : 'No names',
      addressRange: `0x0-0x${run.program.bytes.length.toString(16)}`,
    }] : [];
    response.body = { modules, totalModules: modules.length };
    this.sendResponse(response);
  }
}
