// The engine side of a debug session, running in a worker thread (see worker.ts for the entry and
// session.ts for the main-thread half). It owns the instance, WASI and the probe runtime, and
// serves requests from the RequestChannel in three states:
//   idle    — not executing: waits asynchronously for requests (run, setBreakpoints, …);
//   running — executing Wasm: requests are noticed when a probe sees the attention flag the main
//             thread sets with every request; a 'pause' request turns that into a stop;
//   stopped — inside a probe callback: blocks in Atomics.wait, serving inspection requests
//             synchronously until continue/step.
// Responses and events go out through `post` (postMessage in the worker).

import { decodeModule } from '../binary/decode.js';
import { UnboundMemoryError, WasiExit, type Wasi } from '../wasi/index.js';
import { bindWasiMemory, createProgramWasi } from '../program.js';
import { ValType, type Module } from '../wasm/types.js';
import { WasmError } from '../wasm/errors.js';
import type {
  BreakpointRequest, BreakpointResult, ContinueAction, DebugValue, FrameView, ImportsSpec, ProbeEvent, ProbeState,
  ScopesView, SessionLoadOptions, StoppedEvent, TrapInfo,
} from './debug-api.js';
import { debugValue, parseValue } from './debug-values.js';
import { RequestChannel, type ChannelRequest } from './channel.js';
import { WasmFunction, WasmTable } from './externs.js';
import { instantiate, invoke, Trap, type Imports, type Instance } from './index.js';
import { LiveProfiler } from '../profile/live.js';
import { nameHostFunctions } from '../profile/node-names.js';
import { calibrateEngineCrossing } from '../profile/interp.js';
import type { ProfileResult } from '../profile/report.js';

export type WorkerMessage =
  | { kind: 'response'; id: number; result?: unknown; error?: string }
  | { kind: 'event'; name: 'stopped' | 'output' | 'exited' | 'trap'; args: unknown[] }
  | { kind: 'loaded'; funcCount: number; flags: SharedArrayBuffer }
  | { kind: 'load-error'; message: string };

export interface WorkerInit {
  bytes: Uint8Array;
  imports: ImportsSpec;
  options: SessionLoadOptions;
  channel: SharedArrayBuffer;
}

const STEP_ACTIONS: Record<string, ContinueAction> = { in: 'step-in', over: 'step-over', out: 'step-out' };

/** Thrown out of a probe to end the run when the session terminates while stopped. */
class Terminated extends Error {}

export class WorkerEngine {
  private readonly channel: RequestChannel;
  private readonly instance: Instance;
  private readonly wasi?: Wasi;
  /** Set when a trap was already reported (and inspected) before it unwound. */
  private trapReported = false;
  private exitedCode: number | undefined;
  /** Present while the session profiles (the `profile` launch option, or start/stop requests). */
  private profiler?: LiveProfiler;
  private readonly module: Module;

