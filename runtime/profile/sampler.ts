// V8's sampling profiler through node:inspector, for both profiling modes: native mode samples
// V8's own Wasm code, interpreter mode samples the engine's generated JavaScript. Same-thread
// inspector sessions answer synchronously, so this needs no event-loop turns.
import { Session } from 'node:inspector';
import type { CpuProfile } from './cpuprofile.js';
import type { FunctionProfile } from './report.js';

function post<T>(session: Session, method: string, params?: object): T {
  let result: T | undefined;
  let error: Error | null = null;
  session.post(method, params ?? {}, (err, res) => {
    error = err;
    result = res as T;
  });
  if (error) throw error;
  return result as T;
}

/**
 * The sampling interval both modes use: V8's own default (and `node --cpu-prof`'s). A 100 µs
 * interval cost the profiled program up to twice its run time in signal handling.
 */
export const SAMPLING_INTERVAL_US = 1000;

/** Starts V8's sampler on this thread; `stop()` ends it and returns the profile. */
export function startSampling(intervalUs: number): { stop(): CpuProfile } {
  const session = new Session();
  session.connect();
  try {
    post(session, 'Profiler.enable');
    post(session, 'Profiler.setSamplingInterval', { interval: intervalUs });
    post(session, 'Profiler.start');
  } catch (e) {
    session.disconnect();
    throw e;
  }
  return {
    stop(): CpuProfile {
      try {
        return post<{ profile: CpuProfile }>(session, 'Profiler.stop').profile;
      } finally {
        session.disconnect();
      }
    },
  };
}

/** Runs `body` under the sampler; the profile is returned even when `body` throws (then rethrown). */
export function sampleCpu<T>(intervalUs: number, body: () => T): { value: T; profile: CpuProfile } {
  const sampling = startSampling(intervalUs);
  let outcome: { ok: true; value: T } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: body() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  const profile = sampling.stop();
  if (!outcome.ok) throw outcome.error;
  return { value: outcome.value, profile };
}

/**
 * Self and total milliseconds per guest function (nodes whose URL is `wasm://…`), from samples.
 * Recursion counts once towards total time. Sampling cannot count calls.
 */
export function guestFunctionTimes(profile: CpuProfile): FunctionProfile[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // V8's own call adapters (js-to-wasm, wasm-to-js) carry wasm:// URLs but are not guest code.
  const isGuest = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return f.url.startsWith('wasm://') && !/^(js-to-wasm|wasm-to-js)/.test(f.functionName);
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    const leaf = byId.get(id)!.callFrame.functionName;
    if (isGuest(id)) self.set(leaf, (self.get(leaf) ?? 0) + dt);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      if (!isGuest(cur)) continue;
      const name = byId.get(cur)!.callFrame.functionName;
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + dt);
    }
  });
  return [...total.keys()].map((name) => ({ name, selfTime: self.get(name) ?? 0, totalTime: total.get(name)! }));
}

/**
 * Keeps only what the user's program did: guest (`wasm://…`) and host (`[host] …`) nodes under
 * the root. Every other node (the CLI, the engine's own helpers, V8's call adapters) is removed;
 * its children move to its nearest kept ancestor and its samples count for that ancestor, so a
 * guest function's self time includes the engine work done on its behalf.
 */
export function focusOnProgram(profile: CpuProfile): CpuProfile {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const root = profile.nodes.find((n) => !parent.has(n.id))!;
  const keep = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return id === root.id || (f.url.startsWith('wasm://') && !/^(js-to-wasm|wasm-to-js)/.test(f.functionName)) || f.functionName.startsWith('[host] ');
  };
  const keptAncestor = new Map<number, number>();
  const target = (id: number): number => {
    let t = keptAncestor.get(id);
    if (t === undefined) {
      t = keep(id) ? id : target(parent.get(id)!);
      keptAncestor.set(id, t);
    }
    return t;
  };
  // A node kept twice under the same parent (its elided wrappers differed) is merged by name.
  const merged = new Map<string, number>();
  const canonical = new Map<number, number>();
  const canon = (id: number): number => {
    let c = canonical.get(id);
    if (c !== undefined) return c;
    if (id === root.id) c = id;
    else {
      const p = canon(target(parent.get(id)!));
      const f = byId.get(id)!.callFrame;
      const key = `${p}\u0000${f.functionName}\u0000${f.url}\u0000${f.columnNumber}`;
      c = merged.get(key) ?? id;
      merged.set(key, c);
    }
    canonical.set(id, c);
    return c;
  };
  const nodes = new Map<number, CpuProfile['nodes'][number]>();
  for (const n of profile.nodes) {
    if (!keep(n.id)) continue;
    const c = canon(n.id);
    if (!nodes.has(c)) nodes.set(c, { id: c, callFrame: byId.get(c)!.callFrame, hitCount: 0, children: [] });
  }
  for (const n of nodes.values()) {
    if (n.id === root.id) continue;
    const p = nodes.get(canon(target(parent.get(n.id)!)))!;
    if (!p.children!.includes(n.id)) p.children!.push(n.id);
  }
  const samples = profile.samples.map((s) => canon(target(s)));
  for (const s of samples) nodes.get(s)!.hitCount! += 1;
  return { ...profile, nodes: [...nodes.values()], samples };
}
