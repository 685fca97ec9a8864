// Drives the engine from resume to stop and decides what a stop means for the user: a breakpoint
// whose condition is false or whose hit count is not reached is not a stop; a logpoint prints
// and goes on; a line step is many instruction steps until the line changes; a trap is a stop
// only while its exception filter is on. Events flow one way: engine → Execution → sink (the DAP
// session), which only translates them to protocol messages.
import type { EngineSessionApi, StepKind, StoppedEvent, TrapInfo } from '../runtime/engine/debug-api.js';
import { parseLogMessage, hitRuleMatches, type BreakpointRegistry } from './breakpoints.js';
import { evaluateExpression, formatResult, isTruthy } from './evaluator.js';
import type { StopState } from './frame-context.js';
import type { Program } from './program.js';

export type Granularity = 'instruction' | 'line';

export interface StopReport {
  /** DAP stopped reasons: entry, breakpoint, function breakpoint, instruction breakpoint, step, pause, exception. */
  reason: string;
  description?: string;
  text?: string;
  hitBreakpointIds?: number[];
  funcIndex: number;
  offset: number;
}

export interface ExecutionSink {
  stopped(report: StopReport): void;
  output(text: string, category: 'stdout' | 'stderr' | 'console'): void;
  exited(code: number): void;
}

export type ExceptionFilter = 'traps' | 'host';

/** Where a step is, in the terms a line-step plan decides on. */
export interface StepPosition {
  funcIndex: number;
  offset: number;
  /** Frames on the stack. */
  depth: number;
}

/**
 * A line step as instruction steps: issue `first`, then after each step stop ask `next(here)`
 * for the next instruction step, or undefined to end the step there.
 */
export interface StepPlan {
  first: StepKind;
  next(here: StepPosition): Promise<StepKind | undefined>;
}

export type StepPlanner = (kind: StepKind, origin: StepPosition) => Promise<StepPlan>;

/**
 * Bounds of one line step (many instruction steps): a loop written on one line would otherwise
 * step forever. Past either bound the step ends where it is (a pause request ends it at once).
 */
export const MAX_LINE_STEPS = 100000;
export const MAX_LINE_STEP_MS = 2000;

type EngineEvent = { type: 'stopped'; stop: StoppedEvent } | { type: 'exited'; code: number };

type Action =
  | { kind: 'run' }
  | { kind: 'continue' }
  | { kind: 'step'; step: StepKind; granularity: Granularity };

export type ExecutionState = 'loaded' | 'running' | 'stopped' | 'exited';

export class Execution {
  state: ExecutionState = 'loaded';
  readonly filters = new Set<ExceptionFilter>(['traps']);
  /** The trap the program is stopped at, if any. */
  trap: TrapInfo | undefined;
  lastStop: StopReport | undefined;
  private lastTrapEvent: TrapInfo | undefined;
  private pauseRequested = false;
  private waiter: ((e: EngineEvent) => void) | undefined;
  private readonly queued: EngineEvent[] = [];

  /** How line steps are made: by the documents' lines, unless a symbol engine knows better (DWARF). */
  private readonly planLineStep: StepPlanner;

  constructor(
    private readonly engine: EngineSessionApi,
    private readonly program: Program,
    private readonly breakpoints: BreakpointRegistry,
    private readonly stopState: StopState,
    private readonly sink: ExecutionSink,
    planner?: StepPlanner,
  ) {
    this.planLineStep = planner ?? ((kind, origin) => this.planByDocumentLines(kind, origin));
    engine.on('stopped', (stop) => this.deliver({ type: 'stopped', stop }));
    engine.on('exited', (code) => this.deliver({ type: 'exited', code }));
    engine.on('output', (text, category) => sink.output(text, category));
    engine.on('trap', (t) => { this.lastTrapEvent = t; });
  }

