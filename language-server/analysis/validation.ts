// Validation of one resolved module through the runtime's one pipeline (assemble → decode →
// validate) and the mapping of its binary locations back to text. The validator's observer
// hands us the operand stack before every instruction; hover and inlay hints read it from here.
import { DiagnosticSink, Severity, type Diagnostic, type LineIndex, type Span } from '../../runtime/text/diagnostics.js';
import { assembleModule, type SourceMap } from '../../runtime/text/assembler.js';
import type { ResolvedModule } from '../../runtime/text/resolve.js';
import type { ModuleField, ModuleNode } from '../../runtime/text/ast.js';
import { decodeModule } from '../../runtime/binary/decode.js';
import { validateModule } from '../../runtime/validate/module.js';
import { WasmError } from '../../runtime/wasm/errors.js';
import { importCounts, valTypeName, type Module, type ValType } from '../../runtime/wasm/types.js';

/** One executed position of a function body, in binary order. */
export interface StackEntry {
  /** The instruction's text span; undefined for the function's closing `end`, which has no text. */
  span?: Span;
  /** Operand types before the instruction, bottom first ('unknown' in unreachable code); see stackText. */
  stackBefore: readonly StackType[];
}

export type StackType = ValType | 'unknown';

export interface StackFacts {
  /** Operand stack before the instruction whose span starts at this string index. */
  byInstrStart: Map<number, readonly StackType[]>;
  /** Per function that was validated (up to its first error), its entries in order. */
  funcs: { funcIndex: number; entries: StackEntry[] }[];
}

export interface UnitValidation {
  diagnostics: Diagnostic[];
  stacks: StackFacts;
}

/** `[i32 f32]`; kept raw until shown because most of them never are. */
export function stackText(stack: readonly StackType[]): string {
  return `[${stack.map((t) => (t === 'unknown' ? 'any' : valTypeName(t))).join(' ')}]`;
}

/** Assembles, decodes and validates a module that parsed and resolved cleanly. */
export function validateUnit(resolved: ResolvedModule, lines: LineIndex, module: ModuleNode): UnitValidation {
  const sink = new DiagnosticSink();
  const stacks: StackFacts = { byInstrStart: new Map(), funcs: [] };
  const { bytes, sourceMap } = assembleModule(resolved, sink);
  const diagnostics = sink.toDiagnostics(lines);
  if (sink.errorCount > 0) return { diagnostics, stacks };
  const spans = new Map<number, Span>();
  for (const m of sourceMap.instrs) spans.set(m.offset, m.span);
  const fallback = headSpan(module);

  let decoded: Module;
  try {
    decoded = decodeModule(bytes);
  } catch (e) {
    if (!(e instanceof WasmError)) throw e;
    // The assembler wrote something the decoder rejects: report it where it came from.
    diagnostics.push(toDiagnostic(e, lines, sourceMap, spans, fallback, 'malformed'));
    return { diagnostics, stacks };
  }
  const imported = importCounts(decoded).funcs;
  let current: { funcIndex: number; entries: StackEntry[] } | undefined;
  const errors = validateModule(decoded, {
    instr(funcIndex, instrIndex, stackBefore) {
      if (current?.funcIndex !== funcIndex) {
        current = { funcIndex, entries: [] };
        stacks.funcs.push(current);
      }
      const instr = decoded.funcs[funcIndex - imported]?.body[instrIndex];
      const span = instr ? spans.get(instr.offset) : undefined;
      current.entries.push({ span, stackBefore });
      if (span) stacks.byInstrStart.set(span.start, stackBefore);
    },
  });
  for (const e of errors) {
    diagnostics.push(toDiagnostic(e, lines, sourceMap, spans, locateModuleError(e.message, module) ?? fallback, 'invalid'));
  }
  return { diagnostics, stacks };
}

/** The `module` keyword of a `(module ...)` form, or the first field of a bare module. */
function headSpan(module: ModuleNode): Span {
  const first = module.fields[0];
  if (module.span.start < (first?.span.start ?? Infinity) && module.span.end - module.span.start > 7) {
    return { start: module.span.start, end: module.span.start + 7 };
  }
  if (first) return { start: first.span.start, end: Math.min(first.span.end, first.span.start + 1) };
  return { start: module.span.start, end: module.span.start };
}

function toDiagnostic(e: WasmError, lines: LineIndex, sourceMap: SourceMap, spans: Map<number, Span>, fallback: Span,
  kind: string): Diagnostic {
  const span = locate(e, sourceMap, spans) ?? fallback;
  const code = /type mismatch/.test(e.message) ? 'type-mismatch' : kind;
  return { range: lines.rangeOf(span), severity: Severity.Error, code, message: e.message };
}

/** The text of a binary location: the instruction at the offset, or the nearest one before it in the same function. */
function locate(e: WasmError, sourceMap: SourceMap, spans: Map<number, Span>): Span | undefined {
  const loc = e.location;
  if (!loc) return undefined;
  const exact = spans.get(loc.offset);
  if (exact) return exact;
  const func = sourceMap.funcs.find((f) => loc.offset >= f.start && loc.offset <= f.end);
  if (!func) {
    if (loc.funcIndex !== undefined) return undefined;
    // A constant expression's errors point at its `end`: blame its last instruction.
    let last: { offset: number; span: Span } | undefined;
    for (const m of sourceMap.instrs) {
      if (m.offset > loc.offset) break;
      if (m.funcIndex === -1) last = m;
    }
    return last && loc.offset - last.offset <= 16 && /constant expression/.test(e.message) ? last.span : undefined;
  }
  // After the last instruction (e.g. "unexpected end of function"): blame the closing paren.
  let best: Span | undefined;
  for (const m of sourceMap.instrs) {
    if (m.offset > loc.offset) break;
    if (m.offset >= func.codeStart) best = m.span;
  }
  if (loc.offset >= func.end - 1 || !best) return { start: Math.max(func.span.start, func.span.end - 1), end: func.span.end };
  return best;
}

/** Module-level errors carry binary offsets of entries the source map does not cover: find the field by what the message names. */
function locateModuleError(message: string, module: ModuleNode): Span | undefined {
  const head = (field: ModuleField): Span => field.id?.span ?? { start: field.span.start, end: field.span.start + 1 + field.kind.length };
  const dup = /^duplicate export name (".*")$/.exec(message);
  if (dup) {
    const name: unknown = JSON.parse(dup[1]!);
    let seen = 0;
    for (const f of module.fields) {
      const spans = f.kind === 'export' ? (f.name === name ? [f.span] : [])
        : 'exports' in f ? f.exports.filter((e) => e.name === name).map((e) => e.span) : [];
      for (const span of spans) if (++seen === 2) return span;
    }
    return undefined;
  }
  if (message === 'multiple memories') {
    const memories = module.fields.filter((f) => f.kind === 'memory');
    return memories[1] ? head(memories[1]) : undefined;
  }
  if (message.startsWith('start function') || /^unknown function/.test(message)) {
    const start = module.fields.find((f) => f.kind === 'start');
    return start ? head(start) : undefined;
  }
  if (/^(memory size|size minimum)/.test(message)) {
    for (const f of module.fields) {
      const limits = f.kind === 'memory' ? f.limits : f.kind === 'table' ? f.type.limits : undefined;
      if (!limits) continue;
      const tooBig = f.kind === 'memory' && (limits.min > 65536 || (limits.max ?? 0) > 65536);
      if (tooBig || (limits.max !== undefined && limits.min > limits.max)) return head(f);
    }
  }
  return undefined;
}
