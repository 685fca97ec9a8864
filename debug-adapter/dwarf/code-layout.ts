// Where code is in the module binary: the code section payload (DWARF's address 0) and the
// function body containing an absolute offset. Shared by the line table (to drop dead code) and
// DwarfInfo (to place breakpoints on instructions).
import { importCounts, type Func, type Module } from '../../runtime/wasm/types.js';

/**
 * Absolute offset of the code section's payload (its function count), which DWARF addresses in
 * Wasm are relative to. The decoder keeps each body's start; the count's LEB sits right before
 * the first one. Undefined for a module without functions.
 */
export function codeSectionOffset(module: Module): number | undefined {
  const first = module.funcs[0];
  if (!first) return undefined;
  const bytes = module.bytes;
  // The count may be padded (a non-minimal LEB, up to 5 bytes): find the LEB that ends at the body.
  for (let len = 1; len <= 5; len++) {
    const start = first.start - len;
    if (start < 0) break;
    let value = 0, ok = true;
    for (let i = 0; i < len; i++) {
      const b = bytes[start + i]!;
      const last = i === len - 1;
      if (((b & 0x80) === 0) !== last) { ok = false; break; }
      value += (b & 0x7f) * 2 ** (7 * i);
    }
    if (ok && value === module.funcs.length) return start;
  }
  return undefined;
}

/** The defined function whose body (size, locals and code) contains `offset`. */
export function functionContaining(module: Module, offset: number): { funcIndex: number; func: Func } | undefined {
  const funcs = module.funcs;
  let lo = 0, hi = funcs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const f = funcs[mid]!;
    if (offset < f.start) hi = mid - 1;
    else if (offset >= f.end) lo = mid + 1;
    else return { funcIndex: importCounts(module).funcs + mid, func: f };
  }
  return undefined;
}

/**
 * A function's DWARF address (its low_pc, where its first line row sits) is the start of its
 * body — the size and local declarations — not its first instruction. Breakpoints and ranges
 * must start on an instruction, so offsets in that header move to the first instruction.
 */
export function firstInstructionAt(module: Module, offset: number): number {
  const f = functionContaining(module, offset)?.func;
  return f && offset < f.codeStart ? f.codeStart : offset;
}
