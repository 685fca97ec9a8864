// All breakpoints of a session (source lines, functions, instructions) in one registry, placed on
// instruction locations, and the rules that decide whether reaching one is a stop: condition,
// hit count, logpoint. The engine only knows sites (offsets); conditions, hit counts and logpoint
// messages are evaluated here with the adapter's expression language, so that the same text means
// the same thing in a condition, a watch and the Debug Console.
import type { BreakpointRequest, EngineSessionApi } from '../runtime/engine/debug-api.js';
import type { Module } from '../runtime/wasm/types.js';
import { importCounts } from '../runtime/wasm/types.js';
import type { SourceDocument, SourceProvider } from './source-provider.js';
import { syntaxError } from './evaluator.js';
import { demangle } from '../runtime/wasm/demangle.js';

export type BreakpointKind = 'source' | 'function' | 'instruction';

export interface BreakpointOptions {
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Set by `checkOptions` when the condition or a logpoint hole does not parse. */
  syntaxProblem?: string;
}

/** Checks the expressions of a breakpoint's options (async: the evaluator is); the result carries the problem. */
export async function checkOptions<T extends BreakpointOptions>(options: T): Promise<T & { syntaxProblem?: string }> {
  if (options.condition?.trim()) {
    const problem = await syntaxError(options.condition);
    if (problem) return { ...options, syntaxProblem: `condition: ${problem}` };
  }
  if (options.logMessage) {
    let parts: ReturnType<typeof parseLogMessage>;
    try {
      parts = parseLogMessage(options.logMessage);
    } catch {
      return options; // create() reports a malformed message itself
    }
    for (const part of parts) {
      if (!('expr' in part)) continue;
      const problem = await syntaxError(part.expr);
      if (problem) return { ...options, syntaxProblem: `log message {${part.expr}}: ${problem}` };
    }
  }
  return options;
}

export interface AdapterBreakpoint extends BreakpointOptions {
  /** DAP breakpoint id (stable for the session). */
  id: number;
  kind: BreakpointKind;
  verified: boolean;
  message?: string;
  offset?: number;
  funcIndex?: number;
  /** The document and 0-based location of the instruction it is placed on. */
  document?: SourceDocument;
  line?: number;
  column?: number;
  /** What the user asked for (0-based line/column, function name, instruction reference). */
  requested: { line?: number; column?: number; name?: string; reference?: string };
  /** Times the location was reached with the condition true. */
  hits: number;
  hitRule?: HitRule;
}

export interface HitRule {
  op: '>=' | '>' | '==' | '<' | '<=' | '%';
  n: number;
}

/**
 * Hit conditions: `N` (stop from the N-th hit on, like `>= N`), or an operator and a count:
 * `== N`, `> N`, `>= N`, `< N`, `<= N`, `% N` (every N-th hit).
 */
export function parseHitCondition(text: string): HitRule {
  const m = /^\s*(>=|<=|==|=|>|<|%)?\s*([0-9]+)\s*$/.exec(text);
  if (!m) throw new Error(`hit condition "${text}" is not understood: use N, == N, > N, >= N, < N, <= N or % N`);
  const op = (m[1] === '=' ? '==' : m[1] ?? '>=') as HitRule['op'];
  const n = Number(m[2]);
  if (op === '%' && n === 0) throw new Error('hit condition "% 0" divides by zero');
  return { op, n };
}

export function hitRuleMatches(rule: HitRule, hits: number): boolean {
  switch (rule.op) {
    case '>=': return hits >= rule.n;
    case '>': return hits > rule.n;
    case '==': return hits === rule.n;
    case '<': return hits < rule.n;
    case '<=': return hits <= rule.n;
    case '%': return hits % rule.n === 0;
  }
}

/**
 * Splits a logpoint message into literal text and `{expression}` holes; `{{` and `}}` are literal
 * braces.
 */
export function parseLogMessage(message: string): ({ text: string } | { expr: string })[] {
  const parts: ({ text: string } | { expr: string })[] = [];
  let text = '';
  for (let i = 0; i < message.length; i++) {
    const c = message[i]!;
    if ((c === '{' || c === '}') && message[i + 1] === c) { text += c; i++; continue; }
    if (c === '{') {
      const close = message.indexOf('}', i + 1);
      if (close < 0) throw new Error(`logpoint message has an unclosed "{" at column ${i + 1}`);
      if (text) parts.push({ text });
      text = '';
      parts.push({ expr: message.slice(i + 1, close) });
      i = close;
      continue;
    }
    text += c;
  }
  if (text) parts.push({ text });
  return parts;
}

/**
 * Finds a function for a function breakpoint: `$id`/name-section name (with or without `$`),
 * export name, a decimal index, or `func[N]`; for Rust and C++ also the demangled name, with or
 * without its parameters and leading path (`manhattan` finds `main::manhattan`, as in gdb).
 */
