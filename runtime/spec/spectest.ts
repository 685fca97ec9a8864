// The `spectest` host module every spec script may import from (its contents are fixed by the
// spec interpreter): print functions that do nothing observable, four globals, a table, a memory.
import { WasmGlobal, WasmMemory, WasmTable } from '../engine/externs.js';
import { fb } from '../engine/numeric.js';
import type { Imports } from '../engine/index.js';
import { ValType } from '../wasm/types.js';

export function createSpectestImports(): Imports {
  const print = (): void => {};
  return {
    spectest: {
      print, print_i32: print, print_i64: print, print_f32: print, print_f64: print,
      print_i32_f32: print, print_f64_f64: print,
      global_i32: new WasmGlobal({ type: ValType.I32, mutable: false }, 666),
      global_i64: new WasmGlobal({ type: ValType.I64, mutable: false }, 666n),
      global_f32: new WasmGlobal({ type: ValType.F32, mutable: false }, fb(666.6)),
      global_f64: new WasmGlobal({ type: ValType.F64, mutable: false }, 666.6),
      table: new WasmTable(ValType.FuncRef, { min: 10, max: 20 }),
      memory: new WasmMemory({ min: 1, max: 2 }),
    },
  };
}
