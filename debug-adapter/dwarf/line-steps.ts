// Stepping by source line on top of the engine's instruction steps. A plan is made at the stop
// the step starts from; the caller (the adapter's execution loop, or a test) then issues
// `plan.first`, and after every instruction step asks `plan.next(here)` for the next instruction
// step, stopping when it answers undefined. Breakpoints, pauses and traps end a step in the
// caller as usual; the plan only decides about plain step stops.
//
//   over: stay while the pc is in the starting line's code or in functions inlined into it, at the
//         starting depth (instruction step-over already runs calls to completion); returning from
//         the function ends the step in the caller.
//   in:   stay while in the starting line's code; entering a callee with source stops where its
//         prologue ends (its first statement, as gdb), entering one without (no DWARF line, or a file not on this machine, such
//         as libc's) steps back out of it.
//   out:  out of an inlined function: step over until the pc leaves its code; otherwise one
//         instruction step-out, which stops just after the call in the caller.
// Instructions with no line (line 0, compiler-generated code) never end a step inside the
// starting frame.
import type { StepKind } from '../../runtime/engine/debug-api.js';
import type { CodeRange, DwarfInfo } from './dwarf-info.js';

export interface StepPosition {
  funcIndex: number;
  /** Absolute byte offset of the instruction about to execute. */
  offset: number;
  /** Number of frames on the stack (the engine's stackTrace length). */
  depth: number;
}

export interface LineStepPlan {
  /** The first instruction step to issue. */
  first: StepKind;
  /** After an instruction step ended at `here`: the next instruction step, or undefined to stop. */
  next(here: StepPosition): Promise<StepKind | undefined>;
}

function inRanges(ranges: readonly CodeRange[], offset: number): boolean {
  return ranges.some((r) => offset >= r.start && offset < r.end);
}

export interface LineStepOptions {
  /**
   * Whether a source file can be shown (default: every file). Stepping in never stops in code
   * whose file cannot be: it steps back out, as over a function without debug information.
   */
  hasSource?: (file: string) => boolean;
}

export async function planLineStep(dwarf: DwarfInfo, kind: StepKind, origin: StepPosition,
  options: LineStepOptions = {}): Promise<LineStepPlan> {
  const hasSource = options.hasSource ?? (() => true);
  const mapped = (offset: number) => {
    const span = dwarf.spanAt(offset);
    return span !== undefined && hasSource(span.file);
  };
  const sameFrame = (here: StepPosition) => here.depth === origin.depth && here.funcIndex === origin.funcIndex;

  if (kind === 'out') {
    const frames = await dwarf.framesAt(origin.offset);
    if (frames.length > 1) {
      const inlined = await dwarf.inlinedFunctionRanges(origin.offset);
      return {
        first: 'over',
        next: async (here) => (sameFrame(here) && inRanges(inlined, here.offset) ? 'over' : undefined),
      };
    }
    return { first: 'out', next: async () => undefined };
  }

  const at = dwarf.spanAt(origin.offset);
  // Without a line at the origin (no DWARF here), a line step is one instruction step.
  if (!at) return { first: kind, next: async () => undefined };
  const own = dwarf.lineRanges(at.file, at.line);
  const stay = kind === 'over' ? [...own, ...await dwarf.inlinedCalleeRanges(origin.offset)] : own;

  return {
    first: kind,
    next: async (here) => {
      if (here.depth < origin.depth) return undefined;
      if (here.depth > origin.depth) {
        if (kind === 'over') return 'out';
        if (!mapped(here.offset)) return 'out';
        // Entered a callee with source: run its prologue (parameters are stored there), then stop.
        const body = dwarf.bodyStart(here.offset);
        return body !== undefined && here.offset < body ? 'over' : undefined;
      }
      if (!sameFrame(here)) return undefined;
      if (inRanges(stay, here.offset)) return kind;
      return mapped(here.offset) ? undefined : kind;
    },
  };
}
