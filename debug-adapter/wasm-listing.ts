// The read-only text shown for a .wasm that has no source: one line per instruction, indented by
// block depth, under a `(func …)` header per function, so breakpoints and stepping work on lines
// exactly as they do for a .wat. Built from disassembly.ts's instruction text.
//
// TODO(lead): when runtime/text/printer.ts (`printModule`) lands, build this document from its
// text and offset map instead, so .wasm files read like the CLI's `wasmscope print` output.
import type { Module } from '../runtime/wasm/types.js';
import { importCounts, valTypeName } from '../runtime/wasm/types.js';
import { formatInstruction, functionName } from './disassembly.js';
import type { FunctionExtent, LineEntry } from './source-lines.js';

export interface Listing {
  text: string;
  entries: LineEntry[];
  functions: FunctionExtent[];
}

const OP_BLOCK = 0x02, OP_LOOP = 0x03, OP_IF = 0x04, OP_ELSE = 0x05, OP_END = 0x0b;

export function listModule(m: Module): Listing {
  const lines: string[] = ['(module'];
  const entries: LineEntry[] = [];
  const functions: FunctionExtent[] = [];
  const base = importCounts(m).funcs;
  m.funcs.forEach((fn, i) => {
    const funcIndex = base + i;
    const type = m.types[fn.typeIndex];
    const header = [`  (func $${functionName(m, funcIndex)} (;${funcIndex};)`];
    if (type?.params.length) header.push(`(param ${type.params.map(valTypeName).join(' ')})`);
    if (type?.results.length) header.push(`(result ${type.results.map(valTypeName).join(' ')})`);
    const startLine = lines.length;
    lines.push(header.join(' '));
    if (fn.locals.length) lines.push(`    (local ${fn.locals.map(valTypeName).join(' ')})`);
    let depth = 0;
    fn.body.forEach((instr, k) => {
      const isLast = k === fn.body.length - 1;
      if (instr.op === OP_END || instr.op === OP_ELSE) depth = Math.max(0, depth - 1);
      const text = isLast && instr.op === OP_END ? ')' : formatInstruction(instr, m, funcIndex);
      const indent = isLast ? '  ' : '    ' + '  '.repeat(depth);
      const line = lines.length;
      lines.push(indent + text);
      entries.push({ offset: instr.offset, funcIndex, line, column: indent.length, endLine: line,
        endColumn: indent.length + text.length });
      if (instr.op === OP_BLOCK || instr.op === OP_LOOP || instr.op === OP_IF || instr.op === OP_ELSE) depth++;
    });
    functions.push({ funcIndex, startLine, endLine: lines.length - 1, codeStart: fn.codeStart, end: fn.end });
  });
  lines.push(')');
  return { text: lines.join('\n') + '\n', entries, functions };
}
