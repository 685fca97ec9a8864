// Traps and their locations, without per-instruction bookkeeping: each generated function carries
// `//# sourceURL=wasm-function-<func>@<instance><tier>` and emits one Wasm instruction per line,
// so the JS stack of any error (our own trap, V8's stack overflow, DataView's RangeError on an
// out-of-bounds access) maps back to (function index, byte offset) for every Wasm frame.

import { WasmError, type BinaryLocation } from '../wasm/errors.js';

export interface TraceFrame {
  funcIndex: number;
  name: string;
  offset: number;
}

export class Trap extends WasmError {
  constructor(
    message: string,
    kind: 'trap' | 'exhaustion',
    location: BinaryLocation | undefined,
    /** Innermost frame first. */
    readonly backtrace: TraceFrame[],
  ) {
    super(kind, message, location);
    this.name = 'Trap';
  }
}

/** What the stack mapper needs to know about one instance's generated code. */
export interface CodeMapSource {
  /** Byte offset for a 1-based line of the generated function body, or undefined. */
  offsetAt(funcIndex: number, probed: boolean, line: number): number | undefined;
  funcName(funcIndex: number): string;
  /**
   * An exception unwound this instance's function at a JS line (profiling counters correct for it);
   * `innermost`: the first Wasm frame of the exception (a frame stopped at a call whose callee's
   * frame is absent: the callee was never entered).
   */
  noteUnwind?(funcIndex: number, probed: boolean, line: number, innermost: boolean): void;
}

// Instances register themselves by id; a WeakRef keeps the registry from pinning dead instances
// (the spec harness creates thousands of them).
const registry = new Map<number, WeakRef<CodeMapSource>>();
const cleanup = new FinalizationRegistry<number>((id) => registry.delete(id));
let nextInstanceId = 1;

export function registerCodeMaps(source: CodeMapSource): number {
  const id = nextInstanceId++;
  registry.set(id, new WeakRef(source));
  cleanup.register(source, id);
  return id;
}

export function sourceUrl(funcIndex: number, instanceId: number, probed: boolean): string {
  return `wasm-function-${funcIndex}@${instanceId}${probed ? 'p' : ''}`;
}

const FRAME_RE = /wasm-function-(\d+)@(\d+)(p?):(\d+):\d+/g;

/**
 * What generated code was running in: the engine entry points count nested calls so that only an
 * exception leaving the outermost one reports unwound frames (below it, no Wasm frame is live).
 */
export const activity = { depth: 0, unwindNotes: false };
/** The full JS stack of each trap, for unwind notes (its backtrace keeps TRACE_LIMIT frames). */
const trapStacks = new WeakMap<object, string>();

/**
 * Tells each instance whose Wasm frames an exception unwound where each frame stopped (innermost
 * first), so profiling counters can subtract what a counting block counted but did not run. Needs
 * the whole stack: profiling raises Error.stackTraceLimit; without it deeper frames go unreported.
 */
export function noteUnwound(error: unknown): void {
  if (!activity.unwindNotes) return;
  const stack = trapStacks.get(error as object) ?? (error instanceof Error ? error.stack : undefined);
  if (!stack) return;
  let innermost = true;
  for (const m of stack.matchAll(FRAME_RE)) {
    registry.get(Number(m[2]))?.deref()?.noteUnwind?.(Number(m[1]), m[3] === 'p', Number(m[4]), innermost);
    innermost = false;
  }
}

/** Wasm frames of a JS stack string, innermost first. */
export function wasmFramesOf(stack: string | undefined): TraceFrame[] {
  const frames: TraceFrame[] = [];
  if (!stack) return frames;
  for (const m of stack.matchAll(FRAME_RE)) {
    const funcIndex = Number(m[1]);
    const source = registry.get(Number(m[2]))?.deref();
    const offset = source?.offsetAt(funcIndex, m[3] === 'p', Number(m[4])) ?? 0;
    frames.push({ funcIndex, name: source?.funcName(funcIndex) ?? `$f${funcIndex}`, offset });
  }
  return frames;
}

// Deep enough for useful backtraces, bounded so a trap in deep recursion stays cheap.
const TRACE_LIMIT = 64;

function captureStack(): string | undefined {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(TRACE_LIMIT, saved);
  const stack = new Error().stack;
  Error.stackTraceLimit = saved;
  return stack;
}

function trapFromStack(message: string, kind: 'trap' | 'exhaustion', stack: string | undefined): Trap {
  const frames = wasmFramesOf(stack);
  const top = frames[0];
  if (frames.length > TRACE_LIMIT) frames.length = TRACE_LIMIT;
  const trap = new Trap(message, kind, top ? { funcIndex: top.funcIndex, offset: top.offset } : undefined, frames);
  if (activity.unwindNotes && stack) trapStacks.set(trap, stack);
  return trap;
}

/** Called by generated code: builds the trap with the location of the calling Wasm frame. */
export function makeTrap(message: string): Trap {
  return trapFromStack(message, 'trap', captureStack());
}

const STACK_OVERFLOW = 'Maximum call stack size exceeded';
const DATAVIEW_OOB = /outside the bounds of the DataView|Offset is outside the bounds/;

/**
 * Turns what V8 throws from generated code into the spec's trap: stack overflow becomes "call
 * stack exhausted", a DataView RangeError raised in a Wasm frame becomes "out of bounds memory
 * access". Anything else (host exceptions, our own traps) passes through unchanged.
 */
export function translateError(e: unknown): unknown {
  if (e instanceof Trap || !(e instanceof RangeError)) return e;
  if (e.message.includes(STACK_OVERFLOW)) return trapFromStack('call stack exhausted', 'exhaustion', e.stack);
  if (DATAVIEW_OOB.test(e.message)) {
    // Skip the DataView builtin's own frame: the access must come from generated code.
    const firstFrame = e.stack?.split('\n').find((l) => l.trimStart().startsWith('at ') && !l.includes('(<anonymous>)'));
    if (firstFrame && firstFrame.includes('wasm-function-')) return trapFromStack('out of bounds memory access', 'trap', e.stack);
  }
  return e;
}

/** The line of a `new Function` body that V8 reports for the body's first line (calibrated once). */
export const BODY_LINE_BASE: number = (() => {
  try {
    new Function('throw new Error("calibrate")\n//# sourceURL=wasm-calibrate')();
  } catch (e) {
    const m = /wasm-calibrate:(\d+)/.exec((e as Error).stack ?? '');
    if (m) return Number(m[1]) - 1;
  }
  return 2;
})();
