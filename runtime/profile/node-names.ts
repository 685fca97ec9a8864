// How profile nodes get the names users know. Host functions get their own nodes in V8's profile:
// each import is called through a small generated function whose sourceURL names the import, and
// after profiling those nodes are renamed `[host] module.name` (a shared closure would merge every
// import into one node). The engine's generated code carries `wasm-function-N@…` URLs, renamed to
// the function's display name.
import type { Imports } from '../engine/index.js';
import { functionDisplayName, type Module } from '../wasm/types.js';
import type { CpuProfile } from './cpuprofile.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- host functions take whatever the engine passes
export type HostFn = (...args: any[]) => unknown;

const HOST_URL = 'wasmscope-host:';

/**
 * Returns a function with its own identity in the profile that calls `fn`; `around`, when given,
 * runs the call (for counting and timing) instead of calling `fn` directly.
 */
export function profiledHostFunction(module: string, name: string, fn: HostFn, around?: (fn: HostFn, args: unknown[]) => unknown): HostFn {
  const url = `${HOST_URL}${encodeURIComponent(module)}.${encodeURIComponent(name)}`;
  const factory = new Function('fn', 'around', `
    return around
      ? function host(...args) { return around(fn, args); }
      : function host(...args) { return fn(...args); };
    //# sourceURL=${url}`) as (f: HostFn, a: typeof around) => HostFn;
  return factory(fn, around);
}

/** `module.name` of a profile node that is one of our host wrappers, else undefined. */
export function hostNodeName(url: string): string | undefined {
  if (!url.startsWith(HOST_URL)) return undefined;
  const [module, name] = url.slice(HOST_URL.length).split('.').map(decodeURIComponent);
  return `[host] ${module}.${name}`;
}

/** Every host function of an import object gets its own node in the profile. */
export function nameHostFunctions(imports: Imports): Imports {
  const named: Imports = {};
  for (const [module, fields] of Object.entries(imports)) {
    named[module] = {};
    for (const [name, value] of Object.entries(fields ?? {})) {
      named[module]![name] = typeof value === 'function' ? profiledHostFunction(module, name, value as HostFn) : value;
    }
  }
  return named;
}

const GENERATED_URL = /^wasm-function-(\d+)@\d+p?$/;

/** Names every node of a profile of the engine's generated code as tools name it elsewhere. */
export function nameProgramNodes(profile: CpuProfile, module: Module): void {
  const imports = module.imports.filter((i) => i.desc.kind === 'func');
  for (const node of profile.nodes) {
    const host = hostNodeName(node.callFrame.url);
    if (host) node.callFrame.functionName = host;
    const m = GENERATED_URL.exec(node.callFrame.url);
    if (!m) continue;
    const funcIndex = Number(m[1]);
    node.callFrame.functionName = funcIndex < imports.length
      ? `[host] ${imports[funcIndex]!.module}.${imports[funcIndex]!.name}`
      : functionDisplayName(module, funcIndex);
    node.callFrame.url = `wasm://wasmscope/function-${funcIndex}`;
    node.callFrame.lineNumber = 0;
  }
}