  constructor(private readonly init: WorkerInit, private readonly post: (m: WorkerMessage) => void) {
    this.channel = new RequestChannel(init.channel);
    const module = decodeModule(init.bytes);
    this.module = module;
    const imports: Imports = {};
    if (init.imports.wasi) {
      const w = init.imports.wasi;
      const output = (category: 'stdout' | 'stderr') => (bytes: Uint8Array): void =>
        this.event('output', Buffer.from(bytes).toString('utf8'), category);
      // stdin defaults to empty: the worker's fd 0 is the debug adapter's protocol stream.
      this.wasi = createProgramWasi(module, {
        argv: w.args ?? [], env: w.env ?? {},
        preopens: Object.entries(w.preopens ?? {}).map(([guest, host]) => ({ guest, host })),
        stdin: w.stdin ?? new Uint8Array(0), stdout: output('stdout'), stderr: output('stderr'),
      });
      if (this.wasi) Object.assign(imports, this.wasi.imports);
    }
    if (init.imports.stubMissing) {
      for (const imp of module.imports) {
        if (imports[imp.module]?.[imp.name] !== undefined) continue;
        const d = imp.desc;
        if (d.kind === 'table') {
          // An empty table of the declared size: enough to explore a module that fills it itself.
          (imports[imp.module] ??= {})[imp.name] = new WasmTable(d.type.elem, d.type.limits);
          continue;
        }
        if (d.kind !== 'func') continue;
        const results = module.types[d.typeIndex]!.results;
        const zero = (t: ValType): unknown => (t === ValType.I64 ? 0n : t === ValType.V128 ? new Uint8Array(16)
          : t === ValType.FuncRef || t === ValType.ExternRef ? null : 0);
        (imports[imp.module] ??= {})[imp.name] = (...args: unknown[]) => {
          this.event('output', `${imp.module}.${imp.name}(${args.map(String).join(', ')}) [stub]\n`, 'console');
          return results.length === 1 ? zero(results[0]!) : results.map(zero);
        };
      }
    }
    // Each host function is its own node in a profile taken during the session.
    this.instance = instantiate(module, nameHostFunctions(imports), {
      maxMemoryPages: init.options.maxMemoryPages,
      debug: {
        onProbe: (event, state) => this.onProbe(event, state),
        onTrap: (event, state) => this.onTrapBeforeUnwind(event, state),
        onHostCall: (importIndex) => this.profiler?.hostCall(importIndex),
        onHostReturn: (importIndex) => this.profiler?.hostReturn(importIndex),
      },
    });
    // A WASI call that needs a memory the module does not export fails as a host error (trapInfo).
    if (this.wasi) bindWasiMemory(this.wasi, this.instance, 'on-use');
    this.instance.debugger!.onAttention = () => this.onAttention();
  }

  get flags(): SharedArrayBuffer {
    return this.instance.env.P.buffer as SharedArrayBuffer;
  }

  get funcCount(): number {
    return this.instance.funcTypes.length;
  }

  private event(name: 'stopped' | 'output' | 'exited' | 'trap', ...args: unknown[]): void {
    this.post({ kind: 'event', name, args });
  }

  private respond(r: ChannelRequest, result?: unknown): void {
    this.post({ kind: 'response', id: r.id, result });
  }

  /** The idle loop: serves requests until the worker is terminated. */
  async serve(): Promise<never> {
    for (;;) {
      const r = await this.channel.waitAsync();
      try {
        this.handleIdle(r);
      } catch (e) {
        this.post({ kind: 'response', id: r.id, error: (e as Error).message });
      }
    }
  }

  private handleIdle(r: ChannelRequest): void {
    switch (r.method) {
      case 'run': case 'continue': case 'step':
        this.respond(r);
        if (r.method === 'run' || this.exitedCode === undefined) this.run(r.method === 'step');
        else this.event('exited', this.exitedCode);
        return;
      case 'setBreakpoints': this.respond(r, this.setBreakpoints(r.params[0] as BreakpointRequest[])); return;
      case 'pause': this.respond(r); return;
      case 'stackTrace': this.respond(r, []); return;
      case 'profileStart': this.respond(r, this.profileStart()); return;
      case 'profileStop': this.respond(r, this.profileStop()); return;
      default: throw new Error(`${r.method}: the program is not stopped`);
    }
  }

