// Runs many fuzz cases in a child process (worker.ts) with a per-case deadline. A case that
// outlives its deadline is a hang; a child that dies mid-case is a crash; both are findings, and
// a fresh child picks up the next case.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { caseInput, type CaseResult, type Finding, type Mode } from './cases.js';
import type { CaseRequest } from './worker.js';

export interface CampaignOptions {
  modes: readonly Mode[];
  /** Seeds to run, each in every mode; consumed lazily, so it may be endless with a deadline. */
  seeds: Iterable<number>;
  /** Stop starting new cases after this time (ms since epoch). */
  deadline?: number;
  /** Per-case limit; a slower case is a hang. */
  timeoutMs?: number;
  minimize?: boolean;
  onResult?: (r: CaseResult) => void;
}

export interface ModeStats {
  cases: number;
  units: number;
  categories: Record<string, number>;
}

export interface CampaignSummary {
  stats: Partial<Record<Mode, ModeStats>>;
  findings: Finding[];
  /** Harness failures (not wasmscope's): e.g. wasm-opt failing on a seed. */
  harnessErrors: string[];
  elapsedMs: number;
}

type Reply = { ready: true } | { ok: true; result: CaseResult } | { ok: false; error: string };

class CaseRunner {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private pending: ((r: Reply | { exited: string }) => void) | undefined;

  private start(): Promise<void> {
    const child = fork(fileURLToPath(new URL('./worker.ts', import.meta.url)), [], {
      // A runaway allocation kills this child (a 'crash' finding), not the machine.
      execArgv: ['--import', 'tsx', '--max-old-space-size=1536'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once('message', () => resolve());
      child.on('message', (m: Reply) => { if (!('ready' in m)) { const p = this.pending; this.pending = undefined; p?.(m); } });
      child.once('exit', (code, signal) => {
        if (this.child === child) { this.child = undefined; this.ready = undefined; }
        const p = this.pending;
        this.pending = undefined;
        p?.({ exited: `worker exited (code ${code}, signal ${signal})` });
        reject(new Error(`fuzz worker exited before it was ready (code ${code})`));
      });
    });
  }

  async run(request: CaseRequest, timeoutMs: number): Promise<Reply | { exited: string } | { timeout: true }> {
    this.ready ??= this.start();
    await this.ready;
    const child = this.child!;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        this.stop();
        resolve({ timeout: true });
      }, timeoutMs);
      this.pending = (r) => { clearTimeout(timer); resolve(r); };
      child.send(request);
    });
  }

  stop(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }
}

const DEFAULT_TIMEOUT_MS: Record<Mode, number> = { diff: 60_000, decode: 20_000, text: 20_000 };

export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const t0 = Date.now();
  const runner = new CaseRunner();
  const summary: CampaignSummary = { stats: {}, findings: [], harnessErrors: [], elapsedMs: 0 };
  const count = (r: CaseResult): void => {
    const s = (summary.stats[r.mode] ??= { cases: 0, units: 0, categories: {} });
    s.cases++;
    s.units += r.units;
    s.categories[r.category] = (s.categories[r.category] ?? 0) + 1;
    if (r.finding) summary.findings.push(r.finding);
    options.onResult?.(r);
  };
  try {
    outer: for (const seed of options.seeds) {
      for (const mode of options.modes) {
        if (options.deadline !== undefined && Date.now() >= options.deadline) break outer;
        const reply = await runner.run({ mode, seed, minimize: options.minimize ?? true }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS[mode]);
        if ('timeout' in reply || 'exited' in reply) {
          const what = 'timeout' in reply ? 'hang' : 'crash';
          const input = caseInput(mode, seed);
          count({
            mode, seed, units: 0, category: what,
            finding: { mode, seed, what, description: `${'timeout' in reply ? 'no answer within the deadline' : reply.exited} [${input.recipe}]`, bytes: input.bytes, text: input.text },
          });
        } else if ('ok' in reply && reply.ok) count(reply.result);
        else if ('ok' in reply) summary.harnessErrors.push(`${mode} seed ${seed}: ${reply.error}`);
      }
    }
  } finally {
    runner.stop();
  }
  summary.elapsedMs = Date.now() - t0;
  return summary;
}
