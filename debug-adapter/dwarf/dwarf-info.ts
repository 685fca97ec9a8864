// Source-level view of one module with DWARF: its source files, line ↔ code mapping, (inlined)
// function frames, C values of a stopped frame and watch expressions. Answers come from the symbol
// engine (symbol-engine.ts); this class converts between its coordinates and ours:
//
// - DWARF (and the symbol engine's `codeOffset`) addresses are relative to the start of the code
//   section's payload; ours are absolute byte offsets in the module. `codeSectionOffset` is the
//   difference.
// - Lines and columns are 0-based, as in source-lines.ts (the engine's convention too); the DAP
//   session converts at its boundary.
// - Files are local paths (after `pathMap`), not the build paths DWARF records.
import type { Chrome } from '@vscode/dwarf-debugging/chrome-cxx/mnt/extension-api.js';
import type { StepKind } from '../../runtime/engine/debug-api.js';
import type { Module } from '../../runtime/wasm/types.js';
import { describeValue, type CVariable, type VariableScope } from './c-values.js';
import type { DwarfFrameState } from './frame-state.js';
import { planLineStep, type LineStepPlan, type StepPosition } from './line-steps.js';
import type { SourcePaths } from './source-paths.js';
import type { SymbolEngine } from './symbol-engine.js';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface CodeLocation {
  /** Absolute byte offset of the first instruction of the mapped range. */
  offset: number;
  line: number;
  column: number;
}

export interface CodeRange {
  /** Absolute byte offsets [start, end). */
  start: number;
  end: number;
}

/** One source-level frame at a pc: the function itself, or a function inlined into it. */
export interface InlineFrame {
  /** 0 = innermost (the inlined callee), higher = its callers within the same Wasm function. */
  inlineIndex: number;
  name: string;
  /** Where this frame is: the pc's line for index 0, the inlined call site for the others. */
  location: SourceLocation | undefined;
}

type RawLocation = Chrome.DevTools.RawLocation;
type RemoteObject = Chrome.DevTools.RemoteObject;

function errorText(e: unknown): string {
  // Worker errors arrive as "Error: <message>" strings wrapped in an Error.
  return (e instanceof Error ? e.message : String(e)).replace(/^(Error: )+/, '');
}

export class DwarfInfo {
  /** objectIds handed out during the current stop (released on resume). */
  private readonly liveObjects = new Set<string>();
  private readonly mappedLineCache = new Map<string, Promise<number[]>>();

  constructor(
    private readonly engine: SymbolEngine,
    private readonly moduleId: string,
    private readonly paths: SourcePaths,
    readonly module: Module,
    readonly codeSectionOffset: number,
  ) {}

  private raw(offset: number, inlineIndex = 0): RawLocation {
    return { rawModuleId: this.moduleId, codeOffset: offset - this.codeSectionOffset, inlineFrameIndex: inlineIndex };
  }

  private toRanges(ranges: readonly Chrome.DevTools.RawLocationRange[]): CodeRange[] {
    return ranges.filter((r) => r.rawModuleId === this.moduleId)
      .map((r) => ({ start: this.firstInstructionAt(r.startOffset + this.codeSectionOffset),
        end: r.endOffset + this.codeSectionOffset }))
      .filter((r) => r.start < r.end)
      .sort((a, b) => a.start - b.start);
  }

