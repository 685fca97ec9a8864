// The DWARF symbol engine: @vscode/dwarf-debugging (Chrome's C/C++ DevTools extension — LLDB's
// DWARF reader and an expression evaluator compiled to Wasm — running in a Node worker thread, the
// same engine js-debug uses). Loaded lazily: its backend is a ~58 MB Wasm module that takes about
// a second to start, which only programs that carry DWARF should pay for.
//
// While it evaluates, the worker blocks on a SharedArrayBuffer and asks this thread for Wasm
// state (locals, globals, operand stack, memory) tagged with a stop id. Those requests are
// answered from the DwarfFrameState registered under that id, so every answer is the real state
// of the paused engine and nothing is cached across resumes.
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AsyncHostInterface, IWasmWorker } from '@vscode/dwarf-debugging';
import type { WasmValue } from '@vscode/dwarf-debugging/chrome-cxx/mnt/extension/WasmTypes.js';
import type { DwarfFrameState } from './frame-state.js';
import { toSymbolEngineValue } from './wasm-value.js';

export type DwarfLog = (message: string) => void;
export type SymbolWorker = IWasmWorker['rpc'];

type SpawnFunction = (host: AsyncHostInterface) => IWasmWorker;

/**
 * The package to load: a name resolved from this file, or a path/URL to its dist/index.js (set
 * WASMSCOPE_DWARF_ENGINE when it is installed elsewhere, e.g. beside a bundled adapter).
 */
const SYMBOL_ENGINE_PACKAGE: string = specifier(process.env['WASMSCOPE_DWARF_ENGINE'] ?? '@vscode/dwarf-debugging');

function specifier(nameOrPath: string): string {
  return isAbsolute(nameOrPath) ? pathToFileURL(nameOrPath).href : nameOrPath;
}

let packagePromise: Promise<SpawnFunction | undefined> | undefined;

/** Imports the package once per process; undefined (with a log line) when it is not installed. */
function loadPackage(log: DwarfLog): Promise<SpawnFunction | undefined> {
  packagePromise ??= (async () => {
    const started = Date.now();
    try {
      // Not a literal specifier, so bundlers leave the package out: it finds its worker and its
      // 58 MB backend next to its own files, which a bundle would not have. A CommonJS package:
      // its namespace has `spawn` directly or under `default`.
      type PackageModule = { spawn?: SpawnFunction; default?: { spawn?: SpawnFunction } };
      const mod = await import(SYMBOL_ENGINE_PACKAGE).catch(async (e: unknown) => {
        // Bundled (dist/), a copy of the package's dist/ may sit beside the bundle.
        const beside = new URL('./dwarf-debugging/index.js', import.meta.url);
        if (!existsSync(beside)) throw e;
        return import(beside.href);
      }) as PackageModule;
      const spawn = mod.spawn ?? mod.default?.spawn;
      if (!spawn) throw new Error('the package has no spawn()');
      log(`DWARF: loaded the symbol engine (@vscode/dwarf-debugging) in ${Date.now() - started} ms`);
      return spawn;
    } catch (e) {
      log(`DWARF: the symbol engine @vscode/dwarf-debugging is unavailable (${(e as Error).message}); ` +
        'C/C++/Rust sources cannot be shown, falling back to the Wasm disassembly');
      return undefined;
    }
  })();
  return packagePromise;
}

/**
 * A failed host request must not throw here: the package rethrows host errors on this thread as
 * an unhandled rejection (which would end the adapter). An empty buffer is its "failed" signal
 * (-1), so the evaluation fails inside the worker and comes back as an evaluation error instead.
 */
const FAILED = new ArrayBuffer(0);

/** One worker, and the frames it may currently read. */
export class SymbolEngine {
  private readonly frames = new Map<string, DwarfFrameState>();
  /**
   * Why the last host request failed. The symbol engine reports such failures only as opaque
   * errors ("Invalid primitive wasm type"), so the reason is kept here for the error message.
   */
  failure: string | undefined;
  private readonly ids = new WeakMap<DwarfFrameState, string>();
  private nextStop = 1;

  private constructor(private readonly worker: IWasmWorker, readonly log: DwarfLog) {}

  static async start(log: DwarfLog): Promise<SymbolEngine | undefined> {
    const spawn = await loadPackage(log);
    if (!spawn) return undefined;
    let engine: SymbolEngine | undefined;
    const frame = (stopId: unknown): DwarfFrameState | undefined => engine?.frames.get(String(stopId));
    const failed = (reason: string): ArrayBuffer => {
      if (engine) engine.failure = reason;
      return FAILED;
    };
    const value = async (what: string, pick: (f: DwarfFrameState) => Parameters<typeof toSymbolEngineValue>[0] | undefined,
      stopId: unknown): Promise<WasmValue> => {
      const f = frame(stopId);
      let reason = f ? `${what} does not exist in this frame` : 'the program is no longer stopped there';
      try {
        const v = f ? pick(f) : undefined;
        if (v) return toSymbolEngineValue(v);
      } catch (e) {
        reason = `${what}: ${(e as Error).message}`;
      }
      // The failure signal is a buffer, not a WasmValue (see FAILED); the package accepts both.
      return failed(reason) as unknown as WasmValue;
    };
    const host: AsyncHostInterface = {
      getWasmLocal: (index, stopId) => value(`Wasm local ${index}`, (f) => f.locals[index], stopId),
      getWasmGlobal: (index, stopId) => value(`Wasm global ${index}`, (f) => f.globals[index], stopId),
      getWasmOp: (index, stopId) => value(`operand stack slot ${index}`, (f) => f.stack[index], stopId),
      getWasmLinearMemory: async (offset, length, stopId) => {
        const f = frame(stopId);
        if (!f) return failed('the program is no longer stopped there');
        if (length <= 0) return failed(`cannot read ${length} bytes of memory`);
        try {
          const bytes = await f.readMemory(offset, length);
          return bytes.slice().buffer;
        } catch (e) {
          return failed(`cannot read memory at 0x${offset.toString(16)}: ${(e as Error).message}`);
        }
      },
    };
    const worker = spawn(host);
    engine = new SymbolEngine(worker, log);
    await worker.rpc.sendMessage('hello', [], false);
    return engine;
  }

  get rpc(): SymbolWorker {
    return this.worker.rpc;
  }

  /** The stop id under which the symbol engine reads `frame` (stable for the same object). */
  stopIdFor(frame: DwarfFrameState): string {
    let id = this.ids.get(frame);
    if (!id) {
      id = `stop${this.nextStop++}`;
      this.ids.set(frame, id);
      this.frames.set(id, frame);
    }
    return id;
  }

  /** Runs one request and, when it fails after a host request failed, reports that reason. */
  async explain<T>(request: () => Promise<T>): Promise<T> {
    this.failure = undefined;
    try {
      return await request();
    } catch (e) {
      const reason = this.failure;
      this.failure = undefined;
      // The evaluator's messages carry the expression and a caret on further lines: one line is
      // what a hover or watch can show ("<expr>:1:9: member function calls are not supported").
      const message = (e instanceof Error ? e.message : String(e)).replace(/^((Eval)?Error: )+/, '').split('\n')[0]!;
      throw new Error(reason ?? message);
    }
  }

  /** The program resumed: no frame state of the last stop may be read any more. */
  forgetFrames(): void {
    this.frames.clear();
  }

  async dispose(): Promise<void> {
    this.frames.clear();
    await this.worker.dispose();
  }
}
