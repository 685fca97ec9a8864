// Validation of one function body: the spec's algorithm (appendix "Validation Algorithm") with an
// operand stack of value types, a control stack, and stack polymorphism after unconditional
// branches. Fixed-signature instructions come from the opcode table, so only the context-dependent
// ones have cases here.

import { bodyForOnePass } from '../binary/on-demand-func.js';
import { BLOCK_EMPTY, ValType, valTypeName, type Func, type FuncType, type Instr } from '../wasm/types.js';
import { OPS, opByCode, PREFIX_MISC, SELECT_TYPED } from '../wasm/opcodes.js';
import { ValidationError } from '../wasm/errors.js';
import { isRefType, type ValidationContext } from './context.js';

/** A stack slot whose type is not known (popped from the polymorphic stack of unreachable code). */
export const UNKNOWN = 0;

export interface ValidationObserver {
  /**
   * Called before each instruction with the operand stack types (bottom first). Lets the
   * language server show stack types and the engine learn stack heights without a second pass.
   */
  instr?(funcIndex: number, instrIndex: number, stackBefore: readonly (ValType | 'unknown')[]): void;
}

/** Facts the engine needs about a valid function. */
export interface FunctionFacts {
  /** Largest number of operand values live at once (locals not included). */
  maxStackHeight: number;
  /** Deepest nesting of blocks, loops and ifs, counting the function body itself. */
  maxControlDepth: number;
}

interface Frame {
  op: number;
  params: readonly number[];
  results: readonly number[];
  height: number;
  unreachable: boolean;
}

const NONE: readonly number[] = [];
const SINGLE: Record<number, readonly number[]> = {};
for (const t of [ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.V128, ValType.FuncRef, ValType.ExternRef]) {
  SINGLE[t] = [t];
}

// Fixed signatures by opcode, as dense tables for the hot loop.
const SIG_PARAMS: (readonly number[] | undefined)[] = new Array(0xfe00);
const SIG_RESULTS: (readonly number[] | undefined)[] = new Array(0xfe00);
const NATURAL_ALIGN = new Int8Array(0xfe00).fill(-1);
const LANES = new Uint8Array(0xfe00);
for (const op of OPS) {
  if (op.sig) { SIG_PARAMS[op.code] = op.sig.params; SIG_RESULTS[op.code] = op.sig.results; }
  if (op.naturalAlign !== undefined) NATURAL_ALIGN[op.code] = op.naturalAlign;
  if (op.lanes !== undefined) LANES[op.code] = op.lanes;
}

const I32 = ValType.I32;
const misc = (n: number): number => (PREFIX_MISC << 8) + n;
const OP_MEMORY_INIT = misc(8), OP_DATA_DROP = misc(9), OP_MEMORY_COPY = misc(10), OP_MEMORY_FILL = misc(11);
const OP_TABLE_INIT = misc(12), OP_ELEM_DROP = misc(13), OP_TABLE_COPY = misc(14), OP_TABLE_GROW = misc(15);
const OP_TABLE_SIZE = misc(16), OP_TABLE_FILL = misc(17);
const OP_SHUFFLE = 0xfd0d;

function typeText(t: number): string {
  return t === UNKNOWN ? 'any' : valTypeName(t as ValType);
}

export function typesText(ts: readonly number[]): string {
  return `[${ts.map(typeText).join(' ')}]`;
}

function opName(op: number): string {
  return opByCode(op)?.name ?? `opcode 0x${op.toString(16)}`;
}

/** Validate a function body; throws the first ValidationError. */
export function validateFunction(ctx: ValidationContext, funcIndex: number, func: Func, observer?: ValidationObserver): FunctionFacts {
  return new FunctionValidator(ctx, funcIndex, func, observer).run();
}

class FunctionValidator {
  private vals: number[] = [];
  private sp = 0;
  private ctrls: Frame[] = [];
  private maxSp = 0;
  private maxDepth = 0;
  private readonly locals: number[];
  private readonly type: FuncType;
  private instr: Instr;
  private readonly body: Instr[];

  constructor(private readonly ctx: ValidationContext, private readonly funcIndex: number, private readonly func: Func,
    private readonly observer?: ValidationObserver) {
    const type = ctx.types[func.typeIndex];
    this.body = bodyForOnePass(func);
    this.instr = this.body[0] ?? { op: 0x0b, offset: func.codeStart };
    if (!type) this.fail(`unknown type ${func.typeIndex}`, func.start);
    this.type = type;
    this.locals = [...type.params, ...func.locals];
  }

  private fail(message: string, offset: number = this.instr.offset): never {
    throw new ValidationError(message, { offset, funcIndex: this.funcIndex });
  }

