// The program state at a stop, as the adapter reads it: locals and globals named the way the
// user wrote them (WAT `$ids` via the name section, else `local.N` / `global.N`, which the
// expression language also accepts), with the engine's scopes fetched once per frame per stop.
import type { DebugValue, EngineSessionApi, ScopesView } from '../runtime/engine/debug-api.js';
import type { Module } from '../runtime/wasm/types.js';
import type { EvalContext } from './evaluator.js';
import { retype, StackTypes } from './stack-types.js';

export interface NamedValue {
  name: string;
  index: number;
  value: DebugValue;
}

export function localDisplayName(m: Module, funcIndex: number, index: number): string {
  const name = m.names.locals.get(funcIndex)?.get(index);
  return name !== undefined ? `$${name}` : `local.${index}`;
}

export function globalDisplayName(m: Module, index: number): string {
  const name = m.names.globals.get(index);
  return name !== undefined ? `$${name}` : `global.${index}`;
}

function matches(display: string, ref: string): boolean {
  return display === ref || display === `$${ref}`;
}

/** Caches the engine's scope views for the current stop; `clear()` on resume. */
export class StopState {
  private readonly scopes = new Map<number, Promise<ScopesView>>();
  /**
   * Locals changed by setVariable during this stop. The engine writes them back into the frame
   * when it resumes, but its scope views are snapshots taken at the stop, so until then the
   * adapter shows the value the engine confirmed.
   */
  private readonly changedLocals = new Map<string, DebugValue>();

  private readonly stackTypes: StackTypes;

  constructor(private readonly engine: EngineSessionApi, private readonly module: Module) {
    this.stackTypes = new StackTypes(module);
  }

  clear(): void {
    this.scopes.clear();
    this.changedLocals.clear();
  }

  localChanged(frame: number, index: number, value: DebugValue): void {
    this.changedLocals.set(`${frame}:${index}`, value);
  }

  /** Forget the fetched values (after setVariable or writeMemory changed the program state). */
  invalidate(): void {
    this.scopes.clear();
  }

  view(frame: number): Promise<ScopesView> {
    let p = this.scopes.get(frame);
    if (!p) {
      p = this.engine.scopes(frame);
      this.scopes.set(frame, p);
      p.catch(() => this.scopes.delete(frame));
    }
    return p;
  }

  async locals(frame: number, funcIndex: number): Promise<NamedValue[]> {
    const view = await this.view(frame);
    return view.locals.map((l, index) => ({ name: localDisplayName(this.module, funcIndex, index), index,
      value: this.changedLocals.get(`${frame}:${index}`) ?? l.value }));
  }

  /**
   * The operand stack of a frame (bottom first), each slot in its static type; for a caller, the
   * values below the arguments of the call in progress.
   */
  async stack(frame: number, funcIndex: number, offset: number): Promise<NamedValue[]> {
    const view = await this.view(frame);
    const types = this.stackTypes.at(funcIndex, offset);
    // The engine's stack has exactly the validator's height at an instruction boundary; a caller's
    // (offset = its call) is what lies below the call's arguments, the bottom of the validator's.
    const typed = types && (types.length === view.stack.length || (frame > 0 && types.length > view.stack.length))
      ? types : undefined;
    return view.stack.map((s, index) => ({ name: `[${index}]`, index, value: retype(s.value, typed?.[index]) }));
  }

  async globals(): Promise<NamedValue[]> {
    const view = await this.view(0);
    return view.globals.map((g, index) => ({ name: globalDisplayName(this.module, index), index, value: g.value }));
  }

  /** The evaluator's view of one frame. */
  evalContext(frame: number, funcIndex: number): EvalContext {
    return {
      local: async (ref) => {
        const locals = await this.locals(frame, funcIndex);
        return (typeof ref === 'number' ? locals[ref] : locals.find((l) => matches(l.name, ref)))?.value;
      },
      global: async (ref) => {
        const globals = await this.globals();
        return (typeof ref === 'number' ? globals[ref] : globals.find((g) => matches(g.name, ref)))?.value;
      },
      readMemory: async (address, length) => {
        const bytes = await this.engine.readMemory(0, address, length);
        // The engine clamps reads at the end of memory; a short read is out of bounds here.
        if (bytes.length !== length) {
          throw new Error(`out of bounds memory access: ${length} bytes at ${address} (memory has fewer)`);
        }
        return bytes;
      },
    };
  }
}
