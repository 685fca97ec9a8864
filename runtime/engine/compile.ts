// Compiles one Wasm function to JavaScript source. Operand-stack slots become JS locals `s0, s1, …`
// (heights are static in validated code), Wasm locals become `l0, l1, …`, blocks become labelled
// statements, loops `for(;;)` with `continue`, br_table a `switch`. Branch results are assigned to
// the target's slots before `break`; fall-through results are already in place because heights
// are static.
//
// Every Wasm instruction is emitted on its own line and `lineOffsets` records the byte offset for
// each line, so trap.ts maps a JS stack back to Wasm locations without runtime bookkeeping.
//
// The generated source is a factory body: it runs once with `E` (the instance environment, see
// instance.ts) in scope, binds what the function uses to constants, and returns the function.
// Two tiers: fast (no checks) and probed: each straight-line run tests its run flag once; an armed
// run executes a copy with `if (P[site])` before every instruction, calling the debug runtime `D`
// with the frame's values; around calls the caller's locals are recorded for stack views.

import { opByCode } from '../wasm/opcodes.js';
import { ValType, BLOCK_EMPTY, type FuncType, type Module, type Instr } from '../wasm/types.js';
import { f64FromBits } from './numeric.js';
import { LOADS, PURE_OPS, STORES } from './op-templates.js';
import { MAX_RESULTS } from './externs.js';
import { branchTargets, runEnd } from './blocks.js';
import type { ProfileCounters } from './counters.js';

export interface CodegenInput {
  module: Module;
  /** Function index space → type. */
  funcTypes: readonly FuncType[];
  numImportedFuncs: number;
  /** Probe site of instruction 0 of each defined function (probed tier only). */
  siteBase: readonly number[];
  /** Index in the probe flags of run flags: the flag of the run starting at site k is P[runFlagBase + k]. */
  runFlagBase: number;
  /** Fast-tier code counts executions for the profiler into these (the counting tier, see blocks.ts). */
  counters?: ProfileCounters;
}

export interface GeneratedCode {
  /** Factory body; run as `new Function('E', 'K', 'KF', source)(env, constants, f64Constants)`. */
  source: string;
  /** Constants the code refers to as `K[i]` (NaN-payload f64s in a Float64Array, v128 values). */
  constants: unknown[];
  f64Constants: Float64Array;
  /** 1-based body line → byte offset (0 when the line is not an instruction). */
  lineOffsets: Int32Array;
}

/** Probed functions above this estimated size keep locals in arrays (see `arrays` below). */
const ARRAY_FRAME_THRESHOLD = 60000;

interface Frame {
  kind: 'func' | 'block' | 'loop' | 'if';
  label: string;
  /** Whether some branch targets it; an untargeted block or loop needs no JS statement at all. */
  targeted: boolean;
  /** Stack height where the block's parameters start; results land here too. */
  base: number;
  params: ValType[];
  results: ValType[];
}

function blockSignature(m: Module, bt: number): FuncType {
  if (bt === BLOCK_EMPTY) return { params: [], results: [] };
  if (bt < 0) return { params: [], results: [(0x80 + bt) as ValType] };
  return m.types[bt]!;
}

export function defaultValueExpr(t: ValType): string {
  switch (t) {
    case ValType.I64: return '0n';
    case ValType.V128: return 'R.V0';
    case ValType.FuncRef: case ValType.ExternRef: return 'null';
    default: return '0';
  }
}