  private run(stopAtEntry: boolean): void {
    const opts = this.init.options;
    const name = opts.entry ?? (this.instance.exports.has('_start') ? '_start' : undefined);
    if (name === undefined) { this.finish(0); return; }
    const entry = this.instance.exports.get(name);
    if (!(entry instanceof WasmFunction)) { this.failRun(`no exported function "${name}"`); return; }
    const D = this.instance.debugger!;
    if ((opts.stopOnEntry || stopAtEntry) && entry.index >= this.instance.numImportedFuncs) D.stopOnEntry(entry.index);
    const args = entry.type.params.map((t, i) => hostArg(t, opts.entryArgs?.[i] ?? '0'));
    try {
      const results = invoke(entry, args);
      if (name !== '_start' && results.length > 0) this.event('output', `${results.map(String).join(' ')}\n`, 'console');
      this.finish(0);
    } catch (e) {
      D.resetCallers();
      if (e instanceof Terminated) return;
      if (e instanceof WasiExit) { this.finish(e.code); return; }
      if (this.trapReported && e instanceof Trap) { this.trapReported = false; this.finish(1); return; }
      this.stopOnTrap(e);
    }
  }

  private finish(code: number): void {
    this.exitedCode = code;
    this.wasi?.close();
    this.event('exited', code);
  }

  private failRun(message: string): void {
    this.event('output', `${message}\n`, 'stderr');
    this.finish(1);
  }

  /** After an uncaught trap: report it, stop for inspection of its backtrace, then exit. */
  private stopOnTrap(e: unknown): void {
    const trap = trapInfo(e);
    this.event('trap', trap);
    const stop: StoppedEvent = { reason: 'trap', funcIndex: trap.funcIndex ?? -1, offset: trap.offset ?? 0, trap };
    this.event('stopped', stop);
    const frames: FrameView[] = trap.backtrace.map((f) => ({ funcIndex: f.funcIndex, funcName: f.funcName, offset: f.offset }));
    for (;;) {
      const r = this.channel.waitSync();
      if (r.method === 'stackTrace') this.respond(r, frames);
      else if (r.method === 'continue' || r.method === 'step' || r.method === 'run') {
        this.respond(r);
        this.finish(1);
        return;
      } else this.post({ kind: 'response', id: r.id, error: `${r.method}: the program has trapped` });
    }
  }

  // ---- running / stopped ----------------------------------------------------------------------

  /** A request arrived while running: pause stops; anything else is served and execution goes on. */
  private onAttention(): boolean {
    for (;;) {
      const r = this.channel.poll();
      if (!r) return false;
      if (r.method === 'pause') { this.respond(r); return true; }
      try {
        if (r.method === 'setBreakpoints') this.respond(r, this.setBreakpoints(r.params[0] as BreakpointRequest[]));
        else if (r.method === 'profileStart') this.respond(r, this.profileStart());
        else if (r.method === 'profileStop') this.respond(r, this.profileStop());
        else if (r.method === 'continue' || r.method === 'run') this.respond(r);
        else throw new Error(`${r.method}: the program is running`);
      } catch (e) {
        this.post({ kind: 'response', id: r.id, error: (e as Error).message });
      }
    }
  }

  /**
   * An explicit trap about to unwind: stop with reason 'trap' while the frames still exist, so
   * scopes/evaluate see the values that led to it; any resume lets it unwind and end the run.
   */
  private onTrapBeforeUnwind(event: ProbeEvent & { message: string }, state: ProbeState): void {
    const trap: TrapInfo = {
      kind: 'trap', message: event.message, funcIndex: event.funcIndex, offset: event.offset,
      backtrace: state.frames.map((f) => ({ funcIndex: f.funcIndex, funcName: f.funcName, offset: f.offset })),
    };
    this.trapReported = true;
    this.event('trap', trap);
    this.event('stopped', { reason: 'trap', funcIndex: event.funcIndex, offset: event.offset, trap } satisfies StoppedEvent);
    for (;;) {
      const r = this.channel.waitSync();
      try {
        if (this.handleStopped(r, state)) return;
      } catch (e) {
        if (e instanceof Terminated) throw e;
        this.post({ kind: 'response', id: r.id, error: (e as Error).message });
      }
    }
  }

