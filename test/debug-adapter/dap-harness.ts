// Shared by the DAP tests: starts the built adapter (`node dist/wasmscope.js dap`) over stdio with
// @vscode/debugadapter-testsupport's DebugClient, and writes/compares golden transcripts.
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(root, 'test', 'fixtures', 'dap');
export const fixture = (name: string): string => join(fixtures, name);
const entry = join(fixtures, 'dap-entry.mjs');
const bundle = join(root, 'dist', 'wasmscope.js');

/** Why the DAP tests cannot run here, or undefined when they can. */
export function missingBuild(): string | undefined {
  return existsSync(bundle) ? undefined : 'dist/wasmscope.js is missing: run `npm run build` (npm test does) first';
}

/** Why tests that run programs cannot run here (the engine's session implementation is absent). */
export function missingEngine(): string | undefined {
  return missingBuild() ?? (existsSync(join(root, 'runtime', 'engine', 'session.ts'))
    ? undefined : 'runtime/engine/session.ts (the engine debugging session) is not in this tree yet');
}

export async function startClient(): Promise<DebugClient> {
  const dc = new DebugClient('node', entry, 'wasmscope', { cwd: fixtures });
  // Generous: CI runs many test files at once on 2 cores; a real hang still fails.
  dc.defaultTimeout = 20000;
  await dc.start();
  return dc;
}

/** Runs `body` with a fresh adapter process, stopped afterwards whatever happens. */
export async function withClient(body: (dc: DebugClient) => Promise<void>): Promise<void> {
  const dc = await startClient();
  try {
    await body(dc);
  } finally {
    await stopClient(dc);
  }
}

export async function stopClient(dc: DebugClient): Promise<void> {
  await dc.stop();
}

/** Starts a launch and returns once configurationDone went out (breakpoints set in `configure`). */
export async function launch(dc: DebugClient, args: Record<string, unknown>,
  configure: () => Promise<unknown> = async () => undefined): Promise<void> {
  await Promise.all([
    dc.waitForEvent('initialized').then(configure).then(() => dc.configurationDoneRequest()),
    dc.launch(args),
  ]);
}

/** Sends a request and returns the response even when it failed (DebugClient rejects those). */
export async function raw(dc: DebugClient, command: string, args?: unknown): Promise<DebugProtocol.Response> {
  return new Promise((resolve) => {
    // doSend is internal to ProtocolClient; it is the only way to see a failed response's body.
    (dc as unknown as { doSend(c: string, a: unknown, cb: (r: DebugProtocol.Response) => void): void })
      .doSend(command, args, resolve);
  });
}

/** The top frame at a stop. */
export async function topFrame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const trace = await dc.stackTraceRequest({ threadId: 1 });
  const frame = trace.body.stackFrames[0];
  assert.ok(frame, 'no stack frame');
  return frame;
}

/** Variables of a named scope of a frame, as name → value. */
export async function scopeValues(dc: DebugClient, frameId: number, scope: string): Promise<Record<string, string>> {
  const scopes = await dc.scopesRequest({ frameId });
  const s = scopes.body.scopes.find((x) => x.name === scope);
  assert.ok(s, `no scope ${scope}`);
  const vars = await dc.variablesRequest({ variablesReference: s.variablesReference });
  return Object.fromEntries(vars.body.variables.map((v) => [v.name, v.value]));
}

// ---- golden transcripts -------------------------------------------------------------------------

/**
 * A transcript of a session written by the test itself, step by step (so the order is the test's,
 * not the event loop's), with paths and volatile numbers replaced by stable placeholders.
 */
export class Transcript {
  private readonly lines: string[] = [];

  log(label: string, value?: unknown): void {
    this.lines.push(value === undefined ? label : `${label}: ${sanitize(JSON.stringify(value, null, 2))}`);
  }

  /** Compares with test/debug-adapter/golden/<name>.txt; UPDATE_GOLDEN=1 rewrites it. */
  check(name: string): void {
    const file = join(root, 'test', 'debug-adapter', 'golden', `${name}.txt`);
    const actual = this.lines.join('\n') + '\n';
    if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, actual);
      rmSync(file + '.actual', { force: true });
      return;
    }
    const expected = readFileSync(file, 'utf8');
    if (expected !== actual) {
      writeFileSync(file + '.actual', actual);
      assert.equal(actual, expected, `golden transcript ${name} differs (see ${name}.txt.actual; UPDATE_GOLDEN=1 rewrites)`);
    }
    rmSync(file + '.actual', { force: true });
  }
}

function sanitize(text: string): string {
  return text
    .split(fixtures).join('${fixtures}')
    .split(root).join('${root}')
    .replace(/"(id|frameId|variablesReference|seq|request_seq)": [1-9][0-9]*/g, '"$1": <n>');
}
