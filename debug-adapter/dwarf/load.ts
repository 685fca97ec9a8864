// Reading a module's DWARF: its line table at once, and the symbol engine for values.
import { randomUUID } from 'node:crypto';
import type { Module } from '../../runtime/wasm/types.js';
import { codeSectionOffset, functionContaining } from './code-layout.js';
import { DwarfInfo } from './dwarf-info.js';
import { dwarfSections } from './dwarf-sections.js';
import { LineTable } from './line-table.js';
import { moduleDir, moduleUrl, SourcePaths, type PathMap } from './source-paths.js';
import { SymbolEngine, type DwarfLog } from './symbol-engine.js';

export interface DwarfOptions {
  /** Build-time path prefix → local prefix (the launch configuration's `pathMap`). */
  pathMap?: PathMap;
  /** The module's file: relative DWARF paths (e.g. libc's) resolve against its directory. */
  modulePath?: string;
  /** Start the symbol engine for values and inlined frames (default true); false: source lines only. */
  symbolEngine?: boolean;
}

/** Whether the module carries DWARF line or debug information in its own custom sections. */
export function hasDwarf(module: Module): boolean {
  return module.customs.some((c) => c.name === '.debug_info' || c.name === '.debug_line');
}

/**
 * Reads the module's DWARF: its line table at once (synchronously, milliseconds), and the symbol
 * engine for values, started lazily here (it logs that it loads and how long it took). Undefined —
 * with a log line saying why — when the module has no DWARF or its line table is malformed; without
 * the symbol engine, lines still work and values report that they need it.
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
  const started = Date.now();
  const baseDir = moduleDir(options.modulePath);
  let lines: LineTable;
  try {
    const resolver = new SourcePaths([], options.pathMap, baseDir);
    lines = LineTable.read(dwarfSections(module), {
      codeSectionOffset: codeOffset,
      isCode: (offset) => functionContaining(module, offset) !== undefined,
      localPath: (p) => resolver.localPath(p),
    });
  } catch (e) {
    log(`DWARF: the line table cannot be read: ${(e as Error).message}; showing the Wasm disassembly`);
    return undefined;
  }
  const moduleId = randomUUID();
  const paths = new SourcePaths([], options.pathMap, baseDir);
  log(`DWARF: line table of ${lines.files().length} source files read in ${Date.now() - started} ms`);
  const engine = options.symbolEngine === false ? Promise.resolve(undefined)
    : startSymbolEngine(module, moduleId, options.modulePath, paths, log);
  return new DwarfInfo(module, codeOffset, lines, paths, engine, moduleId);
}

/**
 * Starts the symbol engine and gives it the module, in the background: source lines are usable
 * at once, and values wait for this (about a second and a half) only if they are asked for first.
 * Never rejects: an engine that cannot start or read the module is logged and resolves undefined.
 */
async function startSymbolEngine(module: Module, moduleId: string, modulePath: string | undefined, paths: SourcePaths,
  log: DwarfLog): Promise<SymbolEngine | undefined> {
  log('DWARF: loading the symbol engine for C/C++/Rust values in the background (a large Wasm module)');
  const started = Date.now();
  const engine = await SymbolEngine.start(log).catch((e: unknown) => {
    log(`DWARF: the symbol engine failed to start (${(e as Error).message}); source lines work, values do not`);
    return undefined;
  });
  if (!engine) return undefined;
  try {
    const result = await engine.rpc.sendMessage('addRawModule', moduleId, undefined,
      { url: moduleUrl(modulePath), code: module.bytes.slice().buffer });
    if (!Array.isArray(result)) throw new Error(`missing symbol files: ${result.missingSymbolFiles.join(', ')}`);
    paths.addUrls(result);
    log(`DWARF: symbol engine ready in ${Date.now() - started} ms`);
    return engine;
  } catch (e) {
    log(`DWARF: the symbol engine cannot read this module's debug information (${(e as Error).message}); ` +
      'source lines work, values do not');
    await engine.dispose().catch(() => undefined);
    return undefined;
  }
}