  private onProbe(event: ProbeEvent, state: ProbeState): ContinueAction {
    const stop: StoppedEvent = { reason: event.reason, funcIndex: event.funcIndex, offset: event.offset };
    if (event.breakpointIds) stop.breakpointIds = event.breakpointIds;
    this.event('stopped', stop);
    for (;;) {
      const r = this.channel.waitSync();
      try {
        const action = this.handleStopped(r, state);
        if (action) return action;
      } catch (e) {
        if (e instanceof Terminated) throw e;
        this.post({ kind: 'response', id: r.id, error: (e as Error).message });
      }
    }
  }

  private handleStopped(r: ChannelRequest, state: ProbeState): ContinueAction | undefined {
    const p = r.params;
    const frame = (k: unknown): FrameView => {
      const f = state.frames[Number(k)];
      if (!f) throw new RangeError(`no frame ${String(k)}`);
      return f;
    };
    switch (r.method) {
      case 'continue': case 'run': this.respond(r); return 'continue';
      case 'step': this.respond(r); return STEP_ACTIONS[String(p[0])] ?? 'step-over';
      case 'pause': this.respond(r); return undefined;
      case 'terminate': this.respond(r); throw new Terminated();
      case 'stackTrace': this.respond(r, state.frames); return undefined;
      case 'scopes': this.respond(r, this.scopes(frame(p[0]), state)); return undefined;
      case 'readMemory': this.respond(r, state.readMemory(Number(p[0]), Number(p[1]), Number(p[2]))); return undefined;
      case 'memories': this.respond(r, state.memories()); return undefined;
      case 'tables': this.respond(r, state.tables()); return undefined;
      case 'readTable': this.respond(r, state.readTable(Number(p[0]), Number(p[1]), Number(p[2]))); return undefined;
      case 'writeMemory': state.writeMemory(Number(p[0]), Number(p[1]), p[2] as Uint8Array); this.respond(r); return undefined;
      case 'setLocal': this.respond(r, state.setLocal(Number(p[0]), Number(p[1]), String(p[2]))); return undefined;
      case 'setGlobal': this.respond(r, state.setGlobal(Number(p[0]), String(p[1]))); return undefined;
      case 'evaluate': this.respond(r, this.evaluate(frame(p[0]), String(p[1]), state)); return undefined;
      case 'setBreakpoints': this.respond(r, this.setBreakpoints(p[0] as BreakpointRequest[])); return undefined;
      case 'profileStart': this.respond(r, this.profileStart()); return undefined;
      case 'profileStop': this.respond(r, this.profileStop()); return undefined;
      default: throw new Error(`unknown request ${r.method}`);
    }
  }

  private profileStart(): void {
    if (this.profiler?.active) throw new Error('the profiler is already running');
    this.profiler = new LiveProfiler(this.module, calibrateEngineCrossing(100_000));
    this.profiler.start();
  }

  private profileStop(): ProfileResult {
    if (!this.profiler?.active) throw new Error('the profiler is not running');
    const result = this.profiler.stop();
    this.profiler = undefined;
    return result;
  }

  private setBreakpoints(requests: BreakpointRequest[]): BreakpointResult[] {
    const D = this.instance.debugger!;
    D.clearBreakpoints();
    return requests.map((req, k) => {
      const placed = D.setBreakpoint(req.offset);
      if (!placed || (req.funcIndex !== undefined && placed.funcIndex !== req.funcIndex)) {
        return { id: -(k + 1), verified: false, message: `no instruction at offset 0x${req.offset.toString(16)}` };
      }
      return { id: placed.id, verified: true, offset: placed.offset, funcIndex: placed.funcIndex };
    });
  }

  private scopes(f: FrameView, state: ProbeState): ScopesView {
    return {
      locals: (f.locals ?? []).map((value, k) => ({ name: f.localNames?.[k] ?? `local.${k}`, value })),
      stack: (f.stack ?? []).map((value, k) => ({ name: `stack[${k}]`, value })),
      globals: state.globals().map((g) => ({ name: g.name, value: g.value })),
    };
  }

