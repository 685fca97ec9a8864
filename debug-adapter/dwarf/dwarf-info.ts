// Source-level view of one module with DWARF: its source files, line ↔ code mapping, (inlined)
// function frames, C values of a stopped frame and watch expressions.
//
// Two sources answer, each for what it does best:
// - the line table (line-table.ts, decoded here from .debug_line, synchronous and complete) for
//   every line question: the adapter's SourceProvider seam is synchronous, and a table read in
//   milliseconds scales to large programs where thousands of worker round trips would not;
// - the symbol engine (symbol-engine.ts, @vscode/dwarf-debugging) for inlined frames, variables,
//   types and expressions. Without it (package missing) lines still work and values say why not.
//
// Coordinates: absolute module offsets (DWARF addresses are code-section relative;
// `codeSectionOffset` is the difference), 0-based lines and columns as in source-lines.ts, and
// local file paths (after `pathMap`).
import type { Chrome } from '@vscode/dwarf-debugging/chrome-cxx/mnt/extension-api.js';
import type { StepKind } from '../../runtime/engine/debug-api.js';
import type { Module } from '../../runtime/wasm/types.js';
import { describeValue, type CVariable, type VariableScope } from './c-values.js';
import { firstInstructionAt, functionContaining } from './code-layout.js';
import type { DwarfFrameState } from './frame-state.js';
import type { LineSpan, LineTable } from './line-table.js';
import { planLineStep, type LineStepOptions, type LineStepPlan, type StepPosition } from './line-steps.js';
import type { SourcePaths } from './source-paths.js';
import type { SymbolEngine } from './symbol-engine.js';
import { demangle } from '../../runtime/wasm/demangle.js';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface BreakpointSite {
  /** Absolute byte offset of the first instruction of the mapped code. */
  offset: number;
  funcIndex: number;
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

const NO_SYMBOL_ENGINE = 'C/C++/Rust values need the symbol engine @vscode/dwarf-debugging, which is not available';

function errorText(e: unknown): string {
  // Worker errors arrive as "Error: <message>" strings wrapped in an Error.
  return (e instanceof Error ? e.message : String(e)).replace(/^(Error: )+/, '');
}

export class DwarfInfo {
  /** objectIds handed out during the current stop (released on resume). */
  private readonly liveObjects = new Set<string>();
  /** Set once the symbol engine is ready (it loads in the background; see load.ts). */
  private engine: SymbolEngine | undefined;
  private engineMissing = false;

  constructor(
    readonly module: Module,
    readonly codeSectionOffset: number,
    readonly lines: LineTable,
    private readonly paths: SourcePaths,
    /** The symbol engine with this module loaded, or undefined when it is unavailable. */
    private readonly enginePromise: Promise<SymbolEngine | undefined>,
    private readonly moduleId: string,
  ) {
    void enginePromise.then((e) => {
      this.engine = e;
      this.engineMissing = e === undefined;
    });
  }

  /**
   * Whether variables, expressions and inlined frames can be had: true while the symbol engine
   * loads and once it runs, false once it is known to be unavailable.
   */
  get hasSymbolEngine(): boolean {
    return !this.engineMissing;
  }

  /** Resolves when the symbol engine is ready (true) or known to be unavailable (false). */
  async symbolEngineReady(): Promise<boolean> {
    return (await this.enginePromise) !== undefined;
  }

  private async requireEngine(): Promise<SymbolEngine> {
    const engine = await this.enginePromise;
    if (!engine) throw new Error(NO_SYMBOL_ENGINE);
    return engine;
  }

  private raw(offset: number, inlineIndex = 0): RawLocation {
    return { rawModuleId: this.moduleId, codeOffset: offset - this.codeSectionOffset, inlineFrameIndex: inlineIndex };
  }

  private toRanges(ranges: readonly Chrome.DevTools.RawLocationRange[]): CodeRange[] {
    return ranges.filter((r) => r.rawModuleId === this.moduleId)
      .map((r) => ({ start: firstInstructionAt(this.module, r.startOffset + this.codeSectionOffset),
        end: r.endOffset + this.codeSectionOffset }))
      .filter((r) => r.start < r.end)
      .sort((a, b) => a.start - b.start);
  }

  /** Source files with code (local paths after pathMap), then files the DWARF names without code (headers). */
  sourceFiles(): string[] {
    const withCode = this.lines.files();
    const seen = new Set(withCode);
    return [...withCode, ...this.paths.localPaths().filter((p) => !seen.has(p))];
  }

  /** A path as DWARF records it, as it is on this machine (relative paths against the module's directory, then pathMap). */
  remapPath(buildPath: string): string {
    return this.paths.localPath(buildPath);
  }

  hasSource(file: string): boolean {
    return this.lines.hasFile(file);
  }

  /** Lines of `file` with code, ascending (0-based). */
  mappedLines(file: string): number[] {
    return this.lines.linesOf(file);
  }

  /** The code of a line, as instruction-aligned ranges in offset order (at `column` only, when given). */
  lineRanges(file: string, line: number, column?: number): CodeRange[] {
    return this.lines.spansOn(file, line)
      .filter((s) => column === undefined || s.column === column)
      .map((s) => ({ start: firstInstructionAt(this.module, s.start), end: s.end }))
      .filter((r) => r.start < r.end);
  }

  /**
   * Where a breakpoint on `line` (at `column`, if given) goes: the start of each stretch of that
   * line's code, in offset order — the first is where a single line breakpoint belongs; DWARF's
   * recommended positions (is_stmt) are preferred. A line without code moves to the nearest
   * following line with code (else the nearest preceding one); each entry says which line it is
   * really on. Empty when the file has no code.
   */
  breakpointLocations(file: string, line: number, column?: number): BreakpointSite[] {
    const lines = this.lines.linesOf(file);
    const target = lines.includes(line) ? line : lines.find((l) => l > line) ?? [...lines].reverse().find((l) => l < line);
    if (target === undefined) return [];
    let spans = this.lines.spansOn(file, target);
    if (column !== undefined && target === line) {
      const at = spans.filter((s) => s.column === column);
      const after = spans.filter((s) => s.column > column).sort((a, b) => a.column - b.column)[0];
      spans = at.length > 0 ? at : after ? spans.filter((s) => s.column === after.column) : spans;
    }
    const stmts = spans.filter((s) => s.isStmt);
    const chosen = stmts.length > 0 ? stmts : spans;
    const out: BreakpointSite[] = [];
    let previousEnd = -1;
    for (const s of chosen) {
      // Consecutive spans of the same line are one stretch of code: one location for it.
      if (s.start === previousEnd) { previousEnd = s.end; continue; }
      previousEnd = s.end;
      const offset = firstInstructionAt(this.module, s.start);
      const fn = functionContaining(this.module, offset);
      if (!fn) continue;
      out.push({ offset, funcIndex: fn.funcIndex, line: target, column: s.column });
    }
    return out;
  }

  /**
   * Where a stop "in" the function containing `offset` belongs: its first instruction after the
   * prologue (see LineTable.bodyStart), on an instruction boundary. Undefined without lines there.
   */
  bodyStart(offset: number): number | undefined {
    const fn = functionContaining(this.module, offset);
    if (!fn) return undefined;
    const at = this.lines.bodyStart(fn.func.start, fn.func.end);
    if (at === undefined) return undefined;
    const instr = fn.func.body.find((i) => i.offset >= at);
    return instr?.offset;
  }

  /** The line-table entry of the code at `offset` (undefined where the compiler recorded no line). */
  spanAt(offset: number): LineSpan | undefined {
    return this.lines.at(offset);
  }

  /**
   * The source position of the instruction at `offset`: the innermost (possibly inlined) code's
   * line. With `inlineIndex` > 0, the call site of that inlined frame (needs the symbol engine).
   */
  async locationOf(offset: number, inlineIndex = 0): Promise<SourceLocation | undefined> {
    if (inlineIndex === 0) {
      const s = this.lines.at(offset);
      return s && { file: s.file, line: s.line, column: s.column };
    }
    const engine = await this.enginePromise;
    return engine ? this.engineLocation(engine, offset, inlineIndex) : undefined;
  }

  private async engineLocation(engine: SymbolEngine, offset: number, inlineIndex: number): Promise<SourceLocation | undefined> {
    const found = await engine.rpc.sendMessage('rawLocationToSourceLocation', this.raw(offset, inlineIndex));
    const first = found.find((l) => l.rawModuleId === this.moduleId);
    if (!first || first.lineNumber < 0) return undefined;
    return { file: this.paths.pathOf(first.sourceFileURL), line: first.lineNumber, column: Math.max(0, first.columnNumber) };
  }

  /** The symbol engine's own answer for the innermost line at `offset` (to cross-check the line table). */
  async symbolEngineLocationOf(offset: number): Promise<SourceLocation | undefined> {
    return this.engineLocation(await this.requireEngine(), offset, 0);
  }

  /**
   * The source-level frames at a pc, innermost first: one per function inlined at this pc, then the
   * Wasm function itself, each with its position. Empty when DWARF knows no function here (or
   * without the symbol engine).
   */
  async framesAt(offset: number): Promise<InlineFrame[]> {
    const engine = await this.enginePromise;
    if (!engine) return [];
    const info = await engine.rpc.sendMessage('getFunctionInfo', this.raw(offset));
    const names = 'frames' in info ? info.frames : [];
    return Promise.all(names.map(async (f, inlineIndex) => ({
      // Rust's inlined functions come as escaped linkage paths (`_$LT$impl$u20$…::h<hash>`).
      inlineIndex, name: demangle(f.name), location: await this.locationOf(offset, inlineIndex),
    })));
  }

  /** Code of the inlined function the pc is in (stepping out of it ends when the pc leaves these). */
  async inlinedFunctionRanges(offset: number): Promise<CodeRange[]> {
    const engine = await this.enginePromise;
    return engine ? this.toRanges(await engine.rpc.sendMessage('getInlinedFunctionRanges', this.raw(offset))) : [];
  }

  /** Code of the functions inlined into the pc's (inline) function (stepping over skips them). */
  async inlinedCalleeRanges(offset: number): Promise<CodeRange[]> {
    const engine = await this.enginePromise;
    return engine ? this.toRanges(await engine.rpc.sendMessage('getInlinedCalleesRanges', this.raw(offset))) : [];
  }

  /**
   * How to step by source line from `origin` (see line-steps.ts): the engine steps by instruction,
   * and the plan says after each instruction step whether to go on.
   */
  planStep(kind: StepKind, origin: StepPosition, options?: LineStepOptions): Promise<LineStepPlan> {
    return planLineStep(this, kind, origin, options);
  }

  /**
   * The C/C++ variables visible in `frame` (inline frame `inlineIndex`): parameters, locals and
   * globals (or only `scopes`), each evaluated. A variable that cannot be read shows why as its value.
   */
  async variables(frame: DwarfFrameState, inlineIndex = 0, scopes?: readonly VariableScope[]): Promise<CVariable[]> {
    const engine = await this.requireEngine();
    const location = this.raw(frame.offset, inlineIndex);
    const listed = await engine.rpc.sendMessage('listVariablesInScope', location);
    const order: Record<string, number> = { PARAMETER: 0, LOCAL: 1, GLOBAL: 2 };
    const wanted = listed.map((v) => ({ v, scope: scopeOf(v.scope) }))
      .filter(({ scope }) => !scopes || scopes.includes(scope))
      .sort((a, b) => (order[a.v.scope] ?? 3) - (order[b.v.scope] ?? 3));
    const out: CVariable[] = [];
    for (const { v, scope } of wanted) {
      try {
        const obj = await engine.explain(() => engine.rpc.sendMessage('evaluate', v.name, location, engine.stopIdFor(frame)));
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
    const engine = await this.requireEngine();
    if (!this.liveObjects.has(handle)) throw new Error('this value is no longer available (the program has resumed)');
    const props = await engine.explain(() => engine.rpc.sendMessage('getProperties', handle));
    const out: CVariable[] = [];
    for (const p of props) out.push(await this.describe(p.name, p.value, undefined, 'member'));
    return out;
  }

  /** A C/C++ expression (watch, hover, Debug Console) in `frame`; throws with the reason. */
  async evaluate(frame: DwarfFrameState, expression: string, inlineIndex = 0): Promise<CVariable> {
    const engine = await this.requireEngine();
    let obj: RemoteObject | null;
    try {
      obj = await engine.explain(() => engine.rpc.sendMessage('evaluate', expression, this.raw(frame.offset, inlineIndex),
        engine.stopIdFor(frame)));
    } catch (e) {
      throw new Error(errorText(e));
    }
    if (!obj) throw new Error(`cannot evaluate "${expression}" here`);
    return this.describe(expression, obj, undefined, 'expression');
  }

  private async describe(name: string, obj: RemoteObject, type: string | undefined,
    scope: VariableScope): Promise<CVariable> {
    const engine = await this.requireEngine();
    if (obj.objectId) this.liveObjects.add(obj.objectId);
    const peek = async (id: string) => {
      const props = await engine.rpc.sendMessage('getProperties', id);
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
    // Before the engine is ready no frame was registered with it and no object handed out.
    const engine = this.engine;
    if (!engine) return;
    engine.forgetFrames();
    const ids = [...this.liveObjects];
    this.liveObjects.clear();
    for (const id of ids) void engine.rpc.sendMessage('releaseObject', id).catch(() => undefined);
  }

  async dispose(): Promise<void> {
    this.liveObjects.clear();
    const engine = await this.enginePromise;
    if (!engine) return;
    await engine.rpc.sendMessage('removeRawModule', this.moduleId).catch(() => undefined);
    await engine.dispose();
  }
}

function scopeOf(s: string): VariableScope {
  return s === 'PARAMETER' ? 'parameter' : s === 'GLOBAL' ? 'global' : 'local';
}
