// The static types of operand-stack slots, from the one validator. The engine carries f32 values
// as their int32 bit pattern and f64 values as JS numbers, so from a raw slot alone an f32 looks
// like an i32 and an integral f64 like one too; the validator knows what each slot really is
// before every instruction. Functions are re-validated lazily, one at a time, when a stop shows
// their stack.
import type { DebugValue } from '../runtime/engine/debug-api.js';
import { buildContext, type ValidationContext } from '../runtime/validate/context.js';
import { validateFunction } from '../runtime/validate/function.js';
import { importCounts, ValType, type Module } from '../runtime/wasm/types.js';

type SlotType = ValType | 'unknown';

export class StackTypes {
  private context: ValidationContext | undefined;
  /** funcIndex → offset → stack types before the instruction at that offset. */
  private readonly byFunction = new Map<number, Map<number, readonly SlotType[]>>();

  constructor(private readonly module: Module) {}

  /** Stack types before the instruction at `offset` in `funcIndex`, bottom first; undefined if unknown. */
  at(funcIndex: number, offset: number): readonly SlotType[] | undefined {
    let perOffset = this.byFunction.get(funcIndex);
    if (!perOffset) {
      perOffset = new Map();
      this.byFunction.set(funcIndex, perOffset);
      const func = this.module.funcs[funcIndex - importCounts(this.module).funcs];
      if (func) {
        this.context ??= buildContext(this.module);
        const into = perOffset;
        try {
          validateFunction(this.context, funcIndex, func, {
            instr: (_f, instrIndex, stack) => { into.set(func.body[instrIndex]!.offset, [...stack]); },
          });
        } catch {
          // The launch validated the module; a failure here only means no static types to show.
        }
      }
    }
    return perOffset.get(offset);
  }
}

function floatText(x: number): string {
  return Number.isNaN(x) ? 'nan' : Object.is(x, -0) ? '-0' : String(x);
}

/** The engine's value of a stack slot, re-read as the slot's static type where they differ. */
export function retype(value: DebugValue, type: SlotType | undefined): DebugValue {
  if (type === ValType.F32 && value.type === 'i32') {
    const view = new DataView(new ArrayBuffer(4));
    view.setInt32(0, value.raw as number);
    return { type: 'f32', text: floatText(view.getFloat32(0)), raw: value.raw };
  }
  if (type === ValType.F64 && value.type === 'i32') {
    const n = value.raw as number;
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, n);
    return { type: 'f64', text: floatText(n), raw: view.getBigUint64(0).toString(16).padStart(16, '0') };
  }
  if (type === ValType.ExternRef && value.type === 'funcref') return { type: 'externref', text: value.text, raw: value.raw };
  return value;
}
