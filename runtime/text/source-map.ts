// Queries over the assembler's source map, shared by the debugger (breakpoints on WAT lines,
// stopped-at ranges) and checkText (validator errors on text).
import type { LineIndex, Range, Span } from './diagnostics.js';
import type { InstrMapping, SourceMap } from './assembler.js';
import { floorInstr } from './instr-map.js';

/** The greatest entry with offset <= `offset` in a list sorted by offset. */
function floorEntry<T extends { offset: number }>(list: readonly T[], offset: number): T | undefined {
  let lo = 0, hi = list.length - 1, found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.offset <= offset) {
      found = list[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * floorEntry over the instructions, answered from the columns when the map has them so that a
 * lookup (one per validation error) does not build an object per instruction.
 */
function floorInstrMapping(map: SourceMap, offset: number): InstrMapping | undefined {
  const columns = map.instrColumns;
  if (!columns) return floorEntry(map.instrs, offset);
  const i = floorInstr(columns, offset);
  return i < 0 ? undefined : { offset: columns.offsets[i]!, span: { start: columns.starts[i]!, end: columns.ends[i]! }, funcIndex: columns.funcIndices[i]! };
}

/** The text span that produced the byte at `offset`: an instruction, else a section entry. */
export function spanForOffset(map: SourceMap, offset: number): Span | undefined {
  const instr = floorInstrMapping(map, offset);
  const entry = floorEntry(map.entries, offset);
  if (instr && (!entry || instr.offset >= entry.offset)) {
    // Only trust an instruction when the offset lies inside its function or constant expression.
    const inFunction = map.funcs.some((f) => offset >= f.start && offset < f.end);
    if (inFunction || instr.funcIndex === -1) return instr.span;
  }
  if (entry) return entry.span;
  return instr?.span;
}

/** The instruction starting exactly at `offset` (what a debugger stopped at), if any. */
export function instrAtOffset(map: SourceMap, offset: number): InstrMapping | undefined {
  // The object view: a debugger asks this on every stop and may keep what it gets.
  const m = floorEntry(map.instrs, offset);
  return m && m.offset === offset ? m : undefined;
}

/** LSP range of the text that produced the byte at `offset`. */
export function rangeForOffset(map: SourceMap, lines: LineIndex, offset: number): Range | undefined {
  const span = spanForOffset(map, offset);
  return span ? lines.rangeOf(span) : undefined;
}

/**
 * Instructions inside functions whose text starts on `line` (0-based), in offset order. A
 * breakpoint on a WAT line goes on the first of them; an empty result means the line holds no
 * code, and `nextCodeLine` says where a breakpoint there should slide to.
 */
export function instrsOnLine(map: SourceMap, lines: LineIndex, line: number): InstrMapping[] {
  const out: InstrMapping[] = [];
  for (const m of map.instrs) {
    if (m.funcIndex >= 0 && lines.positionAt(m.span.start).line === line) out.push(m);
  }
  return out;
}

/** The first line at or after `line` that holds function code, or undefined past the last. */
export function nextCodeLine(map: SourceMap, lines: LineIndex, line: number): number | undefined {
  let best: number | undefined;
  for (const m of map.instrs) {
    if (m.funcIndex < 0) continue;
    const l = lines.positionAt(m.span.start).line;
    if (l >= line && (best === undefined || l < best)) best = l;
  }
  return best;
}
