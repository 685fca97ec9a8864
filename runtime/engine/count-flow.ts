// Which counting blocks get a counter, and every other block's count derived from those (Kirchhoff's
// law on the control-flow graph, as in Ball & Larus' optimal profiling): the profiler's exact
// counts at a fraction of the increments. Unknowns, per defined function: each block's count, each
// edge's (blocks.ts `edges`), and its call count. Equations, all exact:
//   in(b):    count(b) = Σ edges into b             (+ calls, for the entry block 0)
//   out(b):   count(b) = Σ edges out of b + stops(b)   (stops: exceptions that left the function in b)
//   net(b):   Σ into b + calls − Σ out of b = stops(b)  (the two without count(b), self-loops cancel)
//   calls(f): calls(f) = Σ over direct call sites to f of count(site's block)
//                        − sites an exception skipped − calls the stack refused before f's frame
// The last holds only for a function nothing outside the instance can call: one neither exported,
// nor in an element segment, nor named by ref.func, nor the start function. Any other ("entered
// from outside": by the host, call_indirect, another instance, the start) counts its entry block.
// So a call-bound function like fib needs no counter at its entry: its callers' blocks count its
// calls. An equation with one unknown left solves it; counters are chosen greedily, cheapest first
// (fewest enclosing loops, entry blocks last), until that propagation reaches every block. Reading
// replays the same propagation with numbers, which therefore reaches every block too.

import { EXIT, type CountingLayout } from './blocks.js';
import type { Instr, Module } from '../wasm/types.js';

const enum Kind { In, Out, Net, Calls }

/** Per-run quantities the equations' right-hand sides need (see counters.ts). */
export interface FlowObservations {
  /** Raw counter of a counted block (0 for functions never compiled). */
  counter(def: number, block: number): number;
  /** Times an exception left defined function `def` while in `block`. */
  stops(def: number, block: number): number;
  /** Calls of `def` (entered only by direct calls) that the stack refused before its frame existed. */
  refused(def: number): number;
  /** Times an exception left the caller's block before it reached the direct call at (def, instruction). */
  skippedCall(def: number, instruction: number): number;
}

export class CountFlow {
  /** First variable of each defined function: its blocks, then its edges, then its calls. */
  private readonly base: Int32Array;
  private readonly numVars: number;
  // Equations as rows of (variable, coefficient), plus what their right-hand side is.
  private readonly rowStart: number[] = [0];
  private readonly rowVar: number[] = [];
  private readonly rowCoef: number[] = [];
  private readonly rowKind: Kind[] = [];
  private readonly rowDef: number[] = [];
  private readonly rowBlock: number[] = [];
  /** For Calls rows: the direct call sites (caller def, instruction) whose skips subtract. */
  private readonly callSites = new Map<number, { def: number; instruction: number }[]>();
  /** Variable → rows it appears in (CSR). */
  private readonly varRowStart: Int32Array;
  private readonly varRows: Int32Array;

