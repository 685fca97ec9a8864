// What F5 debugs when there is no launch.json, and the checks every wasmscope launch
// configuration gets before the adapter sees it. Pure (no `vscode` import) so it is unit-tested.

// The attributes are the debug adapter's own type (a type-only import: nothing of the adapter is
// bundled into the extension).
import type { LaunchArguments } from '../debug-adapter/program.js';

/** A launch configuration as VS Code holds it: the adapter's attributes plus VS Code's own. */
export interface WasmscopeLaunchConfig extends LaunchArguments {
  type: string;
  request: string;
  name: string;
  [key: string]: unknown;
}

/** Files F5 can debug directly: modules in either format. */
export function isDebuggableFile(fileName: string): boolean {
  return /\.(wasm|wat)$/i.test(fileName);
}

const NOTHING_TO_DEBUG = 'Open a .wat or .wasm file to debug it, or add a "wasmscope" configuration to launch.json.';
const SOURCE_FILE = /\.(c|cc|cpp|cxx|rs)$/i;

/**
 * The module F5 debugs for the active file: the file itself when it is a module; for C, C++ or Rust
 * source, the .wasm beside it with the same base name (sum.c → sum.wasm), the usual output of
 * `clang -g sum.c -o sum.wasm`. Otherwise an explanation.
 */
export function moduleForActiveFile(activeFile: string | undefined, exists: (file: string) => boolean): { program: string } | { error: string } {
  if (activeFile === undefined) return { error: NOTHING_TO_DEBUG };
  if (isDebuggableFile(activeFile)) return { program: activeFile };
  if (SOURCE_FILE.test(activeFile)) {
    const wasm = activeFile.replace(SOURCE_FILE, '.wasm');
    if (exists(wasm)) return { program: wasm };
    return { error: `No ${baseName(wasm)} next to ${baseName(activeFile)}: build it with debug info (e.g. clang --target=wasm32-wasi -g), or add a "wasmscope" configuration with "program" to launch.json.` };
  }
  return { error: NOTHING_TO_DEBUG };
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** The configuration for "debug this file", used by F5 without launch.json and by the Debug command. */
export function configForFile(file: string, workspaceFolder: string | undefined): WasmscopeLaunchConfig {
  const config: WasmscopeLaunchConfig = { type: 'wasmscope', request: 'launch', name: `Debug ${baseName(file)}`, program: file, stopOnEntry: false };
  // Give the program the workspace it lives in, as `wasmscope run` does by default.
  if (workspaceFolder !== undefined) {
    config.cwd = workspaceFolder;
    config.dirs = [workspaceFolder];
  }
  return config;
}

export type Resolution = { config: WasmscopeLaunchConfig } | { error: string };

/**
 * Fills in a launch configuration: an empty one (F5 with no launch.json) becomes "debug the active
 * file"; a named one is checked so a missing program is reported in words, not as an adapter failure.
 */
export function resolveLaunchConfig(config: Partial<WasmscopeLaunchConfig>, activeFile: string | undefined, workspaceFolder: string | undefined, exists: (file: string) => boolean): Resolution {
  if (!config.type && !config.request && !config.name) {
    const target = moduleForActiveFile(activeFile, exists);
    return 'error' in target ? target : { config: configForFile(target.program, workspaceFolder) };
  }
  const resolved: WasmscopeLaunchConfig = { type: 'wasmscope', request: 'launch', name: 'wasmscope', ...config };
  if (resolved.request !== 'launch') return { error: `wasmscope supports only "request": "launch", not "${resolved.request}".` };
  if (!resolved.program) {
    const target = moduleForActiveFile(activeFile, exists);
    if ('error' in target) return { error: `Launch configuration "${resolved.name}" has no "program" (the .wasm or .wat file to debug).` };
    resolved.program = target.program;
  }
  if (resolved.invoke !== undefined && (typeof resolved.invoke !== 'object' || typeof resolved.invoke.name !== 'string' || resolved.invoke.name === '')) {
    return { error: `Launch configuration "${resolved.name}": "invoke" needs a "name" (the exported function to call).` };
  }
  return { config: resolved };
}