  /** `local.N`, `$name`, `global.N`, `i32.load ADDR` (and the other scalar loads), integer literals. */
  private evaluate(f: FrameView, expr: string, state: ProbeState): DebugValue {
    const e = expr.trim();
    let m = /^local\.(\d+)$/.exec(e);
    if (m) return pick(f.locals, Number(m[1]), e);
    m = /^global\.(\d+)$/.exec(e);
    if (m) return pick(state.globals().map((g) => g.value), Number(m[1]), e);
    m = /^\$(.+)$/.exec(e);
    if (m) {
      const name = m[1]!;
      const local = Object.entries(f.localNames ?? {}).find(([, n]) => n === name);
      if (local) return pick(f.locals, Number(local[0]), e);
      const g = state.globals().find((x) => x.name === name || x.name === `$${name}`);
      if (g) return g.value;
      throw new Error(`unknown name ${e}`);
    }
    m = /^(i32|i64|f32|f64)\.load(8|16|32)?(?:_([su]))?\s+(\S+)$/.exec(e);
    if (m) {
      const [, type, bits, sign, addrText] = m;
      const size = bits ? Number(bits) / 8 : type === 'i64' || type === 'f64' ? 8 : 4;
      const addr = Number(parseValue(ValType.I32, addrText!)) >>> 0;
      const bytes = state.readMemory(0, addr, size);
      if (bytes.length < size) throw new RangeError(`${e}: out of bounds`);
      const view = new DataView(bytes.buffer, bytes.byteOffset, size);
      const signed = sign !== 'u';
      if (type === 'f32') return debugValue(ValType.F32, view.getInt32(0, true));
      if (type === 'f64') return debugValue(ValType.F64, view.getFloat64(0, true));
      let v: bigint = size === 8 ? view.getBigInt64(0, true) : BigInt(size === 4 ? view.getInt32(0, true)
        : size === 2 ? (signed ? view.getInt16(0, true) : view.getUint16(0, true)) : (signed ? view.getInt8(0) : view.getUint8(0)));
      if (!signed && size === 4) v = BigInt.asUintN(32, v);
      return type === 'i64' ? debugValue(ValType.I64, v) : debugValue(ValType.I32, Number(BigInt.asIntN(32, v)));
    }
    if (/^[-+]?(0x[0-9a-f]+|\d+)$/i.test(e)) {
      const v = parseValue(ValType.I64, e) as bigint;
      return v >= -0x80000000n && v <= 0x7fffffffn ? debugValue(ValType.I32, Number(v)) : debugValue(ValType.I64, v);
    }
    throw new Error(`cannot evaluate "${e}"`);
  }
}

function pick(values: DebugValue[] | undefined, index: number, what: string): DebugValue {
  const v = values?.[index];
  if (!v) throw new RangeError(`${what} is not available`);
  return v;
}

function hostArg(t: ValType, text: string): unknown {
  const v = parseValue(t, text);
  return t === ValType.F32 ? new Float32Array(new Int32Array([v as number]).buffer)[0] : v;
}

function trapInfo(e: unknown): TrapInfo {
  if (e instanceof Trap) {
    return {
      kind: e.kind === 'exhaustion' ? 'exhaustion' : 'trap', message: e.message,
      funcIndex: e.location?.funcIndex, offset: e.location?.offset,
      backtrace: e.backtrace.map((f) => ({ funcIndex: f.funcIndex, funcName: f.name, offset: f.offset })),
    };
  }
  if (e instanceof WasmError) return { kind: e.kind, message: e.message, offset: e.location?.offset, funcIndex: e.location?.funcIndex, backtrace: [] };
  if (e instanceof UnboundMemoryError) {
    return { kind: 'host', message: 'a WASI function needs the program\'s memory, but the module does not export it as "memory"', backtrace: [] };
  }
  return { kind: 'host', message: e instanceof Error ? e.message : String(e), backtrace: [] };
}