export function resolveFunction(m: Module, name: string): number | undefined {
  const trimmed = name.trim();
  const bare = trimmed.startsWith('$') ? trimmed.slice(1) : trimmed;
  for (const [index, n] of m.names.funcs) if (n === bare) return index;
  const exp = m.exports.find((e) => e.kind === 'func' && e.name === trimmed);
  if (exp) return exp.index;
  let bySuffix: number | undefined;
  for (const [index, n] of m.names.funcs) {
    const readable = demangle(n);
    if (readable === n) continue;
    const path = readable.replace(/\(.*$/, '');
    if (readable === trimmed || path === trimmed) return index;
    if (bySuffix === undefined && path.endsWith(`::${trimmed}`)) bySuffix = index;
  }
  if (bySuffix !== undefined) return bySuffix;
  const indexMatch = /^(?:func\[)?([0-9]+)\]?$/.exec(trimmed);
  if (indexMatch) {
    const index = Number(indexMatch[1]);
    if (index < importCounts(m).funcs + m.funcs.length) return index;
  }
  return undefined;
}

/** Instruction references are absolute byte offsets written `0x…` (what the engine reports). */
export function parseInstructionReference(ref: string): number | undefined {
  const m = /^\s*(0x[0-9a-fA-F]+|[0-9]+)\s*$/.exec(ref);
  return m ? Number(m[1]) : undefined;
}

export function instructionReference(offset: number): string {
  return '0x' + offset.toString(16);
}

export class BreakpointRegistry {
  /** Line breakpoints per document id. */
  private readonly source = new Map<string, AdapterBreakpoint[]>();
  private functions: AdapterBreakpoint[] = [];
  private instructions: AdapterBreakpoint[] = [];
  /** Ids to give, in order, to the breakpoints of the next set* call (a restart keeps the client's ids). */
  private reuse: number[] = [];

  /** `nextId` continues a previous registry's numbering after a restart, so ids never clash. */
  constructor(private readonly module: Module, private readonly sources: SourceProvider, private nextId = 1) {}

  get nextFreeId(): number {
    return this.nextId;
  }

  /** The ids of the current breakpoints of one kind (line breakpoints: of one document), in request order. */
  idsOf(kind: BreakpointKind, documentId?: string): number[] {
    const list = kind === 'source' ? this.source.get(documentId ?? '') ?? []
      : kind === 'function' ? this.functions : this.instructions;
    return list.map((bp) => bp.id);
  }

  /** Makes the next set* call reuse these ids (in order) instead of new ones. */
  reuseIds(ids: number[]): this {
    this.reuse = [...ids];
    return this;
  }

  all(): AdapterBreakpoint[] {
    return [...[...this.source.values()].flat(), ...this.functions, ...this.instructions];
  }

  private create(kind: BreakpointKind, options: BreakpointOptions, requested: AdapterBreakpoint['requested']): AdapterBreakpoint {
    const bp: AdapterBreakpoint = { id: this.reuse.shift() ?? this.nextId++, kind, verified: false, requested, hits: 0 };
    if (options.condition?.trim()) bp.condition = options.condition;
    if (options.logMessage !== undefined && options.logMessage !== '') bp.logMessage = options.logMessage;
    if (options.hitCondition?.trim()) {
      bp.hitCondition = options.hitCondition;
      try {
        bp.hitRule = parseHitCondition(options.hitCondition);
      } catch (e) {
        bp.message = (e as Error).message;
      }
    }
    if (bp.logMessage !== undefined) {
      try {
        parseLogMessage(bp.logMessage);
      } catch (e) {
        bp.message = (e as Error).message;
      }
    }
    if (options.syntaxProblem) bp.message ??= options.syntaxProblem;
    return bp;
  }

  private async placeAt(bp: AdapterBreakpoint, offset: number, funcIndex: number): Promise<void> {
    if (bp.message) return; // a malformed hit condition or log message keeps it unverified
    const at = await this.sources.locate(offset);
    bp.offset = offset;
    bp.funcIndex = funcIndex;
    bp.verified = true;
    if (at && at.offset === offset) {
      bp.document = at.document;
      bp.line = at.line;
      bp.column = at.column;
    }
  }

  /** Replaces the line breakpoints of one document. Lines/columns are 0-based. */
  async setSourceBreakpoints(document: SourceDocument,
    requests: ({ line: number; column?: number } & BreakpointOptions)[]): Promise<AdapterBreakpoint[]> {
    const created = requests.map((r) => this.create('source', r, { line: r.line, column: r.column }));
    this.reuse = [];
    const placed = await Promise.all(requests.map(async (r, i) => {
      const bp = created[i]!;
      const placement = await this.sources.place(document, r.line, r.column);
      if (!placement) {
        bp.message ??= 'no instruction on or near this line';
        return bp;
      }
      const at = placement.location;
      await this.placeAt(bp, at.offset, at.funcIndex);
      bp.document = at.document;
      bp.line = at.line;
      bp.column = at.column;
      if (placement.moved && bp.verified) bp.message = `moved to the nearest instruction (line ${at.line + 1})`;
      return bp;
    }));
    this.source.set(document.id, placed);
    return placed;
  }

  /** Breakpoints for lines in a document that is not part of this program. */
  rejectSourceBreakpoints(requests: ({ line: number; column?: number } & BreakpointOptions)[], why: string): AdapterBreakpoint[] {
    return requests.map((r) => {
      const bp = this.create('source', r, { line: r.line, column: r.column });
      bp.message = why;
      return bp;
    });
  }

  async setFunctionBreakpoints(requests: ({ name: string } & BreakpointOptions)[]): Promise<AdapterBreakpoint[]> {
    const imported = importCounts(this.module).funcs;
    const created = requests.map((r) => this.create('function', r, { name: r.name }));
    this.reuse = [];
    this.functions = await Promise.all(requests.map(async (r, i) => {
      const bp = created[i]!;
      const index = resolveFunction(this.module, r.name);
      if (index === undefined) {
        bp.message ??= `no function named "${r.name}" (by $id, export name, name section or index)`;
      } else if (index < imported) {
        bp.message ??= `function ${r.name} is a host import: it has no Wasm instructions to stop at`;
      } else {
        const first = this.module.funcs[index - imported]!.body[0];
        if (first) await this.placeAt(bp, await this.sources.functionEntry?.(first.offset) ?? first.offset, index);
      }
      return bp;
    }));
    return this.functions;
  }

  async setInstructionBreakpoints(requests: ({ instructionReference: string; offset?: number } & BreakpointOptions)[]):
    Promise<AdapterBreakpoint[]> {
    const created = requests.map((r) => this.create('instruction', r, { reference: r.instructionReference }));
    this.reuse = [];
    this.instructions = await Promise.all(requests.map(async (r, i) => {
      const bp = created[i]!;
      const base = parseInstructionReference(r.instructionReference);
      const offset = base === undefined ? undefined : base + (r.offset ?? 0);
      const imported = importCounts(this.module).funcs;
      const def = offset === undefined ? -1 : this.module.funcs.findIndex((f) => offset >= f.codeStart && offset < f.end);
      const instr = def >= 0 ? this.module.funcs[def]!.body.find((ins) => ins.offset >= offset!) : undefined;
      if (offset === undefined || !instr) {
        bp.message ??= `no instruction at ${r.instructionReference}${r.offset ? ` + ${r.offset}` : ''}`;
      } else {
        await this.placeAt(bp, instr.offset, imported + def);
        if (instr.offset !== offset && bp.verified) bp.message = `moved to the next instruction (0x${instr.offset.toString(16)})`;
      }
      return bp;
    }));
    return this.instructions;
  }

  /** One engine request per distinct site; `sites[i]` lists the adapter breakpoints of request i. */
  engineRequests(): { requests: BreakpointRequest[]; sites: AdapterBreakpoint[][] } {
    const bySite = new Map<number, AdapterBreakpoint[]>();
    for (const bp of this.all()) {
      if (!bp.verified || bp.offset === undefined) continue;
      const list = bySite.get(bp.offset);
      if (list) list.push(bp); else bySite.set(bp.offset, [bp]);
    }
    const requests: BreakpointRequest[] = [];
    const sites: AdapterBreakpoint[][] = [];
    for (const [offset, list] of bySite) {
      requests.push({ offset, funcIndex: list[0]!.funcIndex });
      sites.push(list);
    }
    return { requests, sites };
  }

  /**
   * Sends every placed breakpoint to the engine (which replaces all it had); returns those the
   * engine could not place, now unverified with its reason.
   */
  async applyTo(engine: Pick<EngineSessionApi, 'setBreakpoints'>): Promise<AdapterBreakpoint[]> {
    const { requests, sites } = this.engineRequests();
    const results = await engine.setBreakpoints(requests);
    const refused: AdapterBreakpoint[] = [];
    results.forEach((result, i) => {
      if (result.verified) return;
      for (const bp of sites[i] ?? []) {
        bp.verified = false;
        bp.message = result.message ?? 'the engine could not place this breakpoint';
        refused.push(bp);
      }
    });
    return refused;
  }

  /** The verified breakpoints placed at an offset. */
  at(offset: number): AdapterBreakpoint[] {
    return this.all().filter((bp) => bp.verified && bp.offset === offset);
  }
}
