// Source-level debugging of C, C++ and Rust through DWARF: the one entry point the debug adapter
// uses. `loadDwarf` answers undefined for a module without DWARF (the adapter then shows the Wasm
// disassembly, as before); otherwise a DwarfInfo maps source lines ↔ code, gives the (inlined)
// function frames at a pc, plans line steps, and reads C values from a stopped frame.
import { randomUUID } from 'node:crypto';
import type { Module } from '../../runtime/wasm/types.js';
import { DwarfInfo } from './dwarf-info.js';
import { moduleUrl, SourcePaths, type PathMap } from './source-paths.js';
import { SymbolEngine, type DwarfLog } from './symbol-engine.js';

export { DwarfInfo, type CodeLocation, type CodeRange, type InlineFrame, type SourceLocation } from './dwarf-info.js';
export type { CVariable, VariableScope } from './c-values.js';
export { frameStateFromSession, type DwarfFrameState } from './frame-state.js';
export type { LineStepPlan, StepPosition } from './line-steps.js';
export type { PathMap } from './source-paths.js';
export type { DwarfLog } from './symbol-engine.js';

export interface DwarfOptions {
  /** Build-time path prefix → local prefix (the launch configuration's `pathMap`). */
  pathMap?: PathMap;
  /** The module's file: relative DWARF paths (e.g. libc's) resolve against its directory. */
  modulePath?: string;
}

/** Whether the module carries DWARF line or debug information in its own custom sections. */
export function hasDwarf(module: Module): boolean {
  return module.customs.some((c) => c.name === '.debug_info' || c.name === '.debug_line');
}

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

/**
 * Loads the module's DWARF into the symbol engine (started lazily on first use; it logs that it
 * loads and how long it took). Undefined — with a log line saying why — when the module has no
 * DWARF, the engine is unavailable, or the DWARF names no source file.
 */
export async function loadDwarf(module: Module, log: DwarfLog, options: DwarfOptions = {}): Promise<DwarfInfo | undefined> {
  if (!hasDwarf(module)) {
    if (module.customs.some((c) => c.name === 'external_debug_info')) {
      log('DWARF: this module refers to separate debug info (external_debug_info), which is not supported; ' +
        'showing the Wasm disassembly');
    }
    return undefined;
  }
  const codeOffset = codeSectionOffset(module);
  if (codeOffset === undefined) {
    log('DWARF: the module has debug sections but no code; showing the Wasm disassembly');
    return undefined;
  }
  log('DWARF: debug information found; loading the symbol engine (a large Wasm module, about a second)');
  const engine = await SymbolEngine.start(log);
  if (!engine) return undefined;
  const moduleId = randomUUID();
  const started = Date.now();
  let files: string[];
  try {
    const bytes = module.bytes.slice().buffer;
    const added = await engine.rpc.sendMessage('addRawModule', moduleId, undefined,
      { url: moduleUrl(options.modulePath), code: bytes });
    if (!Array.isArray(added)) {
      throw new Error(`missing symbol files: ${added.missingSymbolFiles.join(', ')}`);
    }
    files = added;
  } catch (e) {
    log(`DWARF: the debug information could not be read (${(e as Error).message}); showing the Wasm disassembly`);
    await engine.dispose();
    return undefined;
  }
  if (files.length === 0) {
    log('DWARF: the debug information names no source file; showing the Wasm disassembly');
    await engine.dispose();
    return undefined;
  }
  log(`DWARF: ${files.length} source files read in ${Date.now() - started} ms`);
  return new DwarfInfo(engine, moduleId, new SourcePaths(files, options.pathMap), module, codeOffset);
}
