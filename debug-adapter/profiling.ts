// Profiling during a debug session: the `profile` launch option profiles the whole run, and the
// custom requests `wasmscope.startProfile` / `wasmscope.stopProfile` profile any stretch of it.
// The engine's worker samples and counts (runtime/profile/live.ts); this writes the `.cpuprofile`
// beside the program and says where, with the same summary `wasmscope profile` prints.
import { writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import type { EngineSessionApi } from '../runtime/engine/debug-api.js';
import { checkCpuProfile } from '../runtime/profile/cpuprofile.js';
import { formatSummary, type ProfileReport } from '../runtime/profile/report.js';

export interface WrittenProfile {
  file: string;
  report: ProfileReport;
  summary: string;
}

export class SessionProfiler {
  private running = false;

  constructor(private readonly engine: EngineSessionApi, private readonly programPath: string) {}

  get active(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) throw new Error('the profiler is already running');
    await this.engine.startProfile();
    this.running = true;
  }

  /** Stops profiling and writes `<program>.cpuprofile` beside the program. */
  async stop(): Promise<WrittenProfile> {
    if (!this.running) throw new Error('the profiler is not running');
    this.running = false;
    const { profile, report } = await this.engine.stopProfile();
    const problems = checkCpuProfile(profile);
    if (problems.length > 0) throw new Error(`the profile is malformed: ${problems.join('; ')}`);
    const file = join(dirname(this.programPath), `${basename(this.programPath).replace(/\.(wasm|wat)$/i, '')}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    return { file, report, summary: formatSummary(report) };
  }
}