  private deliver(e: EngineEvent): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w(e); else this.queued.push(e);
  }

  private nextEvent(): Promise<EngineEvent> {
    const q = this.queued.shift();
    if (q) return Promise.resolve(q);
    return new Promise((resolve) => { this.waiter = resolve; });
  }

  /** Starts the entry point. Resolves once the program is running (not when it stops). */
  start(): void {
    this.launchLoop({ kind: 'run' });
  }

  continue(): void {
    this.launchLoop({ kind: 'continue' });
  }

  step(step: StepKind, granularity: Granularity): void {
    this.launchLoop({ kind: 'step', step, granularity });
  }

  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.pauseRequested = true;
    await this.engine.pause();
  }

  async terminate(): Promise<void> {
    if (this.state === 'exited') return;
    this.state = 'exited';
    await this.engine.terminate();
  }

  private launchLoop(action: Action): void {
    this.stopState.clear();
    if (this.trap) {
      // A trapped program cannot go on: resuming ends it, as running it outside the debugger would.
      const trap = this.trap;
      this.trap = undefined;
      this.endAfterTrap(trap).catch((e: unknown) => this.fatal(e));
      return;
    }
    this.state = 'running';
    this.runLoop(action).catch((e: unknown) => this.fatal(e));
  }

  /** The engine failed under us (e.g. its worker died): say so and end the session cleanly. */
  private fatal(e: unknown): void {
    // After a terminate request the engine's pending requests fail by design: not an error.
    if (this.state === 'exited') return;
    this.sink.output(`wasmscope: ${e instanceof Error ? e.message : String(e)}\n`, 'stderr');
    void this.terminate().catch(() => undefined).finally(() => this.sink.exited(1));
  }

  private async position(): Promise<StepPosition> {
    const frames = await this.engine.stackTrace();
    const top = frames[0];
    return { funcIndex: top?.funcIndex ?? -1, offset: top?.offset ?? 0, depth: frames.length };
  }

  /** The line of an offset as a (document, line) key. */
  private async lineKey(offset: number): Promise<string | undefined> {
    const at = await this.program.sources.locate(offset);
    return at ? `${at.document.id}:${at.line}` : undefined;
  }

  /**
   * Line steps on the program's documents: over stays while on the starting line at the starting
   * depth (deeper frames are run through); in stays while on the starting line in the same frame;
   * out is one instruction step-out, which ends just after the call.
   */
  private async planByDocumentLines(kind: StepKind, origin: StepPosition): Promise<StepPlan> {
    if (kind === 'out') return { first: 'out', next: async () => undefined };
    const line = await this.lineKey(origin.offset);
    return {
      first: kind,
      next: async (here) => {
        if (here.depth > origin.depth) return kind === 'over' ? 'over' : undefined;
        if (here.depth < origin.depth || here.funcIndex !== origin.funcIndex) return undefined;
        return (await this.lineKey(here.offset)) === line ? kind : undefined;
      },
    };
  }

  private async runLoop(action: Action): Promise<void> {
    const plan = action.kind === 'step' && action.granularity === 'line'
      ? await this.planLineStep(action.step, await this.position()) : undefined;
    let stepKind: StepKind | undefined = action.kind === 'step' ? plan?.first ?? action.step : undefined;
    let first = true;
    const started = Date.now();
    for (let steps = 0; ; steps++) {
      const next = this.nextEvent();
      if (action.kind === 'run' && first) await this.engine.run();
      else if (stepKind !== undefined) await this.engine.step(stepKind);
      else await this.engine.continue();
      first = false;
      // A pause that reached the engine while it was still stopped did nothing there; repeat it
      // now that the program runs.
      if (this.pauseRequested && action.kind !== 'step') await this.engine.pause();
      const event = await next;
      if (event.type === 'exited') {
        this.finish(event.code);
        return;
      }
      const stop = event.stop;
      this.stopState.clear();
      if (stop.reason === 'trap') {
        await this.onTrap(stop);
        return;
      }
      if (this.pauseRequested && stop.reason !== 'breakpoint') {
        this.pauseRequested = false;
        this.report({ reason: 'pause', funcIndex: stop.funcIndex, offset: stop.offset });
        return;
      }
      if (stop.reason === 'breakpoint') {
        const decision = await this.breakpointDecision(stop);
        if (decision) {
          this.pauseRequested = false;
          this.report(decision);
          return;
        }
        if (this.pauseRequested) {
          this.pauseRequested = false;
          this.report({ reason: 'pause', funcIndex: stop.funcIndex, offset: stop.offset });
          return;
        }
        continue;
      }
      if (stop.reason === 'step' && plan && steps < MAX_LINE_STEPS && Date.now() - started < MAX_LINE_STEP_MS) {
        const more = await plan.next(await this.position());
        if (more !== undefined) {
          stepKind = more;
          continue;
        }
      }
      const reason = stop.reason === 'entry' ? 'entry' : stop.reason === 'pause' ? 'pause' : 'step';
      this.report({ reason, funcIndex: stop.funcIndex, offset: stop.offset });
      return;
    }
  }

  private report(r: StopReport): void {
    this.state = 'stopped';
    this.lastStop = r;
    this.sink.stopped(r);
  }

  private finish(code: number): void {
    this.state = 'exited';
    this.sink.exited(code);
  }

  private async onTrap(stop: StoppedEvent): Promise<void> {
    const trap: TrapInfo = stop.trap ?? this.lastTrapEvent ?? { kind: 'trap', message: 'trap', backtrace: [] };
    const filter: ExceptionFilter = trap.kind === 'host' ? 'host' : 'traps';
    if (this.filters.has(filter)) {
      this.trap = trap;
      const what = trap.kind === 'host' ? 'Host error' : 'Trap';
      this.report({ reason: 'exception', description: `${what}: ${trap.message}`, text: trap.message,
        funcIndex: trap.funcIndex ?? stop.funcIndex, offset: trap.offset ?? stop.offset });
      return;
    }
    await this.endAfterTrap(trap);
  }

  /** Prints the trap and lets the engine end the run (it reports the exit code). */
  private async endAfterTrap(trap: TrapInfo): Promise<void> {
    const frames = trap.backtrace.map((f) => `    at ${f.funcName} (offset 0x${f.offset.toString(16)})`).join('\n');
    this.sink.output(`${trap.kind === 'host' ? 'host error' : 'trap'}: ${trap.message}\n${frames ? frames + '\n' : ''}`, 'stderr');
    this.state = 'running';
    const next = this.nextEvent();
    await this.engine.continue();
    const event = await next;
    this.finish(event.type === 'exited' ? event.code : 1);
  }

  /** Null when nothing at this site wants a stop (false condition, hit count, logpoint). */
  private async breakpointDecision(stop: StoppedEvent): Promise<StopReport | null> {
    const candidates = this.breakpoints.at(stop.offset);
    const ctx = this.stopState.evalContext(0, stop.funcIndex);
    const stopping: number[] = [];
    let kind = 'breakpoint';
    for (const bp of candidates) {
      if (bp.condition) {
        try {
          if (!isTruthy(await evaluateExpression(bp.condition, ctx))) continue;
        } catch (e) {
          // A condition that cannot be evaluated stops, so a typo never silently skips a breakpoint.
          return { reason: 'breakpoint', description: `Breakpoint condition error: ${(e as Error).message}`,
            hitBreakpointIds: [bp.id], funcIndex: stop.funcIndex, offset: stop.offset };
        }
      }
      bp.hits++;
      if (bp.hitRule && !hitRuleMatches(bp.hitRule, bp.hits)) continue;
      if (bp.logMessage !== undefined) {
        this.sink.output(await this.interpolate(bp.logMessage, ctx) + '\n', 'console');
        continue;
      }
      if (stopping.length === 0) kind = bp.kind === 'function' ? 'function breakpoint'
        : bp.kind === 'instruction' ? 'instruction breakpoint' : 'breakpoint';
      stopping.push(bp.id);
    }
    if (stopping.length === 0) return null;
    return { reason: kind, hitBreakpointIds: stopping, funcIndex: stop.funcIndex, offset: stop.offset };
  }

  private async interpolate(message: string, ctx: ReturnType<StopState['evalContext']>): Promise<string> {
    let out = '';
    for (const part of parseLogMessage(message)) {
      if ('text' in part) { out += part.text; continue; }
      try {
        out += formatResult(await evaluateExpression(part.expr, ctx));
      } catch (e) {
        out += `<${(e as Error).message}>`;
      }
    }
    return out;
  }
}