  private mismatch(expected: readonly number[], found: readonly number[]): never {
    this.fail(`type mismatch in ${opName(this.instr.op)}: expected ${typesText(expected)}, found ${typesText(found)}`);
  }

  private push(t: number): void {
    this.vals[this.sp++] = t;
    if (this.sp > this.maxSp) this.maxSp = this.sp;
  }

  private pushAll(ts: readonly number[]): void {
    for (let i = 0; i < ts.length; i++) this.vals[this.sp++] = ts[i]!;
    if (this.sp > this.maxSp) this.maxSp = this.sp;
  }

  /** Pop one value of any type; UNKNOWN when the polymorphic stack of unreachable code runs dry. */
  private popAny(): number {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    if (this.sp === frame.height) {
      if (frame.unreachable) return UNKNOWN;
      this.fail(`type mismatch in ${opName(this.instr.op)}: expected a value, found []`);
    }
    return this.vals[--this.sp]!;
  }

  private pop(expected: number): number {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    if (this.sp === frame.height) {
      if (frame.unreachable) return expected;
      this.mismatch([expected], NONE);
    }
    const actual = this.vals[this.sp - 1]!;
    if (actual !== expected && actual !== UNKNOWN && expected !== UNKNOWN) this.mismatch([expected], [actual]);
    this.sp--;
    return actual;
  }

  /** Pop `expected` (top of stack last), checking all of them before reporting a mismatch. */
  private popAll(expected: readonly number[]): void {
    const n = expected.length;
    if (n === 0) return;
    const frame = this.ctrls[this.ctrls.length - 1]!;
    const available = this.sp - frame.height;
    for (let i = 0; i < n; i++) {
      const want = expected[n - 1 - i]!;
      if (i >= available) {
        if (frame.unreachable) break;
        this.mismatch(expected, this.vals.slice(frame.height, this.sp));
      }
      const actual = this.vals[this.sp - 1 - i]!;
      if (actual !== want && actual !== UNKNOWN && want !== UNKNOWN) {
        this.mismatch(expected, this.vals.slice(Math.max(frame.height, this.sp - n), this.sp));
      }
    }
    this.sp -= Math.min(n, available);
  }

  private pushFrame(op: number, params: readonly number[], results: readonly number[]): void {
    this.ctrls.push({ op, params, results, height: this.sp, unreachable: false });
    if (this.ctrls.length > this.maxDepth) this.maxDepth = this.ctrls.length;
    this.pushAll(params);
  }

  private popFrame(): Frame {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    this.popAll(frame.results);
    if (this.sp !== frame.height) {
      this.fail(`type mismatch in ${opName(this.instr.op)}: expected ${typesText(frame.results)}, found `
        + `${typesText(this.vals.slice(frame.height, this.sp + frame.results.length))}`);
    }
    this.ctrls.pop();
    return frame;
  }

  private setUnreachable(): void {
    const frame = this.ctrls[this.ctrls.length - 1]!;
    this.sp = frame.height;
    frame.unreachable = true;
  }

  private label(depth: number): readonly number[] {
    if (depth >= this.ctrls.length) this.fail(`unknown label ${depth}`);
    const frame = this.ctrls[this.ctrls.length - 1 - depth]!;
    return frame.op === 0x03 ? frame.params : frame.results;
  }

  private blockType(bt: number): FuncType {
    if (bt === BLOCK_EMPTY) return { params: [], results: [] };
    if (bt < 0) return { params: [], results: [bt + 0x80] };
    const t = this.ctx.types[bt];
    if (!t) this.fail(`unknown type ${bt}`);
    return t;
  }

  private local(index: number): number {
    const t = this.locals[index];
    if (t === undefined) this.fail(`unknown local ${index}`);
    return t;
  }

  private global(index: number): { type: ValType; mutable: boolean } {
    const g = this.ctx.globals[index];
    if (!g) this.fail(`unknown global ${index}`);
    return g;
  }

  private table(index: number): number {
    const t = this.ctx.tables[index];
    if (!t) this.fail(`unknown table ${index}`);
    return t.elem;
  }

  private memory(index: number): void {
    if (index >= this.ctx.memories.length) this.fail(`unknown memory ${index}`);
  }

  private funcType(index: number): FuncType {
    const ti = this.ctx.funcTypeIndices[index];
    if (ti === undefined) this.fail(`unknown function ${index}`);
    const t = this.ctx.types[ti];
    if (!t) this.fail(`unknown type ${ti}`);
    return t;
  }

  private memarg(instr: Instr): void {
    this.memory(0);
    if (instr.align! > NATURAL_ALIGN[instr.op]!) this.fail('alignment must not be larger than natural');
  }