export function generateFunction(input: CodegenInput, funcIndex: number, probed: boolean, sourceName: string): GeneratedCode {
  const m = input.module;
  const defIndex = funcIndex - input.numImportedFuncs;
  const func = m.funcs[defIndex]!;
  const type = input.funcTypes[funcIndex]!;
  const nParams = type.params.length;
  const localTypes = [...type.params, ...func.locals];
  const body = func.body;
  const siteBase = input.siteBase[defIndex] ?? 0;
  // Counting tier: fast code plus `CB[block]++` in the counted blocks (the profiler's exact counts).
  const counting = !probed && input.counters ? input.counters.layout(defIndex) : undefined;
  // Blocks inside a loop count in JS locals (registers), added to CB by a `finally` around the body
  // on every exit, exceptions included: an increment in memory doubled tight loops (the sieve
  // kernel ~2x), one in a register is nearly free. Other blocks run at most once per call or per
  // outer iteration and count in CB directly (a flush per call would cost more for them).
  const registerCounters: number[] = [];
  const counterRef = (block: number): string => {
    if (!frames.some((f) => f.kind === 'loop' && f.targeted)) return `CB[${block}]`;
    if (!registerCounters.includes(block)) registerCounters.push(block);
    return `c${block}`;
  };

  const lines: string[] = [];
  const lineOffsets: number[] = [];
  const uses = new Set<string>();
  const constants: unknown[] = [];
  const f64Constants: bigint[] = []; // bits: a plain array of doubles would quiet signalling NaNs
  let maxHeight = 0;
  let usesMemory = false;

  const emit = (code: string, offset: number): void => {
    lines.push(code);
    lineOffsets.push(offset);
  };
  // Locals and slots are JS variables (registers) in the fast tier and in the fast copies of the
  // probed tier. The probed copy of a run (see the run loop below) copies them into two arrays,
  // L and S, on entry, works on the arrays with a two-reference probe before each instruction, and
  // copies them back on exit: per-instruction copies of every value made large functions too big
  // for V8 to optimise (n-body's 490-instruction kernel: ~190x slower than V8). Functions beyond
  // ARRAY_FRAME_THRESHOLD keep everything in L and S throughout (`arrays`).
  const arrays = probed && body.length * (localTypes.length + 8) > ARRAY_FRAME_THRESHOLD;
  let inArrays = arrays;
  const s = (i: number): string => (inArrays ? `S[${i}]` : `s${i}`);
  const lv = (k: number): string => (inArrays ? `L[${k}]` : `l${k}`);
  const regLocals = [...localTypes.map((_, k) => `l${k}`), 'null'].join(',');

  // Line 1: bindings (filled in at the end, once we know what is used); line 2: header; line 3: locals.
  emit('', func.codeStart);
  emit('', func.codeStart);
  emit('', func.codeStart);

  const frames: Frame[] = [{ kind: 'func', label: 'L0', targeted: true, base: 0, params: [], results: type.results }];
  const targeted = branchTargets(body);
  let h = 0;
  let labelCounter = 1;

  const push = (n = 1): void => {
    h += n;
    if (h > maxHeight) maxHeight = h;
  };

  const returnCode = (results: ValType[], from: number): string => {
    if (results.length === 0) return 'return;';
    if (results.length === 1) return `return ${s(from)};`;
    if (results.length > MAX_RESULTS) throw new Error(`function ${funcIndex}: more than ${MAX_RESULTS} results`);
    uses.add('RI').add('RF');
    const parts = results.map((t, i) => (t === ValType.F64 ? `RF[${i}]=${s(from + i)};` : `RI[${i}]=${s(from + i)};`));
    return `${parts.join('')}return;`;
  };

  // Code that transfers control to the frame `depth` labels out, moving the branch values.
  const branchCode = (depth: number): string => {
    const target = frames[frames.length - 1 - depth]!;
    if (target.kind === 'func') return returnCode(target.results, h - target.results.length);
    const values = target.kind === 'loop' ? target.params : target.results;
    let code = '';
    const from = h - values.length;
    if (from !== target.base) for (let i = 0; i < values.length; i++) code += `${s(target.base + i)}=${s(from + i)};`;
    return code + (target.kind === 'loop' ? `continue ${target.label};` : `break ${target.label};`);
  };

  // Results of a call land in slots [base, base + results): one directly, several via RI/RF.
  const callResults = (t: FuncType, base: number, call: string): string => {
    const r = t.results;
    if (r.length === 0) return `${call};`;
    if (r.length === 1) return `${s(base)}=${call};`;
    uses.add('RI').add('RF');
    return `${call};${r.map((rt, i) => `${s(base + i)}=${rt === ValType.F64 ? 'RF' : 'RI'}[${i}];`).join('')}`;
  };
  const afterCall = (): string => (usesMemoryAnywhere ? '/*M*/' : '');
  const usesMemoryAnywhere = m.memories.length > 0 || m.imports.some((i) => i.desc.kind === 'memory');

  const probeCode = (i: number): string => {
    if (!probed) return '';
    const site = siteBase + i;
    // Kept short: this is emitted before every instruction of a probed copy, and V8 stops
    // optimising functions whose bytecode passes 60 KB.
    if (inArrays) return `if(P[${site}]!==0)D.a(${site},L,S,${h});`;
    const stack = Array.from({ length: h }, (_, k) => s(k)).join(',');
    const writeBack = localTypes.map((_, k) => `l${k}=T[${k}];`).join('');
    return `if(P[${site}]!==0&&D.c(${site},T=[${regLocals}],[${stack}],${h})){${writeBack}}`;
  };
  // The caller's operand stack below the call's arguments (`h` slots) rides in the same record,
  // so a stop in the callee shows it: the live S array, or in register code after the locals in
  // the one array the record allocates anyway (pending values are local reads and constants).
  const callWrap = (): [string, string] => {
    if (!probed) return ['', ''];
    if (inArrays) return [`D.push(${funcIndex},L,true,S,${h});`, 'D.pop();'];
    const below = Array.from({ length: h }, (_, k) => val(k));
    return [`D.push(${funcIndex},[${[...localTypes.map((_, k) => `l${k}`), ...below, 'null'].join(',')}],false,null,${h});`, 'D.pop();'];
  };

  // Operand forwarding (fast tier): a constant or a local read pushed on the stack is not stored in
  // its slot but substituted into the instruction that consumes it, so `(x >> 12n)` reaches V8
  // with a literal shift count (4-5x faster for BigInt) and fewer temporaries. Pending values are
  // materialised before any instruction that is not a known consumer, at every control-flow
  // boundary, and before a local that one of them reads is assigned.
  let forward = !probed; // also on in the fast copies of probed runs (see below)
  const pend: (string | undefined)[] = [];
  const val = (k: number): string => pend[k] ?? s(k);
  const flush = (pred: (p: string, k: number) => boolean = () => true): string => {
    let out = '';
    for (let k = 0; k < pend.length; k++) {
      const p = pend[k];
      if (p !== undefined && pred(p, k)) { out += `${s(k)}=${p};`; pend[k] = undefined; }
    }
    return out;
  };
  const readsLocal = (p: string, local: string): boolean => new RegExp(`\\b${local}\\b`).test(p);
  // A condition: a forwarded comparison `(x<y?1:0)` is tested as `(x<y)` directly.
  const condition = (k: number): string => {
    const p = pend[k];
    pend[k] = undefined;
    if (p === undefined) return `${s(k)}!==0`;
    const cmp = /^\((.*)\?1:0\)$/.exec(p);
    return cmp ? `(${cmp[1]})` : `${p}!==0`;
  };
  const address = (k: number, offset: number | undefined): string => {
    const base = val(k);
    const o = offset ?? 0;
    if (/^\(?-?\d+\)?$/.test(base)) return String((Number(base.replace(/[()]/g, '')) >>> 0) + o);
    return o === 0 ? `(${base}>>>0)` : `(${base}>>>0)+${o}`;
  };
  const literal = (text: string): string => (text.startsWith('-') ? `(${text})` : text);

  let dead = false;
  // Whether the instruction being generated gets its own probe check (false in a run's fast copy).
  let probeHere = probed;

  /** Generates instruction i; returns the index of the next one to generate. */
  const generate = (i: number): number => {
    const ins: Instr = body[i]!;
    const op = ins.op;
    const heightBefore = h;
    // The operand stack as expressions before this instruction (forwarded values included).
    const stackBefore = probed ? Array.from({ length: h }, (_, k) => val(k)).join(',') : '';
    const info = opByCode(op);
    const name = info?.name ?? `op ${op}`;
    const top = frames[frames.length - 1]!;

    if (dead) {
      // Unreachable code: skip nested structures whole; resume at this frame's else/end.
      if ((op === 0x02 || op === 0x03 || op === 0x04) && ins.end !== undefined) return ins.end + 1;
      if (op !== 0x05 && op !== 0x0b) return i + 1;
    }

    let pre = probeHere ? probeCode(i) : '';
    let code = '';
    const consumer = forward && isForwardingConsumer(op, name);
    if (forward && (op === 0x0d || op === 0x04)) pre = flush((_p, k) => k !== h - 1) + pre; // condition stays
    else if (!consumer) pre = flush() + pre;
    // Only the blocks count-flow.ts chose have a counter; the others' counts are derived when read.
    const countBlock = counting && counting.leaderBlock[i]! >= 0 && counting.counted[counting.leaderBlock[i]!] === 1 ? counting.leaderBlock[i]! : -1;
    // A targeted loop counts inside its statement (every iteration); other leaders before their code.
    const countAfter = countBlock >= 0 && op === 0x03 && targeted[i] === 1;
    if (countBlock >= 0 && !countAfter) pre = `${counterRef(countBlock)}++;${pre}`;
    const a = val(h - 1), b = val(h - 2), c = val(h - 3);

    switch (op) {
      case 0x00: code = 'R.trap("unreachable");'; dead = true; break; // unreachable
      case 0x01: break; // nop
      case 0x02: case 0x03: case 0x04: { // block, loop, if
        const sig = blockSignature(m, ins.blockType ?? BLOCK_EMPTY);
        if (op === 0x04) h--;
        const label = `L${labelCounter++}`;
        const kind = op === 0x02 ? 'block' : op === 0x03 ? 'loop' : 'if';
        const isTarget = targeted[i] === 1;
        frames.push({ kind, label, targeted: isTarget, base: h - sig.params.length, params: sig.params, results: sig.results });
        // Untargeted blocks and loops emit nothing, which keeps the JS nesting (and V8's parser
        // recursion) down to what branches actually need.
        if (op === 0x04) code = `${isTarget ? `${label}:` : ''}if(${condition(h)}){`;
        else if (isTarget) code = op === 0x02 ? `${label}:{` : `${label}:for(;;){`;
        break;
      }
      case 0x05: { // else
        dead = false;
        h = top.base + top.params.length;
        code = '}else{';
        break;
      }
      case 0x0b: { // end
        frames.pop();
        dead = false;
        h = top.base + top.results.length;
        if (h > maxHeight) maxHeight = h;
        if (top.kind === 'func') code = returnCode(top.results, h - top.results.length) + '}';
        else if (top.kind === 'if') code = '}';
        else if (top.targeted) code = top.kind === 'loop' ? 'break;}' : '}';
        break;
      }
      case 0x0c: code = branchCode(ins.index!); dead = true; break; // br
      case 0x0d: h--; code = `if(${condition(h)}){${branchCode(ins.index!)}}`; break; // br_if
      case 0x0e: { // br_table
        h--;
        const cases = new Map<number, number[]>();
        (ins.labels ?? []).forEach((d, k) => { if (d !== ins.index) cases.set(d, [...(cases.get(d) ?? []), k]); });
        code = `switch(${s(h)}){`;
        for (const [d, ks] of cases) code += `${ks.map((k) => `case ${k}:`).join('')}{${branchCode(d)}}`;
        code += `default:{${branchCode(ins.index!)}}}`;
        dead = true;
        break;
      }
      case 0x0f: code = returnCode(type.results, h - type.results.length); dead = true; break; // return
      case 0x10: { // call
        const t = input.funcTypes[ins.index!]!;
        h -= t.params.length;
        const args = t.params.map((_, k) => val(h + k)).join(',');
        for (let k = 0; k < t.params.length; k++) pend[h + k] = undefined;
        const [before, after] = callWrap();
        uses.add('F');
        code = before + callResults(t, h, `F[${ins.index}](${args})`) + after + afterCall();
        push(t.results.length);
        break;
      }
      case 0x11: { // call_indirect
        const t = m.types[ins.index!]!;
        h--;
        const idx = s(h);
        h -= t.params.length;
        const args = t.params.map((_, k) => s(h + k)).join(',');
        uses.add(`t${ins.index2 ?? 0}`).add('SIG');
        const sig = `SIG[${ins.index}]`;
        const [before, after] = callWrap();
        // Counting tier: an indirect call into a host function is an edge known only now.
        if (counting) uses.add('PC');
        const countHost = counting ? `if(C.index<0)PC.hostIndirect(${funcIndex},C);` : '';
        code = `C=t${ins.index2 ?? 0}[${idx}>>>0];if(C===undefined)R.trap("undefined element");` +
          `if(C===null)R.trap("uninitialized element");if(C.sig!==${sig})R.trap("indirect call type mismatch");` +
          countHost + before + callResults(t, h, `C.code(${args})`) + after + afterCall();
        push(t.results.length);
        break;
      }
      case 0x1a: h--; pend[h] = undefined; break; // drop
      case 0x1b: case 0x1c: code = `if(${a}===0)${c}=${b};`; h -= 2; break; // select
      case 0x20:
        if (forward) pend[h] = lv(ins.index!);
        else code = `${s(h)}=${lv(ins.index!)};`;
        push();
        break;
      case 0x21: case 0x22: { // local.set, local.tee
        const target = lv(ins.index!);
        const value = val(h - 1);
        pend[h - 1] = undefined;
        // Slots that still read the old value of this local get it now.
        code = flush((p) => readsLocal(p, target)) + `${target}=${value};`;
        if (op === 0x21) h--;
        else if (forward) pend[h - 1] = target;
        else code += `${s(h - 1)}=${target};`;
        break;
      }
      case 0x23: uses.add(`g${ins.index}`); code = `${s(h)}=g${ins.index}[0];`; push(); break;
      case 0x24: uses.add(`g${ins.index}`); h--; code = `g${ins.index}[0]=${val(h)};`; pend[h] = undefined; break;
      case 0x25: uses.add(`tb${ins.index}`); code = `${a}=R.tableGet(tb${ins.index},${a});`; break;
      case 0x26: uses.add(`tb${ins.index}`); code = `R.tableSet(tb${ins.index},${b},${a});`; h -= 2; break;
      case 0x3f: usesMemory = true; code = `${s(h)}=M.byteLength/65536|0;`; push(); break; // memory.size
      case 0x40: usesMemory = true; code = `${a}=mem0.grow(${a}>>>0);M=mem0.view;`; break; // memory.grow
      case 0x41: case 0x43: // i32.const, f32.const (bits)
        if (forward) pend[h] = literal(String(ins.i32));
        else code = `${s(h)}=${ins.i32};`;
        push();
        break;
      case 0x42:
        if (forward) pend[h] = literal(`${ins.i64}n`);
        else code = `${s(h)}=${ins.i64}n;`;
        push();
        break;
      case 0x44: {
        const v = f64FromBits(ins.i64!);
        if (Number.isNaN(v)) {
          f64Constants.push(ins.i64!);
          code = `${s(h)}=KF[${f64Constants.length - 1}];`;
        } else if (forward) pend[h] = literal(Object.is(v, -0) ? '-0' : String(v));
        else code = `${s(h)}=${Object.is(v, -0) ? '-0' : String(v)};`;
        push();
        break;
      }
      case 0xd0: code = `${s(h)}=null;`; push(); break; // ref.null
      case 0xd1: code = `${a}=${a}===null?1:0;`; break; // ref.is_null
      case 0xd2: uses.add('FO'); code = `${s(h)}=FO[${ins.index}];`; push(); break; // ref.func
      default: {
        const pure = PURE_OPS[name];
        if (pure !== undefined && info?.sig) {
          const n = info.sig.params.length;
          const ops = [val(h - n), val(h - n + 1), val(h - n + 2)];
          for (let k = h - n; k < h; k++) pend[k] = undefined;
          let expr = pure;
          // A literal i64 shift count is masked here so V8 sees a constant shift.
          const count = /^\(?(-?\d+)n\)?$/.exec(ops[1]!);
          if (count && expr.includes('($b&63n)')) expr = expr.replace('($b&63n)', `${BigInt(count[1]!) & 63n}n`);
          const value = expr.replace(/\$a/g, ops[0]!).replace(/\$b/g, ops[1]!).replace(/\$c/g, ops[2]!);
          const next = body[i + 1]?.op;
          // A comparison feeding br_if/if goes straight into the JS condition.
          if (forward && (next === 0x0d || next === 0x04) && value.endsWith('?1:0)') && !value.includes('R.')) pend[h - n] = value;
          else code = `${s(h - n)}=${value};`;
          h = h - n + 1;
          break;
        }
        const ea = address(h - 1, ins.memOffset);
        const load = LOADS[name];
        // Instruction-probed code (an armed run, e.g. while stepping) checks bounds itself so an
        // out-of-bounds access is reported before it unwinds. Elsewhere DataView's RangeError does
        // the check for free (explicit checks made the debug tier 2-4x slower on sort and n-body).
        const bounds = (at: string): string => (probeHere
          ? `if(${at}+${2 ** (info?.naturalAlign ?? 0)}>M.byteLength)R.trap("out of bounds memory access");` : '');
        if (load !== undefined) {
          usesMemory = true;
          code = `${bounds(ea)}${s(h - 1)}=${load.replace('$ea', ea)};`;
          pend[h - 1] = undefined;
          break;
        }
        const store = STORES[name];
        if (store !== undefined) {
          usesMemory = true;
          const at = address(h - 2, ins.memOffset);
          code = `${bounds(at)}${store.replace('$ea', at).replace(/\$v/g, a)};`;
          pend[h - 1] = pend[h - 2] = undefined;
          h -= 2;
          break;
        }
        const r = generateOther(name, ins, h, uses, s);
        if (r === undefined) throw new Error(`engine: no code generator for ${name} (function ${funcIndex}, offset ${ins.offset})`);
        if (r.memory) usesMemory = true;
        code = r.code + (r.refreshMemory ? 'M=mem0.view;' : '');
        h = h - r.pops + r.pushes;
        if (h > maxHeight) maxHeight = h;
        if (r.constant !== undefined) {
          constants.push(r.constant);
          code = code.replace('$K', `K[${constants.length - 1}]`);
        }
      }
    }
    if (probed && code.includes('R.trap(')) {
      // Probed code reports explicit traps with the frame's values before unwinding.
      const values = inArrays ? 'L,S' : `[${regLocals}],[${stackBefore}]`;
      code = code.replace(/R\.trap\(/g, `D.t(${siteBase + i},${values},${heightBefore},`);
    }
    if (countAfter) code += `${counterRef(countBlock)}++;`;
    emit(pre + code, ins.offset);
    return i + 1;
  };

  // Probed tier: each straight-line run of instructions (see runEnd) is emitted twice, behind one
  // check of its run flag: a copy with a probe before every instruction, and a copy without. So a
  // function pays one flag test per run rather than per instruction while nothing in the run is
  // armed (breakpoints arm their run's flag too; stepping and pause arm everything).
  for (let i = 0; i < body.length;) {
    // Array-frame functions are the large ones: doubling their code costs more than the checks.
    const last = probed && !arrays && !dead ? runEnd(body, i) : i;
    if (last === i) { i = generate(i); continue; }
    const startHeight = h;
    const probedStart = lines.length;
    inArrays = true;
    for (let k = i; k <= last; k++) generate(k);
    inArrays = false;
    const endHeight = h;
    // Into the arrays on entry (the trailing null keeps them generic-elements arrays, which keep
    // f64 NaN payloads), back into registers on exit.
    const spill = `L=[${regLocals}];S=[${[...Array.from({ length: startHeight }, (_, k) => `s${k}`), 'null'].join(',')}];`;
    const reload = localTypes.map((_, k) => `l${k}=L[${k}];`).join('')
      + Array.from({ length: endHeight }, (_, k) => `s${k}=S[${k}];`).join('');
    lines[probedStart] = `if(P[${input.runFlagBase + siteBase + i}]!==0){${spill}${lines[probedStart]}`;
    lines[lines.length - 1] += reload;
    h = startHeight;
    probeHere = false;
    forward = true; // runs start with nothing pending, and the copy materialises all before its end
    const fastStart = lines.length;
    for (let k = i; k <= last; k++) generate(k);
    lines[lines.length - 1] += flush();
    forward = false;
    probeHere = true;
    lines[fastStart] = `}else{${lines[fastStart]}`;
    lines[lines.length - 1] += '}';
    if (h !== endHeight) throw new Error(`engine: run copies of function ${funcIndex} disagree on stack height`);
    i = last + 1;
  }

  // Bindings line: only what this function uses, as constants captured by the returned closure.
  const binds: string[] = ['R=E.R', 'N=E.N'];
  if (usesMemory || usesMemoryAnywhere) binds.push('mem0=E.mem0');
  if (probed) binds.push('P=E.P', 'D=E.D');
  if (counting) binds.push(`CB=E.PC.countsFor(${defIndex})`);
  for (const u of uses) {
    if (u === 'F' || u === 'RI' || u === 'RF' || u === 'FO' || u === 'SIG' || u === 'PC') binds.push(`${u}=E.${u}`);
    else if (u === 'SM') binds.push('SM=E.S'); // `S` is the probed tier's stack array
    else if (u.startsWith('g')) binds.push(`${u}=E.G[${u.slice(1)}].cell`);
    else if (u.startsWith('tb')) binds.push(`${u}=E.T[${u.slice(2)}]`);
    else if (u.startsWith('t')) binds.push(`${u}=E.T[${u.slice(1)}].elements`);
  }
  lines[0] = `const ${binds.join(',')};`;
  lines[1] = `return function ${sourceName.replace(/[^A-Za-z0-9_$]/g, '_')}(${type.params.map((_, k) => `l${k}`).join(',')}){`;
  const decls: string[] = [];
  if (arrays) {
    // The trailing null keeps L a generic-elements array: stored f64 NaNs keep their payload.
    const init = localTypes.map((t, k) => (k < nParams ? `l${k}` : defaultValueExpr(t)));
    decls.push(`L=[${[...init, 'null'].join(',')}]`, `S=new Array(${maxHeight + 1}).fill(null)`);
  } else {
    for (let k = nParams; k < localTypes.length; k++) decls.push(`l${k}=${defaultValueExpr(localTypes[k]!)}`);
    for (let k = 0; k < maxHeight; k++) decls.push(`s${k}=0`);
    if (probed) decls.push('L=null', 'S=null');
  }
  for (const b of registerCounters) decls.push(`c${b}=0`);
  decls.push('C=null', 'T=null');
  if (usesMemory) decls.push('M=mem0.view');
  // Block 0 is the function entry (its count is the call count), counted here when chosen.
  lines[2] = `let ${decls.join(',')};${counting?.counted[0] === 1 ? 'CB[0]++;' : ''}`;
  if (registerCounters.length > 0) {
    // The body's last line closes the function: close the try there and flush the locals.
    lines[2] += 'try{';
    const last = lines.length - 1;
    if (!lines[last]!.endsWith('}')) throw new Error(`engine: function ${funcIndex} does not end with its closing brace`);
    lines[last] = `${lines[last]!}finally{${registerCounters.map((b) => `CB[${b}]+=c${b};`).join('')}}}`;
  }
  // A function that never touches memory has no cached view to refresh after its calls.
  const refresh = usesMemory ? 'M=mem0.view;' : '';
  const source = lines.join('\n').replace(/\/\*M\*\//g, refresh) + `\n//# sourceURL=${sourceName}`;
  const f64 = new Float64Array(BigInt64Array.from(f64Constants).buffer);
  return { source, constants, f64Constants: f64, lineOffsets: Int32Array.from(lineOffsets) };
}

/** Instructions that read their operands through `val` and so may take forwarded values. */
function isForwardingConsumer(op: number, name: string): boolean {
  switch (op) {
    case 0x1a: case 0x20: case 0x21: case 0x22: case 0x24: case 0x41: case 0x42: case 0x43: case 0x44: case 0x10:
      return true;
    default:
      return (PURE_OPS[name] !== undefined && opByCode(op)?.sig !== undefined) || LOADS[name] !== undefined
        || STORES[name] !== undefined;
  }
}

interface OtherCode {
  code: string;
  pops: number;
  pushes: number;
  memory?: boolean;
  refreshMemory?: boolean;
  constant?: unknown;
}

// Bulk memory, tables and SIMD: rarer instructions implemented by runtime calls.
function generateOther(name: string, ins: Instr, h: number, uses: Set<string>, slot: (k: number) => string): OtherCode | undefined {
  const s = (k: number): string => slot(h - k); // s(1) is the top of the stack
  const idx = ins.index ?? 0;
  switch (name) {
    case 'memory.init': return { code: `R.memInit(${idx},${s(3)},${s(2)},${s(1)});`, pops: 3, pushes: 0, memory: true };
    case 'data.drop': return { code: `R.dataDrop(${idx});`, pops: 0, pushes: 0 };
    case 'memory.copy': return { code: `R.memCopy(${s(3)},${s(2)},${s(1)});`, pops: 3, pushes: 0, memory: true };
    case 'memory.fill': return { code: `R.memFill(${s(3)},${s(2)},${s(1)});`, pops: 3, pushes: 0, memory: true };
    case 'table.init': return { code: `R.tableInit(${ins.index2 ?? 0},${idx},${s(3)},${s(2)},${s(1)});`, pops: 3, pushes: 0 };
    case 'elem.drop': return { code: `R.elemDrop(${idx});`, pops: 0, pushes: 0 };
    case 'table.copy': return { code: `R.tableCopy(${idx},${ins.index2 ?? 0},${s(3)},${s(2)},${s(1)});`, pops: 3, pushes: 0 };
    case 'table.grow': uses.add(`tb${idx}`); return { code: `${s(2)}=tb${idx}.grow(${s(1)}>>>0,${s(2)});`, pops: 2, pushes: 1 };
    case 'table.size': uses.add(`tb${idx}`); return { code: `${slot(h)}=tb${idx}.elements.length;`, pops: 0, pushes: 1 };
    case 'table.fill': uses.add(`tb${idx}`); return { code: `R.tableFill(tb${idx},${s(3)},${s(2)},${s(1)});`, pops: 3, pushes: 0 };
    case 'v128.const': return { code: `${slot(h)}=$K;`, pops: 0, pushes: 1, constant: Uint8Array.from(ins.bytes!) };
    case 'v128.load': return { code: `${s(1)}=R.v128Load(${s(1)},${ins.memOffset ?? 0});`, pops: 1, pushes: 1, memory: true };
    case 'v128.store': return { code: `R.v128Store(${s(2)},${ins.memOffset ?? 0},${s(1)});`, pops: 2, pushes: 0, memory: true };
    case 'i8x16.shuffle':
      uses.add('SM');
      return { code: `${s(2)}=SM.i8x16_shuffle(${s(2)},${s(1)},$K);`, pops: 2, pushes: 1, constant: Uint8Array.from(ins.bytes!) };
  }
  const off = ins.memOffset ?? 0;
  let m = /^v128\.load(8x8|16x4|32x2)_([su])$/.exec(name);
  if (m) { uses.add('SM'); return { code: `${s(1)}=SM.v128_load${m[1]}_${m[2]}(R.bytesAt(${s(1)},${off},8),0);`, pops: 1, pushes: 1, memory: true }; }
  m = /^v128\.load(8|16|32|64)_(splat|zero)$/.exec(name);
  if (m) {
    uses.add('SM');
    const load = `R.scalarLoad(${s(1)},${off},${m[1]})`;
    return { code: `${s(1)}=SM.v128_load${m[1]}_${m[2]}(${load});`, pops: 1, pushes: 1, memory: true };
  }
  m = /^v128\.load(8|16|32|64)_lane$/.exec(name);
  if (m) {
    uses.add('SM');
    return { code: `${s(2)}=SM.v128_load${m[1]}_lane(${s(1)},R.scalarLoad(${s(2)},${off},${m[1]}),${ins.lane});`, pops: 2, pushes: 1, memory: true };
  }
  m = /^v128\.store(8|16|32|64)_lane$/.exec(name);
  if (m) {
    uses.add('SM');
    return { code: `R.scalarStore(${s(2)},${off},${m[1]},SM.v128_store${m[1]}_lane(${s(1)},${ins.lane}));`, pops: 2, pushes: 0, memory: true };
  }
  const info = opByCode(ins.op);
  if (info && (ins.op >> 8) === 0xfd && info.sig) {
    uses.add('SM');
    const n = info.sig.params.length;
    const args = Array.from({ length: n }, (_, k) => s(n - k));
    if (ins.lane !== undefined) args.push(String(ins.lane));
    const fn = name.replace('.', '_');
    return { code: `${s(n)}=SM.${fn}(${args.join(',')});`, pops: n, pushes: info.sig.results.length };
  }
  return undefined;
}
