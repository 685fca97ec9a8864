// Instructions and functions as the Disassembly view and the stack show them. Instruction text
// comes from the one printer (runtime/text/printer.ts), with names from the name section.
import type { Instr, Module } from '../runtime/wasm/types.js';
import { importCounts } from '../runtime/wasm/types.js';
import { instructionPrinter } from '../runtime/text/printer.js';

const printers = new WeakMap<Module, (instr: Instr, funcIndex?: number) => string>();

/** The instruction as the printer writes it, e.g. `local.get $n`, `i32.load offset=4`, `call $fac`. */
export function formatInstruction(instr: Instr, m: Module, funcIndex: number): string {
  let print = printers.get(m);
  if (!print) printers.set(m, print = instructionPrinter(m));
  return print(instr, funcIndex);
}

/** Raw bytes of an instruction as hex, for the Disassembly view's bytes column. */
export function instructionBytes(m: Module, offset: number, end: number): string {
  return Array.from(m.bytes.subarray(offset, Math.min(end, offset + 24)), (b) => b.toString(16).padStart(2, '0'))
    .join(' ');
}

/** A function's display name: name section (WAT `$id`), else an export name, else `func[N]`. */
export function functionName(m: Module, funcIndex: number): string {
  const name = m.names.funcs.get(funcIndex);
  if (name !== undefined) return name;
  const exp = m.exports.find((e) => e.kind === 'func' && e.index === funcIndex);
  if (exp) return exp.name;
  const imported = funcIndex < importCounts(m).funcs
    ? m.imports.filter((i) => i.desc.kind === 'func')[funcIndex] : undefined;
  if (imported) return `${imported.module}.${imported.name}`;
  return `func[${funcIndex}]`;
}