  private snapshot(): (ValType | 'unknown')[] {
    const out: (ValType | 'unknown')[] = new Array(this.sp);
    for (let i = 0; i < this.sp; i++) {
      const t = this.vals[i]!;
      out[i] = t === UNKNOWN ? 'unknown' : t as ValType;
    }
    return out;
  }

  run(): FunctionFacts {
    const body = this.body;
    const observe = this.observer?.instr ? this.observer : undefined;
    this.pushFrame(-1, NONE, this.type.results);
    // pushFrame pushed no params for the function frame: parameters are locals, not operands.
    for (let pc = 0; pc < body.length; pc++) {
      const instr = body[pc]!;
      this.instr = instr;
      if (this.ctrls.length === 0) this.fail('operators remaining after end of function');
      if (observe) observe.instr!(this.funcIndex, pc, this.snapshot());
      const op = instr.op;
      const params = SIG_PARAMS[op];
      if (params !== undefined) {
        // Fixed-signature instruction: check its immediates, then its operands.
        if (NATURAL_ALIGN[op]! >= 0) this.memarg(instr);
        if (LANES[op]! > 0 && instr.lane! >= LANES[op]!) this.fail(`invalid lane index ${instr.lane}`);
        if (op >= OP_MEMORY_INIT && op <= OP_TABLE_SIZE) this.bulkImmediates(instr);
        else if (op === OP_SHUFFLE) {
          for (const lane of instr.bytes!) if (lane >= 32) this.fail(`invalid lane index ${lane}`);
        } else if (op === 0x3f || op === 0x40) this.memory(instr.index!);
        else if (op === 0xd2) this.refFunc(instr.index!);
        if (params.length === 2 && params[0] === params[1] && this.sp - this.ctrls[this.ctrls.length - 1]!.height >= 2) {
          // Fast path for the common binary operators.
          const want = params[0]!;
          const a = this.vals[this.sp - 2]!, b = this.vals[this.sp - 1]!;
          if ((a !== want && a !== UNKNOWN) || (b !== want && b !== UNKNOWN)) this.mismatch(params, [a, b]);
          this.sp -= 2;
        } else {
          this.popAll(params);
        }
        this.pushAll(SIG_RESULTS[op]!);
        continue;
      }
      this.contextual(instr);
    }
    if (this.ctrls.length !== 0) this.fail('unexpected end of function', this.func.end);
    return { maxStackHeight: this.maxSp, maxControlDepth: this.maxDepth };
  }

  private refFunc(index: number): void {
    this.funcType(index);
    if (!this.ctx.refs[index]) this.fail(`undeclared function reference ${index}`);
  }

  /** Index checks of the 0xFC bulk memory and table instructions with fixed operand types. */
  private bulkImmediates(instr: Instr): void {
    const ctx = this.ctx;
    switch (instr.op) {
      case OP_MEMORY_INIT:
        this.memory(0);
        if (instr.index! >= ctx.dataCount) this.fail(`unknown data segment ${instr.index}`);
        break;
      case OP_DATA_DROP:
        if (instr.index! >= ctx.dataCount) this.fail(`unknown data segment ${instr.index}`);
        break;
      case OP_MEMORY_COPY: case OP_MEMORY_FILL:
        this.memory(0);
        break;
      case OP_TABLE_INIT: {
        const tableType = this.table(instr.index2!);
        const elemType = ctx.elemTypes[instr.index!];
        if (elemType === undefined) this.fail(`unknown elem segment ${instr.index}`);
        if (elemType !== tableType) {
          this.fail(`type mismatch in table.init: element segment of ${typeText(elemType)}, table of ${typeText(tableType)}`);
        }
        break;
      }
      case OP_ELEM_DROP:
        if (ctx.elemTypes[instr.index!] === undefined) this.fail(`unknown elem segment ${instr.index}`);
        break;
      case OP_TABLE_COPY: {
        const dst = this.table(instr.index!), src = this.table(instr.index2!);
        if (dst !== src) this.fail(`type mismatch in table.copy: table of ${typeText(src)} copied into table of ${typeText(dst)}`);
        break;
      }
      case OP_TABLE_SIZE:
        this.table(instr.index!);
        break;
    }
  }

