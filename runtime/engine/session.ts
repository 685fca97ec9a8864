// The main-thread half of a debug session (EngineSessionApi in debug-api.ts). The engine runs in a
// worker thread (worker.ts → worker-host.ts) so that the caller — the debug adapter — stays
// responsive while Wasm runs, and so that a pause can reach an endless loop: every request is
// written to the shared RequestChannel, and while the program runs the session also arms the
// shared probe flags so the worker's next instruction notices it.

import { Worker } from 'node:worker_threads';
import type { ProfileResult } from '../profile/report.js';
import type {
  BreakpointRequest, BreakpointResult, DebugValue, EngineSessionApi, FrameView, ImportsSpec, ScopesView,
  SessionEvents, SessionLoadOptions, StepKind, StoppedEvent, TableView, MemoryView,
} from './debug-api.js';
import { RequestChannel } from './channel.js';
import type { WorkerInit, WorkerMessage } from './worker-host.js';

export interface EngineSessionOptions {
  /** The worker script. Default: worker.ts next to this file under tsx, dist/engine-worker.js when bundled. */
  workerPath?: string | URL;
  /** execArgv for the worker thread. */
  execArgv?: string[];
}

type State = 'unloaded' | 'idle' | 'running' | 'stopped' | 'exited';
type Listeners = { [E in keyof SessionEvents]: SessionEvents[E][] };

/**
 * Bundled (dist/), the worker is dist/engine-worker.js next to the bundle. From source (tests run
 * through tsx), a worker cannot start from a .ts entry with `--import tsx` on Node 20 (the hooks
 * register after the entry is resolved), so a tiny eval'd bootstrap registers tsx, then imports it.
 */
function defaultWorker(): { path: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { path: new URL('./engine-worker.js', here), eval: false };
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', here).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(here)}));`;
  return { path: code, eval: true };
}

export class EngineSession implements EngineSessionApi {
  private worker?: Worker;
  private readonly channel = new RequestChannel();
  private flags?: Uint8Array;
  private state: State = 'unloaded';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners: Listeners = { stopped: [], output: [], exited: [], trap: [] };

  constructor(private readonly options: EngineSessionOptions = {}) {}

  on<E extends keyof SessionEvents>(event: E, listener: SessionEvents[E]): this {
    this.listeners[event].push(listener);
    return this;
  }

  private emit<E extends keyof SessionEvents>(event: E, ...args: Parameters<SessionEvents[E]>): void {
    for (const l of this.listeners[event]) (l as (...a: Parameters<SessionEvents[E]>) => void)(...args);
  }

  async load(bytes: Uint8Array, imports: ImportsSpec, options: SessionLoadOptions = {}): Promise<{ funcCount: number }> {
    if (this.worker) throw new Error('a program is already loaded in this session');
    const def = defaultWorker();
    const init: WorkerInit = { bytes, imports, options, channel: this.channel.buffer };
    const worker = this.options.workerPath
      ? new Worker(this.options.workerPath, { workerData: init, execArgv: this.options.execArgv ?? [] })
      : new Worker(def.path, { workerData: init, eval: def.eval, execArgv: this.options.execArgv ?? [] });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.kind === 'loaded') {
          this.flags = new Uint8Array(m.flags);
          this.state = 'idle';
          resolve({ funcCount: m.funcCount });
        } else if (m.kind === 'load-error') {
          reject(new Error(m.message));
          void this.terminate();
        } else this.onMessage(m);
      });
      worker.on('error', (e) => {
        if (this.state === 'unloaded') reject(e);
        else {
          this.failAll(e);
          this.workerLost(e.message);
        }
      });
      worker.on('exit', (code) => {
        this.failAll(new Error('the engine worker has exited'));
        this.worker = undefined;
        if (this.state === 'unloaded') reject(new Error(`the engine worker exited (code ${code}) before the program loaded`));
        else this.workerLost(`exit code ${code}`);
      });
    });
  }

  private onMessage(m: WorkerMessage): void {
    if (m.kind === 'response') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
      return;
    }
    if (m.kind !== 'event') return;
    if (m.name === 'stopped') {
      this.state = 'stopped';
      this.emit('stopped', m.args[0] as StoppedEvent);
    } else if (m.name === 'exited') {
      this.state = 'exited';
      this.emit('exited', m.args[0] as number);
    } else if (m.name === 'output') {
      this.emit('output', m.args[0] as string, m.args[1] as 'stdout' | 'stderr' | 'console');
    } else if (m.name === 'trap') {
      this.emit('trap', m.args[0] as Parameters<SessionEvents['trap']>[0]);
    }
  }

  /**
   * The worker died without the program ending (out of memory, a crash in the engine): the user
   * gets a trap event saying so and an exit, never a session that stays "running" forever.
   */
  private workerLost(reason: string): void {
    if (this.state === 'exited') return;
    this.state = 'exited';
    this.emit('trap', { kind: 'host', message: `the engine worker stopped unexpectedly (${reason})`, backtrace: [] });
    this.emit('exited', 1);
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** One request at a time through the channel; a running worker is made to look by arming every probe. */
  private request<T>(method: string, params: unknown[] = [], resumes = false): Promise<T> {
    const run = async (): Promise<T> => {
      if (!this.worker || this.state === 'unloaded') throw new Error('no program is loaded');
      const id = this.nextId++;
      const response = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
      this.channel.send({ id, method, params });
      if (this.state === 'running') this.flags?.fill(1);
      if (resumes) this.state = 'running';
      return (await response) as T;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  run(): Promise<void> {
    return this.request('run', [], true);
  }

  startProfile(): Promise<void> {
    return this.request('profileStart');
  }

  stopProfile(): Promise<ProfileResult> {
    return this.request('profileStop');
  }

  continue(): Promise<void> {
    return this.request('continue', [], true);
  }

  step(kind: StepKind): Promise<void> {
    return this.request('step', [kind], true);
  }

  pause(): Promise<void> {
    return this.request('pause');
  }

  setBreakpoints(requests: BreakpointRequest[]): Promise<BreakpointResult[]> {
    return this.request('setBreakpoints', [requests]);
  }

  stackTrace(): Promise<FrameView[]> {
    return this.request('stackTrace');
  }

  scopes(frame: number): Promise<ScopesView> {
    return this.request('scopes', [frame]);
  }

  readMemory(memory: number, address: number, length: number): Promise<Uint8Array> {
    return this.request('readMemory', [memory, address, length]);
  }

  writeMemory(memory: number, address: number, bytes: Uint8Array): Promise<void> {
    return this.request('writeMemory', [memory, address, bytes]);
  }

  memories(): Promise<MemoryView[]> {
    return this.request('memories');
  }

  tables(): Promise<TableView[]> {
    return this.request('tables');
  }

  readTable(table: number, start: number, count: number): Promise<DebugValue[]> {
    return this.request('readTable', [table, start, count]);
  }

  setLocal(frame: number, local: number, text: string): Promise<DebugValue> {
    return this.request('setLocal', [frame, local, text]);
  }

  setGlobal(global: number, text: string): Promise<DebugValue> {
    return this.request('setGlobal', [global, text]);
  }

  evaluate(frame: number, expression: string): Promise<DebugValue> {
    return this.request('evaluate', [frame, expression]);
  }

  /** Ends the worker at once, whatever it is doing (a busy thread is stopped too). */
  async terminate(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    this.state = 'exited';
    if (w) await w.terminate();
  }
}
