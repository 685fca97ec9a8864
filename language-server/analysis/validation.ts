// Validation through the front end's one pipeline (checkText: parse → resolve → assemble →
// decode → validate, errors mapped to text by its source map). The validator's observer hands us
// the operand stack before every instruction; hover and inlay hints read it from here.
import {
  DiagnosticSink, Severity, type Diagnostic, type LineIndex, type Span, checkText, spanForOffset, type CheckResult,
  assembleModule, type SourceMap, type ResolvedModule, type ModuleNode,
} from '../../runtime/text/index.js';
import { decodeModule } from '../../runtime/binary/decode.js';
import { validateModule, type ValidationObserver } from '../../runtime/validate/module.js';
import { WasmError } from '../../runtime/wasm/errors.js';
import { importCounts, valTypeName, type Module, type ValType } from '../../runtime/wasm/types.js';

export type StackType = ValType | 'unknown';

/** One executed position of a function body, in binary order. */
export interface StackEntry {
  /** The instruction's text span; undefined for the function's closing `end`, which has no text. */
  span?: Span;
  /** Operand types before the instruction, bottom first ('unknown' in unreachable code); see stackText. */
  stackBefore: readonly StackType[];
}

export interface StackFacts {
  /** Operand stack before the instruction whose span starts at this string index. */
  byInstrStart: Map<number, readonly StackType[]>;
  /** Per function that was validated (up to its first error), its entries in order. */
  funcs: { funcIndex: number; entries: StackEntry[] }[];
}

export function emptyStacks(): StackFacts {
  return { byInstrStart: new Map(), funcs: [] };
}

/** `[i32 f32]`; kept raw until shown because most of them never are. */
export function stackText(stack: readonly StackType[]): string {
  return `[${stack.map((t) => (t === 'unknown' ? 'any' : valTypeName(t))).join(' ')}]`;
}

/** Records the observer's calls; they are mapped to text once the source map exists. */
class StackRecorder implements ValidationObserver {
  readonly calls: { funcIndex: number; instrIndex: number; stack: readonly StackType[] }[] = [];

  instr(funcIndex: number, instrIndex: number, stackBefore: readonly StackType[]): void {
    this.calls.push({ funcIndex, instrIndex, stack: stackBefore });
  }

  facts(module: Module, sourceMap: SourceMap): StackFacts {
    const spans = new Map<number, Span>();
    for (const m of sourceMap.instrs) spans.set(m.offset, m.span);
    const imported = importCounts(module).funcs;
    const facts = emptyStacks();
    let current: StackFacts['funcs'][number] | undefined;
    for (const call of this.calls) {
      if (current?.funcIndex !== call.funcIndex) {
        current = { funcIndex: call.funcIndex, entries: [] };
        facts.funcs.push(current);
      }
      const instr = module.funcs[call.funcIndex - imported]?.body[call.instrIndex];
      const span = instr ? spans.get(instr.offset) : undefined;
      current.entries.push({ span, stackBefore: call.stack });
      if (span) facts.byInstrStart.set(span.start, call.stack);
    }
    return facts;
  }
}

/**
 * A whole .wat text: checkText's diagnostics and analysis, plus the operand stacks, mapped to
 * text only when first asked for (diagnostics after each keystroke do not need them).
 */
export function checkWithStacks(text: string, fileName: string): { check: CheckResult; stacks: () => StackFacts } {
  const recorder = new StackRecorder();
  const check = checkText(text, fileName, recorder);
  let stacks: StackFacts | undefined;
  return {
    check,
    stacks: () => (stacks ??= check.module && check.sourceMap ? recorder.facts(check.module, check.sourceMap) : emptyStacks()),
  };
}

/**
 * One module of a .wast script that parsed and resolved cleanly (checkText takes whole texts
 * only): the same assemble → decode → validate steps, mapped with the front end's spanForOffset.
 */
export function validateScriptModule(resolved: ResolvedModule, lines: LineIndex, module: ModuleNode): { diagnostics: Diagnostic[]; stacks: StackFacts } {
  const sink = new DiagnosticSink();
  const { bytes, sourceMap } = assembleModule(resolved, sink);
  if (sink.errorCount > 0) return { diagnostics: sink.toDiagnostics(lines), stacks: emptyStacks() };
  const report = (e: WasmError): void => {
    const span = (e.location ? spanForOffset(sourceMap, e.location.offset) : undefined) ?? module.span;
    sink.error(span, e.kind === 'malformed' ? 'malformed' : 'invalid', e.message);
  };
  const recorder = new StackRecorder();
  let decoded: Module | undefined;
  try {
    // As checkText does for a whole .wat text: bodies are decoded as validation reads them.
    decoded = decodeModule(bytes, { bodies: 'on-demand' });
  } catch (e) {
    if (!(e instanceof WasmError)) throw e;
    report(e);
  }
  if (decoded) for (const e of validateModule(decoded, recorder)) report(e);
  const diagnostics = sink.toDiagnostics(lines);
  return { diagnostics, stacks: decoded ? recorder.facts(decoded, sourceMap) : emptyStacks() };
}

/** Type mismatches get their own code so editors and tests can tell them from other invalid code. */
export function refineCode(d: Diagnostic): Diagnostic {
  return d.code === 'invalid' && d.severity === Severity.Error && /type mismatch/.test(d.message) ? { ...d, code: 'type-mismatch' } : d;
}