  /**
   * `enteredFromOutside`: per defined function, 1 when something besides its direct callers can
   * call it (see `functionsEnteredFromOutside`); its entry block is then always counted.
   */
  constructor(private readonly layouts: readonly CountingLayout[], bodies: readonly (readonly Instr[])[], numImportedFuncs: number,
    private readonly enteredFromOutside: Uint8Array) {
    this.base = new Int32Array(layouts.length + 1);
    let v = 0;
    layouts.forEach((l, def) => {
      this.base[def] = v;
      v += l.lengths.length + l.edges.length / 2 + 1;
    });
    this.base[layouts.length] = v;
    this.numVars = v;

    const sitesOf: { def: number; instruction: number; block: number }[][] = layouts.map(() => []);
    bodies.forEach((body, def) => {
      const { blockOf } = layouts[def]!;
      for (let i = 0; i < body.length; i++) {
        const ins = body[i]!;
        if (ins.op === 0x10 && ins.index! >= numImportedFuncs) sitesOf[ins.index! - numImportedFuncs]!.push({ def, instruction: i, block: blockOf[i]! });
      }
    });

    layouts.forEach((l, def) => {
      const blocks = l.lengths.length;
      const edgeCount = l.edges.length / 2;
      // Edges by target and by source (counting sort), self-loops marked for the net rows.
      const inStart = new Int32Array(blocks + 1), outStart = new Int32Array(blocks + 1);
      for (let e = 0; e < edgeCount; e++) {
        outStart[l.edges[2 * e]! + 1]!++;
        if (l.edges[2 * e + 1] !== EXIT) inStart[l.edges[2 * e + 1]! + 1]!++;
      }
      for (let b = 0; b < blocks; b++) { inStart[b + 1]! += inStart[b]!; outStart[b + 1]! += outStart[b]!; }
      const inEdges = new Int32Array(inStart[blocks]!), outEdges = new Int32Array(outStart[blocks]!);
      const inFill = inStart.slice(0, blocks), outFill = outStart.slice(0, blocks);
      for (let e = 0; e < edgeCount; e++) {
        outEdges[outFill[l.edges[2 * e]!]!++] = e;
        if (l.edges[2 * e + 1] !== EXIT) inEdges[inFill[l.edges[2 * e + 1]!]!++] = e;
      }
      const isSelf = (e: number): boolean => l.edges[2 * e] === l.edges[2 * e + 1];
      const calls = this.callsVar(def);
      for (let b = 0; b < blocks; b++) {
        const count = this.blockVar(def, b);
        this.term(count, 1);
        for (let k = inStart[b]!; k < inStart[b + 1]!; k++) this.term(this.edgeVar(def, inEdges[k]!), -1);
        if (b === 0) this.term(calls, -1);
        this.endRow(Kind.In, def, b);
        this.term(count, 1);
        for (let k = outStart[b]!; k < outStart[b + 1]!; k++) this.term(this.edgeVar(def, outEdges[k]!), -1);
        this.endRow(Kind.Out, def, b);
        for (let k = inStart[b]!; k < inStart[b + 1]!; k++) if (!isSelf(inEdges[k]!)) this.term(this.edgeVar(def, inEdges[k]!), 1);
        for (let k = outStart[b]!; k < outStart[b + 1]!; k++) if (!isSelf(outEdges[k]!)) this.term(this.edgeVar(def, outEdges[k]!), -1);
        if (b === 0) this.term(calls, 1);
        this.endRow(Kind.Net, def, b);
      }
      if (enteredFromOutside[def]) return;
      const sites = sitesOf[def]!;
      this.callSites.set(this.rowKind.length, sites);
      this.term(calls, 1);
      for (const site of sites) this.term(this.blockVar(site.def, site.block), -1);
      this.endRow(Kind.Calls, def, -1);
    });

    const counts = new Int32Array(this.numVars + 1);
    for (const x of this.rowVar) counts[x + 1]!++;
    for (let x = 0; x < this.numVars; x++) counts[x + 1]! += counts[x]!;
    this.varRowStart = counts;
    this.varRows = new Int32Array(this.rowVar.length);
    const fill = Int32Array.from(counts.subarray(0, this.numVars));
    for (let r = 0; r < this.rowKind.length; r++) {
      for (let k = this.rowStart[r]!; k < this.rowStart[r + 1]!; k++) this.varRows[fill[this.rowVar[k]!]!++] = r;
    }
  }

  private blockVar(def: number, block: number): number { return this.base[def]! + block; }
  private edgeVar(def: number, edge: number): number { return this.base[def]! + this.layouts[def]!.lengths.length + edge; }
  private callsVar(def: number): number { return this.base[def + 1]! - 1; }

  /**
   * Adds a term to the row being built. A variable repeats only as consecutive terms (a block
   * holding several call sites of the same function), merged here: that block weighs 2.
   */
  private term(x: number, coef: number): void {
    const last = this.rowVar.length - 1;
    if (last >= this.rowStart[this.rowStart.length - 1]! && this.rowVar[last] === x) this.rowCoef[last] += coef;
    else { this.rowVar.push(x); this.rowCoef.push(coef); }
  }

  private endRow(kind: Kind, def: number, block: number): void {
    this.rowStart.push(this.rowVar.length);
    this.rowKind.push(kind);
    this.rowDef.push(def);
    this.rowBlock.push(block);
  }

