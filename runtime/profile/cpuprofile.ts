// The `.cpuprofile` format (V8's Profiler.Profile, what Chrome DevTools and VS Code's profile viewer
// open), a schema check for it, and a builder that turns a call tree measured by the interpreter
// into one.

export interface CallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
  /** Not part of V8's format; viewers ignore it. */
  positionTicks?: { line: number; ticks: number }[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Problems that would make Chrome's or VS Code's reader reject or misdraw the profile. */
export function checkCpuProfile(p: CpuProfile): string[] {
  const problems: string[] = [];
  if (!Array.isArray(p.nodes) || p.nodes.length === 0) return ['nodes must be a non-empty array'];
  const ids = new Map<number, ProfileNode>();
  for (const n of p.nodes) {
    if (!Number.isInteger(n.id)) problems.push(`node id ${String(n.id)} is not an integer`);
    if (ids.has(n.id)) problems.push(`duplicate node id ${n.id}`);
    ids.set(n.id, n);
    const f = n.callFrame;
    if (!f || typeof f.functionName !== 'string' || typeof f.url !== 'string' || typeof f.scriptId !== 'string'
      || !Number.isInteger(f.lineNumber) || !Number.isInteger(f.columnNumber)) {
      problems.push(`node ${n.id} has an incomplete callFrame`);
    }
  }
  const parents = new Map<number, number>();
  for (const n of p.nodes) {
    for (const c of n.children ?? []) {
      if (!ids.has(c)) problems.push(`node ${n.id} names missing child ${c}`);
      if (parents.has(c)) problems.push(`node ${c} has two parents`);
      parents.set(c, n.id);
    }
  }
  const roots = p.nodes.filter((n) => !parents.has(n.id));
  if (roots.length !== 1) problems.push(`expected one root node, found ${roots.length}`);
  if (p.samples.length !== p.timeDeltas.length) problems.push('samples and timeDeltas differ in length');
  for (const s of p.samples) {
    if (!ids.has(s)) {
      problems.push(`sample names missing node ${s}`);
      break;
    }
  }
  // V8 itself emits an occasional negative delta (samples recorded out of order); viewers accept them.
  if (p.timeDeltas.some((d) => !Number.isFinite(d))) problems.push('timeDeltas must be finite numbers');
  if (!(p.endTime >= p.startTime)) problems.push('endTime is before startTime');
  return problems;
}

/** A measured call tree: the interpreter mode's profile before it becomes a `.cpuprofile`. */
export interface CallTreeNode {
  name: string;
  /** Where it lives: a module URL and the function's byte offset, or a host import's name. */
  url: string;
  offset: number;
  /** Microseconds spent in this node itself (not in children). */
  selfTime: number;
  children: Map<string, CallTreeNode>;
}

export function newCallTreeNode(name: string, url: string, offset: number): CallTreeNode {
  return { name, url, offset, selfTime: 0, children: new Map() };
}

/**
 * Builds a `.cpuprofile` from a call tree whose times were measured, not sampled: each node gets
 * synthetic samples at `intervalUs` in proportion to its self time, so every viewer draws the
 * same proportions the measurement found.
 */
export function cpuProfileFromCallTree(root: CallTreeNode, startTimeUs: number, intervalUs = 100): CpuProfile {
  const nodes: ProfileNode[] = [];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let nextId = 1;
  const visit = (n: CallTreeNode): number => {
    const id = nextId++;
    const node: ProfileNode = {
      id,
      callFrame: { functionName: n.name, scriptId: '0', url: n.url, lineNumber: 0, columnNumber: n.offset },
      hitCount: 0,
      children: [],
    };
    nodes.push(node);
    const ticks = Math.round(n.selfTime / intervalUs);
    node.hitCount = ticks;
    for (let i = 0; i < ticks; i++) {
      samples.push(id);
      timeDeltas.push(intervalUs);
    }
    for (const child of n.children.values()) node.children!.push(visit(child));
    return id;
  };
  visit(root);
  const total = timeDeltas.reduce((a, b) => a + b, 0);
  return { nodes, startTime: startTimeUs, endTime: startTimeUs + total, samples, timeDeltas };
}
