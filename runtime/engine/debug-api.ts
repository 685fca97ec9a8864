// The debugging contract of the engine, in two layers:
//
// 1. In-thread probes (`ProbeHooks`): an instance created with `debug` compiles its functions in the
//    *probed* tier: every straight-line run of instructions tests one flag byte and, when armed,
//    runs a copy that checks a flag before each instruction (flags live in a SharedArrayBuffer,
//    `Instance.env.P`). When an instruction's flag is set the engine calls `onProbe` with a view of
//    the machine state and the hook says how to continue. Host-import crossings are reported to
//    `onHostCall`/`onHostReturn` (the profiler counts them; no clock is read per instruction).
//    Instances without `debug` run *fast*-tier code with no checks at all. In-thread control
//    (breakpoints, pause) is `Instance.debugger` (runtime/engine/debug.ts).
//
// 2. The main-thread session (`EngineSessionApi`, implemented by `EngineSession` in session.ts):
//    the engine runs in a worker thread so that a pause request reaches an endless loop (the
//    probe flags live in a SharedArrayBuffer the main thread writes), while stopped the worker
//    blocks in Atomics.wait and serves inspection requests synchronously, and the debug adapter
//    (main thread) stays responsive. Every method is async and every value crossing the thread
//    boundary is structured-cloneable.
//
// Locations are always (function index in the function index space, absolute byte offset of an
// instruction in the module binary), the same coordinates as `Instr.offset` and `WasmError`.

import type { ProfileResult } from '../profile/report.js';

/** How execution continues after a probe stop. Steps count Wasm instructions, not source lines. */
export type ContinueAction = 'continue' | 'step-in' | 'step-over' | 'step-out';

/** The session's step kinds (the DAP `next`/`stepIn`/`stepOut`, by instruction). */
export type StepKind = 'in' | 'over' | 'out';

export type StopReason = 'entry' | 'breakpoint' | 'step' | 'pause' | 'trap';

/** A value as shown to a debugger: its Wasm type and a display string, plus a raw form. */
export interface DebugValue {
  type: 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';
  /** Display text: decimal for integers, shortest round-trip for floats, hex bytes for v128. */
  text: string;
  /**
   * Exact raw value: i32 as number (signed), i64 as decimal string (signed), f32 as its bits
   * (int32), f64 as the 16-hex-digit bit pattern, v128 as 32 hex digits, funcref as the function
   * index or null, externref as a string description or null.
   */
  raw: number | string | null;
}

/** One activation as seen at a stop. Frame 0 is the innermost. */
export interface FrameView {
  funcIndex: number;
  /** The function's name from the name section, or `$f<index>`. */
  funcName: string;
  /** Absolute byte offset of the instruction about to execute (frame 0) or of the call in progress. */
  offset: number;
  /** Parameters then declared locals; undefined when the frame's values could not be captured. */
  locals?: DebugValue[];
  /**
   * Operand stack, bottom first. For a caller: the values below the arguments of its call in
   * progress (recorded with its locals at the call). Undefined when not captured.
   */
  stack?: DebugValue[];
  /** Local names from the name section, where present (index → name). */
  localNames?: Record<number, string>;
}

export interface GlobalView {
  index: number;
  name: string;
  mutable: boolean;
  value: DebugValue;
}

export interface MemoryView {
  index: number;
  /** Current size in bytes. */
  byteLength: number;
}

export interface TableView {
  index: number;
  /** Current number of elements (tables grow at run time). */
  length: number;
  elem: 'funcref' | 'externref';
}

/** Why a probe fired. */
export interface ProbeEvent {
  reason: StopReason;
  funcIndex: number;
  offset: number;
  /** Breakpoint ids whose site this is (reason 'breakpoint'). */
  breakpointIds?: number[];
}

/**
 * The state handed to `onProbe`. Reads are views on the live instance; the setters change the
 * running program (a local of frame 0 is written back when the hook returns).
 */
export interface ProbeState {
  frames: FrameView[];
  globals(): GlobalView[];
  memories(): MemoryView[];
  tables(): TableView[];
  /**
   * Elements [start, start + count) of a table (clamped to its current length); a funcref's raw is
   * its function index in this instance, null for a null reference.
   */
  readTable(table: number, start: number, count: number): DebugValue[];
  readMemory(memory: number, address: number, length: number): Uint8Array;
  writeMemory(memory: number, address: number, bytes: Uint8Array): void;
  /** Value text parsed per the local's type ("42", "-1.5", "nan", "0x7fc00000" for bits). */
  setLocal(frame: number, local: number, text: string): DebugValue;
  setGlobal(global: number, text: string): DebugValue;
}

export interface ProbeHooks {
  /** A probe fired (breakpoint, step, pause request, entry). Returns how to continue. */
  onProbe?(event: ProbeEvent, state: ProbeState): ContinueAction;
  /** Before a host (imported, non-Wasm) function runs: import index and host-convention args. */
  onHostCall?(importIndex: number, args: readonly unknown[]): void;
  /** After it returned: its host-convention results (always an array). */
  onHostReturn?(importIndex: number, results: readonly unknown[]): void;
  /**
   * A trap raised by the instruction about to execute (probed tier: unreachable, integer division,
   * call_indirect checks), before the stack unwinds, so its frame's values can be inspected. The
   * trap is thrown when this returns. (Traps V8 raises itself, such as out-of-bounds accesses and
   * stack exhaustion, are only seen after unwinding.)
   */
  onTrap?(event: ProbeEvent & { message: string }, state: ProbeState): void;
}

