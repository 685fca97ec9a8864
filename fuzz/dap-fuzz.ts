// The debug adapter under hostile requests, over its stdio protocol: requests before the launch,
// random and stale variable references, frame ids, memory references, out-of-range reads and
// writes, malformed base64, breakpoints in missing files, garbage expressions, unknown commands,
// interleaved with real stepping, and again after the program terminated. Every request must get
// a response within the budget; an error response must be a sentence for the user, not a leaked
// JavaScript exception; the adapter must keep answering to the end.

import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { raw } from '../test/debug-adapter/dap-harness.js';
import { Rng } from './rng.js';

export interface DapFuzzReport {
  requests: number;
  errorResponses: number;
  /** The slowest response and its request. */
  maxLatencyMs: number;
  slowest: string;
  findings: string[];
}

/** Messages that mean an exception escaped a handler rather than a deliberate refusal. */
export const LEAKED = /Cannot read propert|Cannot set propert|is not a function|is not iterable|is not defined|undefined is not|of undefined|of null|Maximum call stack|Invalid array length|Invalid typed array length|Unexpected token|\bat .*\.(ts|js):\d+/;

const HOSTILE_NUMBERS = [0, -1, 1, 2, 3, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 53, -(2 ** 31), 0.5, NaN];

export async function ask(dc: DebugClient, command: string, args: unknown, budgetMs: number): Promise<DebugProtocol.Response | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), budgetMs); });
  try {
    return await Promise.race([raw(dc, command, args), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Ends the adapter process without the disconnect handshake a hung adapter would never answer.
 * SIGKILL, because the adapter handles SIGTERM in JavaScript, which a spinning adapter never runs.
 * The process and stopAdapter are private in DebugClient's typings; stopAdapter is the library's
 * own cleanup (it forgets the process and closes the socket).
 */
export function killAdapter(dc: DebugClient): void {
  const client = dc as unknown as { _adapterProcess: { kill(signal: string): void } | null; stopAdapter(): void };
  client._adapterProcess?.kill('SIGKILL');
  client.stopAdapter();
}

/**
 * Ends a session whatever state the adapter is in: the polite disconnect (bounded to 5 s), then
 * the kill. DebugClient.stop() alone never settles once the adapter process is gone.
 */
export async function endSession(dc: DebugClient): Promise<void> {
  if (!(dc as unknown as { _adapterProcess: unknown })._adapterProcess) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([dc.stop().catch(() => undefined), new Promise((resolve) => { timer = setTimeout(resolve, 5000); })]);
  clearTimeout(timer);
  killAdapter(dc);
}

/** Collects every variablesReference and frame id the adapter hands out, so stale ones can be replayed. */
function harvest(body: unknown, refs: Set<number>, frames: Set<number>): void {
  if (!body || typeof body !== 'object') return;
  for (const [k, v] of Object.entries(body)) {
    if (k === 'variablesReference' && typeof v === 'number' && v > 0) refs.add(v);
    else if (k === 'stackFrames' && Array.isArray(v)) for (const f of v) frames.add((f as { id: number }).id);
    else if (typeof v === 'object') harvest(v, refs, frames);
  }
}

export interface DapFuzzOptions {
  seed: number;
  /** A .wat program with a memory, and a line to break at. */
  program: string;
  invoke: { name: string; args: (string | number)[] };
  breakLine: number;
  steps?: number;
  budgetMs?: number;
}

export async function fuzzDebugAdapter(dc: DebugClient, o: DapFuzzOptions): Promise<DapFuzzReport> {
  const rng = new Rng(o.seed);
  const budget = o.budgetMs ?? 10_000;
  const report: DapFuzzReport = { requests: 0, errorResponses: 0, maxLatencyMs: 0, slowest: '', findings: [] };
  const refs = new Set<number>(), frames = new Set<number>();
  const num = (): number => (rng.chance(0.7) ? rng.pick(HOSTILE_NUMBERS) : rng.below(64));
  const ref = (): number => (refs.size > 0 && rng.chance(0.6) ? rng.pick([...refs]) : num());
  const frame = (): number => (frames.size > 0 && rng.chance(0.6) ? rng.pick([...frames]) : num());
  const memRef = (): string => rng.pick(['memory:0', 'memory:1', '0', 'memory:-1', 'memory:99999999999999999999', '', 'bogus', 'memory:0 ']);

  let dead = false;
  const send = async (phase: string, command: string, args: unknown): Promise<DebugProtocol.Response | undefined> => {
    if (dead) return undefined;
    report.requests++;
    const t0 = performance.now();
    const r = await ask(dc, command, args, budget);
    const ms = performance.now() - t0;
    if (ms > report.maxLatencyMs) { report.maxLatencyMs = ms; report.slowest = `${command} ${JSON.stringify(args)?.slice(0, 120)}`; }
    const what = `seed ${o.seed} ${phase}: ${command} ${JSON.stringify(args)?.slice(0, 200)}`;
    if (r === 'timeout') {
      report.findings.push(`${what}: no response within ${budget} ms`);
      // A hung adapter answers nothing more: end the session here (and the process, which may spin).
      dead = true;
      killAdapter(dc);
      return undefined;
    }
    if (!r.success) {
      report.errorResponses++;
      const message = `${r.message ?? ''} ${JSON.stringify((r.body as { error?: unknown } | undefined)?.error ?? '')}`;
      if (LEAKED.test(message)) report.findings.push(`${what}: leaked exception: ${message.slice(0, 300)}`);
    } else harvest(r.body, refs, frames);
    return r;
  };

  const hostile = (): [string, unknown] => rng.pick<() => [string, unknown]>([
    () => ['variables', { variablesReference: ref(), start: num(), count: num() }],
    () => ['scopes', { frameId: frame() }],
    () => ['stackTrace', { threadId: rng.pick([1, 2, -1]), startFrame: num(), levels: num() }],
    () => ['setVariable', { variablesReference: ref(), name: rng.pick(['$addr', '$v', '$counter', 'nope', '']), value: rng.pick(['1', 'x', '1e999', '-', 'i32x4 1 2', '0x', '"s"', 'null']) }],
    () => ['evaluate', { expression: rng.pick(['$addr', '(', '$addr +', 'i32[', 'memory[-1]', '$nope', '1/0', '"', ''.padEnd(5000, '(')]), frameId: frame(), context: rng.pick(['watch', 'repl', 'hover']) }],
    () => ['readMemory', { memoryReference: memRef(), offset: num(), count: rng.pick([0, 1, 16, 65536, 2 ** 31, -5]) }],
    () => ['writeMemory', { memoryReference: memRef(), offset: num(), data: rng.pick(['QUJD', '', '!!!notbase64', 'AAAA'.repeat(20000)]) }],
    () => ['setBreakpoints', { source: { path: rng.pick(['/does/not/exist.wat', o.program, '', 'relative.wat']) }, breakpoints: [{ line: num() }, { line: o.breakLine, condition: rng.pick(['(', '$addr', '1 +']) }] }],
    () => ['setInstructionBreakpoints', { breakpoints: [{ instructionReference: rng.pick(['0x0', 'zz', '-1', '0xffffffffff']), offset: num() }] }],
    () => ['setFunctionBreakpoints', { breakpoints: [{ name: rng.pick(['poke', '$poke', '', 'nope']) }] }],
    () => ['breakpointLocations', { source: { path: rng.pick([o.program, '/missing.wat']) }, line: num(), endLine: num() }],
    () => ['disassemble', { memoryReference: rng.pick(['0x0', 'zz', '0x10']), instructionOffset: num(), instructionCount: rng.pick([0, 1, 50, 100000]) }],
    () => ['source', { sourceReference: num(), source: { sourceReference: num() } }],
    () => ['exceptionInfo', { threadId: 1 }],
    () => ['completions', { text: rng.pick(['$', 'glo', '']), column: num(), frameId: frame() }],
    () => ['threads', {}],
    () => ['loadedSources', {}],
    () => ['modules', {}],
    () => ['noSuchCommand', { x: 1 }],
  ])();

  // 1. Before initialize and launch.
  for (let k = 0; k < 3; k++) { const [c, a] = hostile(); await send('startup', c, a); }
  if (dead) return report;

  // 2. Launch, stopped at the breakpoint.
  const stopped = dc.waitForEvent('stopped', budget).catch(() => undefined);
  let launchError: string | undefined;
  await Promise.all([
    dc.waitForEvent('initialized', budget).then(() => dc.setBreakpointsRequest({ source: { path: o.program }, breakpoints: [{ line: o.breakLine }] }))
      .then(() => dc.configurationDoneRequest()),
    dc.launch({ program: o.program, invoke: o.invoke }),
  ]).catch((e: unknown) => { launchError = e instanceof Error ? e.message : String(e); });
  if (launchError) {
    report.findings.push(`seed ${o.seed}: launch with a breakpoint at line ${o.breakLine} failed: ${launchError}`);
    return report;
  }
  if (!(await stopped)) report.findings.push(`seed ${o.seed}: no stop at the breakpoint`);
  else {
    await send('stopped', 'stackTrace', { threadId: 1 });
    // 3. Hostile requests interleaved with execution control (which makes old references stale).
    for (let step = 0; step < (o.steps ?? 30) && !dead; step++) {
      if (rng.chance(0.12)) {
        const [c] = rng.pick<[string]>([['next'], ['stepIn'], ['stepOut'], ['pause']]);
        await send(`step ${step}`, c, { threadId: 1 });
        await dc.waitForEvent('stopped', 1000).catch(() => undefined);
        continue;
      }
      const [c, a] = hostile();
      await send(`step ${step}`, c, a);
    }
  }
  // 4. After termination.
  if (dead) return report;
  await send('terminate', 'terminate', {});
  await dc.waitForEvent('terminated', 2000).catch(() => undefined);
  for (let k = 0; k < 5; k++) { const [c, a] = hostile(); await send('terminated', c, a); }
  const last = await send('terminated', 'threads', {});
  if (!last && !dead) report.findings.push(`seed ${o.seed}: the adapter stopped answering after termination`);
  return report;
}