  /**
   * Marks in each layout's `counted` the blocks that get a counter: cheapest first until
   * propagation knows every block count.
   */
  chooseCounters(): void {
    const known = new Uint8Array(this.numVars);
    const propagate = this.propagator(known, undefined);
    // Cheapest first: blocks outside loops, then one loop deep, ...; an entry block after the other
    // blocks of its depth (measured: fib's entry increment cost more than both of its return paths').
    const buckets: number[][] = [];
    this.layouts.forEach((l, def) => {
      l.counted.fill(0);
      for (let b = 0; b < l.lengths.length; b++) (buckets[l.loopDepth[b]! * 2 + (b === 0 ? 1 : 0)] ??= []).push(this.blockVar(def, b));
    });
    const defOf = (x: number): number => {
      let lo = 0, hi = this.layouts.length - 1;
      while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (this.base[mid]! <= x) lo = mid; else hi = mid - 1; }
      return lo;
    };
    this.layouts.forEach((l, def) => {
      if (!this.enteredFromOutside[def]) return;
      l.counted[0] = 1;
      propagate.learn(this.blockVar(def, 0));
    });
    propagate.run();
    for (const bucket of buckets) {
      for (const x of bucket ?? []) {
        if (known[x]) continue;
        const def = defOf(x);
        this.layouts[def]!.counted[x - this.base[def]!] = 1;
        propagate.learn(x);
        propagate.run();
      }
    }
  }

  /** Every block count and call count (per defined function: blocks, then calls last). */
  solve(observed: FlowObservations): { blocks: Float64Array[]; calls: Float64Array } {
    const known = new Uint8Array(this.numVars);
    const value = new Float64Array(this.numVars);
    const propagate = this.propagator(known, { value, rhs: (r) => this.rhs(r, observed) });
    this.layouts.forEach((l, def) => {
      for (let b = 0; b < l.lengths.length; b++) {
        if (!l.counted[b]) continue;
        const x = this.blockVar(def, b);
        value[x] = observed.counter(def, b);
        propagate.learn(x);
      }
    });
    propagate.run();
    const blocks = this.layouts.map((l, def) => {
      const out = new Float64Array(l.lengths.length);
      for (let b = 0; b < out.length; b++) {
        const x = this.blockVar(def, b);
        if (!known[x]) throw new Error(`profile counters: the count of block ${b} of defined function ${def} does not follow from the counters`);
        out[b] = value[x]!;
      }
      return out;
    });
    const calls = Float64Array.from(this.layouts, (_, def) => value[this.callsVar(def)]!);
    return { blocks, calls };
  }

  private rhs(r: number, o: FlowObservations): number {
    const def = this.rowDef[r]!;
    switch (this.rowKind[r]!) {
      case Kind.In: return 0;
      case Kind.Out: case Kind.Net: return o.stops(def, this.rowBlock[r]!);
      case Kind.Calls: {
        let v = -o.refused(def);
        for (const s of this.callSites.get(r)!) v -= o.skippedCall(s.def, s.instruction);
        return v;
      }
    }
  }

  /** Solves rows with one unknown left, symbolically or (given values) numerically. */
  private propagator(known: Uint8Array, numeric: { value: Float64Array; rhs: (row: number) => number } | undefined): { learn(x: number): void; run(): void } {
    const rows = this.rowKind.length;
    const unknown = new Int32Array(rows);
    for (let r = 0; r < rows; r++) unknown[r] = this.rowStart[r + 1]! - this.rowStart[r]!;
    const ready: number[] = [];
    for (let r = 0; r < rows; r++) if (unknown[r] === 1) ready.push(r);
    const learn = (x: number): void => {
      known[x] = 1;
      for (let k = this.varRowStart[x]!; k < this.varRowStart[x + 1]!; k++) {
        const r = this.varRows[k]!;
        if (--unknown[r]! === 1) ready.push(r);
      }
    };
    const run = (): void => {
      while (ready.length > 0) {
        const r = ready.pop()!;
        if (unknown[r] !== 1) continue;
        let x = -1, coef = 0, sum = 0;
        for (let k = this.rowStart[r]!; k < this.rowStart[r + 1]!; k++) {
          const y = this.rowVar[k]!;
          if (!known[y]) { x = y; coef = this.rowCoef[k]!; } else if (numeric) sum += this.rowCoef[k]! * numeric.value[y]!;
        }
        if (numeric) numeric.value[x] = (numeric.rhs(r) - sum) / coef;
        learn(x);
      }
    };
    return { learn, run };
  }
}

/**
 * Per defined function, 1 if it can be called other than by a direct `call` of its own instance:
 * exported, in an element segment (tables, call_indirect), named by ref.func (in code, globals or
 * segments), or the start function. The host and other instances reach a function only through
 * these, so every other function's calls are exactly its direct call sites' executions.
 */
export function functionsEnteredFromOutside(module: Module, numImportedFuncs: number): Uint8Array {
  const out = new Uint8Array(module.funcs.length);
  const mark = (funcIndex: number): void => { if (funcIndex >= numImportedFuncs) out[funcIndex - numImportedFuncs] = 1; };
  const scan = (code: readonly Instr[]): void => { for (const ins of code) if (ins.op === 0xd2) mark(ins.index!); };
  for (const e of module.exports) if (e.kind === 'func') mark(e.index);
  for (const seg of module.elems) for (const expr of seg.init) scan(expr);
  for (const g of module.globals) scan(g.init);
  for (const f of module.funcs) scan(f.body);
  if (module.start !== undefined) mark(module.start);
  return out;
}