  /** Instructions whose operand types depend on immediates, the context or the stack. */
  private contextual(instr: Instr): void {
    const op = instr.op;
    switch (op) {
      case 0x00: this.setUnreachable(); return; // unreachable
      case 0x02: case 0x03: { // block, loop
        const bt = this.blockType(instr.blockType!);
        this.popAll(bt.params);
        this.pushFrame(op, bt.params, bt.results);
        return;
      }
      case 0x04: { // if
        const bt = this.blockType(instr.blockType!);
        this.pop(I32);
        this.popAll(bt.params);
        this.pushFrame(op, bt.params, bt.results);
        return;
      }
      case 0x05: { // else
        const frame = this.ctrls[this.ctrls.length - 1]!;
        if (frame.op !== 0x04) this.fail('else without matching if');
        this.popFrame();
        this.pushFrame(0x05, frame.params, frame.results);
        return;
      }
      case 0x0b: { // end
        const frame = this.popFrame();
        if (frame.op === 0x04 && typesText(frame.params) !== typesText(frame.results)) {
          // An if without else behaves as if its else-branch passed the parameters through.
          this.fail(`type mismatch in if without else: parameters ${typesText(frame.params)} must equal results `
            + typesText(frame.results));
        }
        this.pushAll(frame.results);
        return;
      }
      case 0x0c: // br
        this.popAll(this.label(instr.index!));
        this.setUnreachable();
        return;
      case 0x0d: { // br_if
        this.pop(I32);
        const types = this.label(instr.index!);
        this.popAll(types);
        this.pushAll(types);
        return;
      }
      case 0x0e: { // br_table
        this.pop(I32);
        const defaultTypes = this.label(instr.index!);
        const arity = defaultTypes.length;
        for (const depth of instr.labels!) {
          const types = this.label(depth);
          if (types.length !== arity) {
            this.fail(`type mismatch in br_table: label ${depth} takes ${typesText(types)}, default label takes `
              + typesText(defaultTypes));
          }
          const before = this.sp;
          this.popAll(types);
          this.sp = before;
        }
        this.popAll(defaultTypes);
        this.setUnreachable();
        return;
      }
      case 0x0f: // return
        this.popAll(this.type.results);
        this.setUnreachable();
        return;
      case 0x10: { // call
        const t = this.funcType(instr.index!);
        this.popAll(t.params);
        this.pushAll(t.results);
        return;
      }
      case 0x11: { // call_indirect
        const elem = this.table(instr.index2!);
        if (elem !== ValType.FuncRef) this.fail(`type mismatch in call_indirect: table ${instr.index2} is not a funcref table`);
        const t = this.ctx.types[instr.index!];
        if (!t) this.fail(`unknown type ${instr.index}`);
        this.pop(I32);
        this.popAll(t.params);
        this.pushAll(t.results);
        return;
      }
      case 0x1a: this.popAny(); return; // drop
      case 0x1b: { // select
        this.pop(I32);
        const t1 = this.popAny();
        const t2 = this.popAny();
        if (isRefType(t1) || isRefType(t2)) {
          this.fail(`type mismatch in select: reference operands need a typed select, found ${typesText([t2, t1])}`);
        }
        if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.mismatch([t1, t1, I32], [t2, t1, I32]);
        this.push(t1 === UNKNOWN ? t2 : t1);
        return;
      }
      case SELECT_TYPED: {
        const types = instr.types!;
        if (types.length !== 1) this.fail('invalid result arity');
        const t = types[0]!;
        this.pop(I32);
        this.pop(t);
        this.pop(t);
        this.push(t);
        return;
      }
      case 0x20: this.push(this.local(instr.index!)); return; // local.get
      case 0x21: this.pop(this.local(instr.index!)); return; // local.set
      case 0x22: { // local.tee
        const t = this.local(instr.index!);
        this.pop(t);
        this.push(t);
        return;
      }
      case 0x23: this.push(this.global(instr.index!).type); return; // global.get
      case 0x24: { // global.set
        const g = this.global(instr.index!);
        if (!g.mutable) this.fail(`global is immutable: global.set ${instr.index}`);
        this.pop(g.type);
        return;
      }
      case 0x25: { // table.get
        const t = this.table(instr.index!);
        this.pop(I32);
        this.push(t);
        return;
      }
      case 0x26: { // table.set
        const t = this.table(instr.index!);
        this.popAll([I32, t]);
        return;
      }
      case OP_TABLE_GROW: {
        const t = this.table(instr.index!);
        this.popAll([t, I32]);
        this.push(I32);
        return;
      }
      case OP_TABLE_FILL: {
        const t = this.table(instr.index!);
        this.popAll([I32, t, I32]);
        return;
      }
      case 0xd0: this.push(instr.index!); return; // ref.null
      case 0xd1: { // ref.is_null
        const t = this.popAny();
        if (t !== UNKNOWN && !isRefType(t)) this.fail(`type mismatch in ref.is_null: expected a reference, found ${typesText([t])}`);
        this.push(I32);
        return;
      }
      default:
        this.fail(`illegal opcode ${opName(op)}`);
    }
  }
}
