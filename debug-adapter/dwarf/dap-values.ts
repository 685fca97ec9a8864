// C values in Debug Adapter Protocol form, for the adapter's scopes/variables/evaluate requests
// at frames whose code has DWARF lines: a "Locals" scope (parameters, then locals) and a
// "Globals" scope of C variables, expandable structs/arrays/pointers, and C expressions for
// watch, hover and the Debug Console. References live in their own numbered range so the
// adapter's Wasm-level references and these never collide; all die on `resumed()`.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { EngineSessionApi } from '../../runtime/engine/debug-api.js';
import type { CVariable } from './c-values.js';
import type { DwarfInfo } from './dwarf-info.js';
import { frameStateFromSession, type DwarfFrameState } from './frame-state.js';
import { memoryReference } from '../memory-access.js';

type Container =
  | { kind: 'scope'; frame: number; scopes: ('parameter' | 'local' | 'global')[] }
  | { kind: 'children'; handle: string };

/** First reference number handed out: far above the adapter's own (which start at 1 and 1000). */
export const DWARF_REFERENCE_BASE = 1_000_000_000;

export class DwarfDapValues {
  private readonly refs = new Map<number, Container>();
  private nextRef: number;
  private readonly frames = new Map<number, Promise<DwarfFrameState>>();

  constructor(private readonly dwarf: DwarfInfo, private readonly engine: EngineSessionApi,
    firstReference = DWARF_REFERENCE_BASE) {
    this.nextRef = firstReference;
  }

  /** Whether a frame at `offset` is C/C++/Rust code (then these scopes replace the Wasm ones). */
  appliesTo(offset: number): boolean {
    return this.dwarf.hasSymbolEngine && this.dwarf.spanAt(offset) !== undefined;
  }

  owns(reference: number): boolean {
    return this.refs.has(reference);
  }

  private create(c: Container): number {
    const id = this.nextRef++;
    this.refs.set(id, c);
    return id;
  }

  private frame(index: number): Promise<DwarfFrameState> {
    let f = this.frames.get(index);
    if (!f) {
      f = frameStateFromSession(this.engine, index);
      this.frames.set(index, f);
      f.catch(() => this.frames.delete(index));
    }
    return f;
  }

  scopes(frame: number): DebugProtocol.Scope[] {
    return [
      { name: 'Locals', presentationHint: 'locals', expensive: false,
        variablesReference: this.create({ kind: 'scope', frame, scopes: ['parameter', 'local'] }) },
      { name: 'Globals', expensive: false,
        variablesReference: this.create({ kind: 'scope', frame, scopes: ['global'] }) },
    ];
  }

  async variables(reference: number, start = 0, count?: number): Promise<DebugProtocol.Variable[]> {
    const c = this.refs.get(reference);
    if (!c) throw new Error(`unknown or stale variables reference ${reference}`);
    const list = c.kind === 'scope'
      ? await this.dwarf.variables(await this.frame(c.frame), 0, c.scopes)
      : await this.dwarf.children(c.handle);
    return list.slice(start, count ? start + count : undefined).map((v) => this.toDap(v, c.kind === 'scope'));
  }

  /** A C expression in frame `frame`; throws with the symbol engine's reason when it cannot. */
  async evaluate(frame: number, expression: string): Promise<{ result: string; type?: string; variablesReference: number; memoryReference?: string }> {
    const v = await this.dwarf.evaluate(await this.frame(frame), expression);
    const dap = this.toDap(v, false);
    return { result: dap.value, ...(dap.type ? { type: dap.type } : {}), variablesReference: dap.variablesReference,
      ...(dap.memoryReference ? { memoryReference: dap.memoryReference } : {}) };
  }

  private toDap(v: CVariable, evaluable: boolean): DebugProtocol.Variable {
    return {
      name: v.name, value: v.value, ...(v.type ? { type: v.type } : {}),
      variablesReference: v.children ? this.create({ kind: 'children', handle: v.children }) : 0,
      ...(evaluable ? { evaluateName: v.name } : {}),
      // C variables in linear memory open in the memory view at their own bytes.
      ...(v.memoryAddress !== undefined ? { memoryReference: memoryReference(0, v.memoryAddress) } : {}),
      ...(v.scope === 'parameter' || v.scope === 'local' || v.scope === 'global'
        ? { presentationHint: { kind: 'data' } } : {}),
    };
  }

  /** The program resumed: every reference and frame state of the last stop is gone. */
  resumed(): void {
    this.refs.clear();
    this.frames.clear();
    this.dwarf.resumed();
  }
}
