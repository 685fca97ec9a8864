// Profiling inside a debug session: the `profile` launch option profiles the whole run and writes
// `<program>.cpuprofile` beside the program; `wasmscope.startProfile` / `wasmscope.stopProfile`
// profile a stretch of a run, even one that never ends.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { checkCpuProfile, type CpuProfile } from '../../runtime/profile/cpuprofile.js';
import type { ProfileReport } from '../../runtime/profile/report.js';
import { fixture, launch, missingEngine, withClient } from './dap-harness.js';

const skip = missingEngine();

async function inTempCopy(name: string, body: (program: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-dap-profile-'));
  try {
    const program = join(dir, name);
    copyFileSync(fixture(name), program);
    await body(program);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('"profile": true writes the run\'s .cpuprofile and reports host calls', { skip }, () => inTempCopy('hello.wat', (program) => withClient(async (dc) => {
  const profiled = dc.waitForEvent('wasmscope.profile') as Promise<DebugProtocol.Event>;
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program, profile: true });
  const event = await profiled;
  await exited;
  const { file, report } = event.body as { file: string; report: ProfileReport };
  assert.equal(file, program.replace(/\.wat$/, '.cpuprofile'));
  assert.ok(existsSync(file));
  assert.deepEqual(checkCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile), []);
  const fdWrite = report.imports.find((i) => i.name === 'fd_write');
  assert.equal(fdWrite?.calls, 1);
  assert.equal(report.imports.find((i) => i.name === 'proc_exit')?.calls, 1);
})));

test('start and stop profiling around a stretch of an endless loop', { skip }, () => inTempCopy('endless.wat', (program) => withClient(async (dc) => {
  await launch(dc, { program, invoke: { name: 'spin' } });
  await dc.customRequest('wasmscope.startProfile');
  await new Promise((resolve) => setTimeout(resolve, 400));
  const response = await dc.customRequest('wasmscope.stopProfile');
  const { file, report } = response.body as { file: string; report: ProfileReport };
  assert.ok(existsSync(file));
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  assert.deepEqual(checkCpuProfile(profile), []);
  assert.ok(report.functions.some((f) => f.name === 'spin' && f.selfTime > 0), JSON.stringify(report.functions));
  // Stopping twice is an error, not a crash; the session goes on and can be paused.
  await assert.rejects(dc.customRequest('wasmscope.stopProfile'), /not running/);
  const stopped = dc.waitForEvent('stopped');
  await dc.pauseRequest({ threadId: 1 });
  await stopped;
})));
