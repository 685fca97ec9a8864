// The few calls the debug adapter makes to switch a program to its C/C++/Rust sources when its
// module carries DWARF (see the integration steps in index.ts).
import type { Module } from '../../runtime/wasm/types.js';
import { CompositeProvider, type SourceProvider } from '../source-provider.js';
import type { DwarfInfo } from './dwarf-info.js';
import { loadDwarf } from './load.js';
import type { PathMap } from './source-paths.js';
import { DwarfSourceProvider } from './source-provider.js';

export interface DwarfCapableProgram {
  path: string;
  module: Module;
  sources: SourceProvider;
}

/**
 * Loads the program's DWARF and, when there is any, puts its source files in front of the
 * program's own documents (which keep showing code without local source). Returns the DwarfInfo
 * (for values, evaluation and line steps; dispose it when the session ends), or undefined —
 * the program is then unchanged.
 */
export async function attachDwarf(program: DwarfCapableProgram,
  options: { pathMap?: PathMap; symbolEngine?: boolean; log: (message: string) => void }): Promise<DwarfInfo | undefined> {
  const dwarf = await loadDwarf(program.module, options.log, {
    modulePath: program.path,
    ...(options.pathMap ? { pathMap: options.pathMap } : {}),
    ...(options.symbolEngine !== undefined ? { symbolEngine: options.symbolEngine } : {}),
  });
  if (!dwarf) return undefined;
  const provider = new DwarfSourceProvider(dwarf);
  if (provider.documents().length === 0) {
    options.log('DWARF: none of the program\'s source files is on this machine (set "pathMap" to where they are); ' +
      'showing the Wasm disassembly');
  }
  program.sources = new CompositeProvider([provider, program.sources]);
  return dwarf;
}
