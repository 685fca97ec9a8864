// What a profile says, independent of how it was measured: per guest function and per host import,
// plus the calibrated cost of one boundary crossing. Both modes (interpreter probes and native V8)
// produce this, and the text summary, the speedscope file and the extension's view read it.
import type { CpuProfile } from './cpuprofile.js';

export interface FunctionProfile {
  name: string;
  funcIndex?: number;
  /** Exact in interpreter mode; absent in native mode (sampling cannot count calls). */
  calls?: number;
  /** Milliseconds. */
  selfTime: number;
  totalTime: number;
  /** Executed Wasm instructions (interpreter mode; deterministic). */
  instructions?: number;
}

export interface ImportProfile {
  module: string;
  name: string;
  calls: number;
  /** Milliseconds inside the host function, with the measuring clock's own cost removed. */
  hostTime: number;
  /** Milliseconds spent crossing the boundary: calls × calibrated per-call cost. */
  boundaryTime: number;
}

export interface CallEdge {
  caller: string;
  callee: string;
  calls: number;
}

export interface ProfileReport {
  mode: 'interp' | 'native';
  /** Milliseconds of the whole run. */
  totalTime: number;
  functions: FunctionProfile[];
  imports: ImportProfile[];
  /** Guest caller → import call counts (exact where the mode can count them). */
  edges: CallEdge[];
  /** Calibrated cost of one empty guest→host→guest crossing, in nanoseconds. */
  boundaryCostNs: number;
  exitCode?: number;
}

export interface ProfileResult {
  report: ProfileReport;
  profile: CpuProfile;
}

function ms(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(3);
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** The human summary `wasmscope profile` prints. */
export function formatSummary(r: ProfileReport, top = 15): string {
  const hostTotal = r.imports.reduce((t, i) => t + i.hostTime, 0);
  const boundaryTotal = r.imports.reduce((t, i) => t + i.boundaryTime, 0);
  const crossings = r.imports.reduce((t, i) => t + i.calls, 0);
  const guest = Math.max(0, r.totalTime - hostTotal - boundaryTotal);
  const out: string[] = [
    `profile (${r.mode} mode): ${ms(r.totalTime)} ms total — guest ${ms(guest)} ms (${pct(guest, r.totalTime)}), ` +
      `host ${ms(hostTotal)} ms (${pct(hostTotal, r.totalTime)}), boundary ${ms(boundaryTotal)} ms (${pct(boundaryTotal, r.totalTime)})`,
    `${crossings} host calls; one empty crossing costs ${r.boundaryCostNs.toFixed(1)} ns (calibrated)`,
    '',
    'top functions',
  ];
  const fns = [...r.functions].sort((a, b) => b.selfTime - a.selfTime).slice(0, top);
  out.push(...table(['function', 'calls', 'self ms', 'total ms', 'self %', 'instructions'],
    fns.map((f) => [f.name, f.calls?.toString() ?? '-', ms(f.selfTime), ms(f.totalTime), pct(f.selfTime, r.totalTime), f.instructions?.toString() ?? '-'])));
  out.push('', 'host imports');
  if (r.imports.length === 0) out.push('(none called)');
  else {
    const imports = [...r.imports].sort((a, b) => b.hostTime + b.boundaryTime - (a.hostTime + a.boundaryTime));
    out.push(...table(['import', 'calls', 'host ms', 'boundary ms', 'share'],
      imports.map((i) => [`${i.module}.${i.name}`, i.calls.toString(), ms(i.hostTime), ms(i.boundaryTime), pct(i.hostTime + i.boundaryTime, r.totalTime)])));
  }
  if (r.edges.length > 0) {
    out.push('', 'callers of imports');
    out.push(...table(['caller → import', 'calls'], [...r.edges].sort((a, b) => b.calls - a.calls).slice(0, top)
      .map((e) => [`${e.caller} → ${e.callee}`, e.calls.toString()])));
  }
  return out.join('\n');
}

/** speedscope's file format (sampled profile), from a `.cpuprofile`. */
export function toSpeedscope(profile: CpuProfile, name: string): unknown {
  const frames: { name: string; file?: string; line?: number; col?: number }[] = [];
  const frameIndex = new Map<string, number>();
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frameOf = (id: number): number => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName}\u0000${f.url}\u0000${f.lineNumber}\u0000${f.columnNumber}`;
    let i = frameIndex.get(key);
    if (i === undefined) {
      i = frames.length;
      frames.push({ name: f.functionName || '(anonymous)', file: f.url || undefined, line: f.lineNumber + 1, col: f.columnNumber + 1 });
      frameIndex.set(key, i);
    }
    return i;
  };
  const stacks = new Map<number, number[]>();
  const stackOf = (id: number): number[] => {
    let s = stacks.get(id);
    if (!s) {
      const p = parent.get(id);
      // The root node ("(root)") is not a frame of any stack.
      s = p === undefined ? [] : [...stackOf(p), frameOf(id)];
      stacks.set(id, s);
    }
    return s;
  };
  const samples = profile.samples.map(stackOf);
  const weights = profile.timeDeltas.slice(1).concat([profile.timeDeltas.length > 0 ? profile.timeDeltas[profile.timeDeltas.length - 1]! : 0]);
  return {
    $schema: 'https://www.speedscope.app/file-format-schema.json',
    shared: { frames },
    profiles: [{ type: 'sampled', name, unit: 'microseconds', startValue: 0, endValue: profile.endTime - profile.startTime, samples, weights }],
    exporter: 'wasmscope',
  };
}
