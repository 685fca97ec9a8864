// Host functions get their own nodes in V8's profile: each import is called through a small
// generated function whose sourceURL names the import, and after profiling those nodes are renamed
// `[host] module.name`. A shared closure would merge every import into one node.

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
