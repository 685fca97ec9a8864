// Instructions and functions as the Disassembly view and the stack show them. Instruction text
// comes from the one printer (runtime/text/printer.ts), with names from the name section.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Instr, Module } from '../runtime/wasm/types.js';
import { importCounts } from '../runtime/wasm/types.js';
import { instructionPrinter } from '../runtime/text/printer.js';
import { instructionReference } from './breakpoints.js';
import type { Program } from './program.js';
import { demangle } from '../runtime/wasm/demangle.js';

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
  if (name !== undefined) return demangle(name);
  const exp = m.exports.find((e) => e.kind === 'func' && e.index === funcIndex);
  if (exp) return exp.name;
  const imported = funcIndex < importCounts(m).funcs
    ? m.imports.filter((i) => i.desc.kind === 'func')[funcIndex] : undefined;
  if (imported) return `${imported.module}.${imported.name}`;
  return `func[${funcIndex}]`;
}

interface ListedInstruction {
  offset: number;
  end: number;
  funcIndex: number;
  instr: Instr;
  first: boolean;
}

const instructionCache = new WeakMap<Program, ListedInstruction[]>();

/** Every instruction of every defined function, in offset order (the disassembly's address space). */
function allInstructions(program: Program): ListedInstruction[] {
  const cached = instructionCache.get(program);
  if (cached) return cached;
  const m = program.module;
  const base = importCounts(m).funcs;
  const out: ListedInstruction[] = [];
  m.funcs.forEach((fn, i) => fn.body.forEach((instr, k) => {
    out.push({ offset: instr.offset, end: fn.body[k + 1]?.offset ?? fn.end, funcIndex: base + i, instr, first: k === 0 });
  }));
  instructionCache.set(program, out);
  return out;
}

const MAX_DISASSEMBLE_COUNT = 100_000;

/**
 * The DAP `disassemble` answer: exactly `instructionCount` entries from the instruction at or
 * after memoryReference + offset, moved by instructionOffset; `where` gives the client's source
 * location fields of an instruction.
 */
export async function disassemble(program: Program, args: DebugProtocol.DisassembleArguments,
  where: (offset: number) => Promise<Pick<DebugProtocol.DisassembledInstruction, 'location' | 'line' | 'column'>>,
): Promise<DebugProtocol.DisassembledInstruction[]> {
  const m = program.module;
  const base = Number(args.memoryReference) + (args.offset ?? 0);
  if (!Number.isFinite(base)) throw new Error(`bad instruction reference "${args.memoryReference}"`);
  // Bounds keep a hostile or buggy request from looping forever (offsets past 2^53 stop counting)
  // or from allocating millions of placeholder entries.
  const count = args.instructionCount, shift = args.instructionOffset ?? 0;
  if (!Number.isInteger(count) || count < 0 || count > MAX_DISASSEMBLE_COUNT) {
    throw new Error(`instructionCount must be a whole number from 0 to ${MAX_DISASSEMBLE_COUNT}, not ${count}`);
  }
  if (!Number.isInteger(shift) || Math.abs(shift) > 0x7fffffff) throw new Error(`instructionOffset ${shift} is out of range`);
  const all = allInstructions(program);
  let anchor = all.findIndex((i) => i.offset >= base);
  if (anchor < 0) anchor = all.length;
  const first = anchor + (args.instructionOffset ?? 0);
  const instructions: DebugProtocol.DisassembledInstruction[] = [];
  for (let k = first; k < first + args.instructionCount; k++) {
    const item = all[k];
    if (!item) {
      // Outside the code: placeholders (the protocol wants exactly instructionCount entries)
      // with ascending, non-negative addresses so clients can still order them.
      const address = k < 0 ? Math.max(0, (all[0]?.offset ?? 0) + k) : m.bytes.length + (k - all.length);
      instructions.push({ address: instructionReference(address), instruction: '', presentationHint: 'invalid' });
      continue;
    }
    instructions.push({
      address: instructionReference(item.offset),
      instructionBytes: instructionBytes(m, item.offset, item.end),
      instruction: formatInstruction(item.instr, m, item.funcIndex),
      ...(item.first ? { symbol: functionName(m, item.funcIndex) } : {}),
      ...await where(item.offset),
    });
  }
  return instructions;
}