// ---------------------------------------------------------------------------------------------
// Main-thread session

export interface BreakpointRequest {
  /** Absolute byte offset; snapped to the first instruction at or after it within its function. */
  offset: number;
  /** Optional: restrict to this function (otherwise the function containing the offset). */
  funcIndex?: number;
  /** Hit only when this expression evaluates non-zero (see `evaluate`). */
  condition?: string;
}

export interface BreakpointResult {
  id: number;
  verified: boolean;
  /** The instruction the breakpoint was placed on. */
  offset?: number;
  funcIndex?: number;
  message?: string;
}

/** Serialisable description of what the worker should provide as imports. */
export interface ImportsSpec {
  /** Provide WASI preview1 (`wasi_snapshot_preview1`) created in the worker with these options. */
  wasi?: {
    args?: string[];
    env?: Record<string, string>;
    /** Guest path → host directory. */
    preopens?: Record<string, string>;
    /** Bytes given to the guest's stdin (otherwise stdin is empty). */
    stdin?: Uint8Array;
  };
  /**
   * Other imports: functions are satisfied by functions that log their call and return zeros,
   * tables by empty (null-filled) tables of the declared size (for exploration).
   */
  stubMissing?: boolean;
}

export interface SessionLoadOptions {
  /** Stop before the first instruction of the entry function. */
  stopOnEntry?: boolean;
  /** Export to call after instantiation (default: `_start` if exported, else nothing). */
  entry?: string;
  /** Arguments for `entry`, as text per parameter type. */
  entryArgs?: string[];
  /** Memory cap in 64 KiB pages (default 65536). */
  maxMemoryPages?: number;
}

export interface StoppedEvent {
  reason: StopReason;
  funcIndex: number;
  offset: number;
  breakpointIds?: number[];
  /** Set when reason is 'trap'. */
  trap?: TrapInfo;
}

export interface TrapInfo {
  kind: 'trap' | 'exhaustion' | 'link' | 'invalid' | 'malformed' | 'uninstantiable' | 'host';
  message: string;
  funcIndex?: number;
  offset?: number;
  backtrace: { funcIndex: number; funcName: string; offset: number }[];
}

export interface ScopesView {
  locals: { name: string; value: DebugValue }[];
  stack: { name: string; value: DebugValue }[];
  globals: { name: string; value: DebugValue }[];
}

export interface SessionEvents {
  stopped: (e: StoppedEvent) => void;
  output: (text: string, category: 'stdout' | 'stderr' | 'console') => void;
  /** The program finished (entry returned or proc_exit); code is the WASI exit code or 0. */
  exited: (code: number) => void;
  /** An uncaught trap ended the run (also reported as a 'stopped' event with reason 'trap'). */
  trap: (t: TrapInfo) => void;
}

export interface EngineSessionApi {
  /** Decode, validate and instantiate in the worker; runs nothing until `run()`/`continue()`. */
  load(bytes: Uint8Array, imports: ImportsSpec, options?: SessionLoadOptions): Promise<{ funcCount: number }>;
  /** Start the entry export (honours stopOnEntry). */
  run(): Promise<void>;
  /** Replaces all breakpoints. */
  setBreakpoints(requests: BreakpointRequest[]): Promise<BreakpointResult[]>;
  continue(): Promise<void>;
  /** Stops within 100 ms even in an endless loop; a 'stopped' event with reason 'pause' follows. */
  pause(): Promise<void>;
  step(kind: StepKind): Promise<void>;
  stackTrace(): Promise<FrameView[]>;
  scopes(frame: number): Promise<ScopesView>;
  readMemory(memory: number, address: number, length: number): Promise<Uint8Array>;
  writeMemory(memory: number, address: number, bytes: Uint8Array): Promise<void>;
  /** The memories (imported first, then defined) with their current sizes. */
  memories(): Promise<MemoryView[]>;
  /** The tables (imported first, then defined) with their current lengths. */
  tables(): Promise<TableView[]>;
  /** A page of a table's elements, read from the live instance (see ProbeState.readTable). */
  readTable(table: number, start: number, count: number): Promise<DebugValue[]>;
  setLocal(frame: number, local: number, text: string): Promise<DebugValue>;
  setGlobal(global: number, text: string): Promise<DebugValue>;
  /** Expressions: `local.N`/`$name`, `global.N`, `i32.load[8|16][_s|_u] ADDR`, integer literals. */
  evaluate(frame: number, expression: string): Promise<DebugValue>;
  terminate(): Promise<void>;
  /** Starts sampling the program and counting its host calls (at any time, running or stopped). */
  startProfile(): Promise<void>;
  /** Stops profiling: the `.cpuprofile` and the report (functions, host imports, boundary cost). */
  stopProfile(): Promise<ProfileResult>;
  on<E extends keyof SessionEvents>(event: E, listener: SessionEvents[E]): this;
}