  /**
   * A function's DWARF address (its low_pc, where its first line row sits) is the start of its
   * body — the size and local declarations — not its first instruction. Breakpoints and ranges
   * must start on an instruction, so offsets in that header move to the first instruction.
   */
  private firstInstructionAt(offset: number): number {
    const funcs = this.module.funcs;
    let lo = 0, hi = funcs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = funcs[mid]!;
      if (offset < f.start) hi = mid - 1;
      else if (offset >= f.end) lo = mid + 1;
      else return offset < f.codeStart ? f.codeStart : offset;
    }
    return offset;
  }

  /** Every source file the DWARF names (local paths after pathMap), including headers and libc's. */
  sourceFiles(): string[] {
    return this.paths.localPaths();
  }

  /** A build path (as DWARF records it) as it is on this machine, by the pathMap rules. */
  remapPath(buildPath: string): string {
    return this.paths.remap(buildPath);
  }

  hasSource(file: string): boolean {
    return this.paths.urlOf(file) !== undefined;
  }

  /** Lines of `file` with code, ascending (0-based). */
  mappedLines(file: string): Promise<number[]> {
    let cached = this.mappedLineCache.get(file);
    if (!cached) {
      const url = this.paths.urlOf(file);
      cached = url === undefined ? Promise.resolve([])
        : this.engine.rpc.sendMessage('getMappedLines', this.moduleId, url)
          .then((lines) => [...new Set((lines ?? []).filter((l) => l >= 0))].sort((a, b) => a - b));
      this.mappedLineCache.set(file, cached);
    }
    return cached;
  }

  /** The code ranges of a line (all columns when `column` is undefined). */
  async lineRanges(file: string, line: number, column?: number): Promise<CodeRange[]> {
    const url = this.paths.urlOf(file);
    if (url === undefined) return [];
    const ranges = await this.engine.rpc.sendMessage('sourceLocationToRawLocation', {
      rawModuleId: this.moduleId, sourceFileURL: url, lineNumber: line, columnNumber: column ?? -1,
    });
    return this.toRanges(ranges);
  }

  /**
   * Where a breakpoint on `line` goes: the start of every code range of that line (lowest offset
   * first — the first one is where a single line breakpoint belongs), or, when the line has no
   * code, of the nearest following line with code (else the nearest preceding one). Each entry
   * says which line it is really on. Empty when the file has no code at all.
   */
  async breakpointLocations(file: string, line: number, column?: number): Promise<CodeLocation[]> {
    const lines = await this.mappedLines(file);
    const target = lines.includes(line) ? line : lines.find((l) => l > line) ?? [...lines].reverse().find((l) => l < line);
    if (target === undefined) return [];
    const ranges = await this.lineRanges(file, target, target === line ? column : undefined);
    const out: CodeLocation[] = [];
    const seen = new Set<number>();
    for (const r of ranges) {
      if (seen.has(r.start)) continue;
      seen.add(r.start);
      const at = await this.locationOf(r.start);
      out.push({ offset: r.start, line: target, column: at && at.line === target ? at.column : 0 });
    }
    return out;
  }

  /** The source position of the instruction at `offset` (in inlined frame `inlineIndex`). */
  async locationOf(offset: number, inlineIndex = 0): Promise<SourceLocation | undefined> {
    const found = await this.engine.rpc.sendMessage('rawLocationToSourceLocation', this.raw(offset, inlineIndex));
    const first = found.find((l) => l.rawModuleId === this.moduleId);
    if (!first || first.lineNumber < 0) return undefined;
    return { file: this.paths.pathOf(first.sourceFileURL), line: first.lineNumber, column: Math.max(0, first.columnNumber) };
  }

  /**
   * The source-level frames at a pc, innermost first: one per function inlined at this pc, then the
   * Wasm function itself. Each has the position in that frame. Empty when DWARF knows no function.
   */
  async framesAt(offset: number): Promise<InlineFrame[]> {
    const info = await this.engine.rpc.sendMessage('getFunctionInfo', this.raw(offset));
    const names = 'frames' in info ? info.frames : [];
    return Promise.all(names.map(async (f, inlineIndex) => ({
      inlineIndex, name: f.name, location: await this.locationOf(offset, inlineIndex),
    })));
  }

  /** Code of the inlined function the pc is in (stepping out of it ends when the pc leaves these). */
  async inlinedFunctionRanges(offset: number): Promise<CodeRange[]> {
    return this.toRanges(await this.engine.rpc.sendMessage('getInlinedFunctionRanges', this.raw(offset)));
  }

  /** Code of the functions inlined into the pc's (inline) function (stepping over skips them). */
  async inlinedCalleeRanges(offset: number): Promise<CodeRange[]> {
    return this.toRanges(await this.engine.rpc.sendMessage('getInlinedCalleesRanges', this.raw(offset)));
  }

  /**
   * How to step by source line from `origin` (see line-steps.ts): the engine steps by instruction,
   * and the plan says after each instruction step whether to go on.
   */
  planStep(kind: StepKind, origin: StepPosition): Promise<LineStepPlan> {
    return planLineStep(this, kind, origin);
  }

  /**
   * The C/C++ variables visible in `frame` (inline frame `inlineIndex`): parameters, locals and
   * globals, each evaluated to its value. A variable that cannot be read shows why as its value.
   */
  async variables(frame: DwarfFrameState, inlineIndex = 0, scopes?: readonly VariableScope[]): Promise<CVariable[]> {
    const location = this.raw(frame.offset, inlineIndex);
    const listed = await this.engine.rpc.sendMessage('listVariablesInScope', location);
    const order: Record<string, number> = { PARAMETER: 0, LOCAL: 1, GLOBAL: 2 };
    const wanted = listed.map((v) => ({ v, scope: scopeOf(v.scope) }))
      .filter(({ scope }) => !scopes || scopes.includes(scope))
      .sort((a, b) => (order[a.v.scope] ?? 3) - (order[b.v.scope] ?? 3));
    const out: CVariable[] = [];
    for (const { v, scope } of wanted) {
      try {
        const obj = await this.engine.rpc.sendMessage('evaluate', v.name, location, this.engine.stopIdFor(frame));
        out.push(obj ? await this.describe(v.name, obj, v.type, scope)
          : { name: v.name, type: v.type, value: '<not available here>', scope });
      } catch (e) {
        out.push({ name: v.name, type: v.type, value: `<${errorText(e)}>`, scope });
      }
    }
    return out;
  }

  /** Members of a struct/union/class, elements of an array, or the pointee of a pointer. */
  async children(handle: string): Promise<CVariable[]> {
    if (!this.liveObjects.has(handle)) throw new Error('this value is no longer available (the program has resumed)');
    const props = await this.engine.rpc.sendMessage('getProperties', handle);
    const out: CVariable[] = [];
    for (const p of props) out.push(await this.describe(p.name, p.value, undefined, 'member'));
    return out;
  }

  /** A C/C++ expression (watch, hover, Debug Console) in `frame`; throws with the reason. */
  async evaluate(frame: DwarfFrameState, expression: string, inlineIndex = 0): Promise<CVariable> {
    let obj: RemoteObject | null;
    try {
      obj = await this.engine.rpc.sendMessage('evaluate', expression, this.raw(frame.offset, inlineIndex),
        this.engine.stopIdFor(frame));
    } catch (e) {
      throw new Error(errorText(e));
    }
    if (!obj) throw new Error(`cannot evaluate "${expression}" here`);
    return this.describe(expression, obj, undefined, 'expression');
  }

  private async describe(name: string, obj: RemoteObject, type: string | undefined,
    scope: VariableScope): Promise<CVariable> {
    if (obj.objectId) this.liveObjects.add(obj.objectId);
    const peek = async (id: string) => {
      const props = await this.engine.rpc.sendMessage('getProperties', id);
      for (const p of props) if (p.value.objectId) this.liveObjects.add(p.value.objectId);
      return props;
    };
    return describeValue(name, obj, type, scope, peek);
  }

  /**
   * The program resumed: frame states and value handles of the last stop are invalid. Releases
   * the symbol engine's objects so a long session does not accumulate them.
   */
  resumed(): void {
    this.engine.forgetFrames();
    const ids = [...this.liveObjects];
    this.liveObjects.clear();
    for (const id of ids) void this.engine.rpc.sendMessage('releaseObject', id).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.liveObjects.clear();
    await this.engine.rpc.sendMessage('removeRawModule', this.moduleId).catch(() => undefined);
    await this.engine.dispose();
  }
}

function scopeOf(s: string): VariableScope {
  return s === 'PARAMETER' ? 'parameter' : s === 'GLOBAL' ? 'global' : 'local';
}
