// The debug adapter's targets, measured over stdio against the built adapter as an editor drives
// it: launch to the first stop on a ~1 MB module (target 500 ms), a `next` round trip (20 ms),
// paging a scope of 10,000 values, and continuing to a breakpoint at the engine's speed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { assembleText } from '../runtime/text/index.js';
import { generateWat } from './frontend.js';
import { printTable } from './table.js';
import { BENCH_DIR } from './paths.js';

const here = BENCH_DIR;
const entry = join(here, '..', 'test', 'fixtures', 'dap', 'dap-entry.mjs');

function assemble(text: string): Uint8Array {
  const out = assembleText(text);
  if (!out.bytes) throw new Error(`bench module does not assemble: ${out.diagnostics[0]?.message}`);
  return out.bytes;
}

/** A large module (compiled-code shape) with an entry that calls into it. */
function bigModule(): Uint8Array {
  // The entry only steps through cheap instructions: the generated functions call each other in
  // loops whose cost grows with their arguments.
  const steps = Array.from({ length: 40 }, (_, i) => `(global.set $sp (i32.add (global.get $sp) (i32.const ${i})))`).join('\n    ');
  const wat = generateWat(70_000).replace(/\)\s*$/, `
  (func (export "_start")
    ${steps}))`);
  return assemble(wat);
}

/** A function with 10,000 locals, stopped inside: its Locals scope has 10,000 values. */
function manyLocals(): Uint8Array {
  return assemble(`(module (func (export "_start") (local ${Array(10_000).fill('i32').join(' ')}) nop))`);
}

async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', entry, 'wasmscope');
  dc.defaultTimeout = 60_000;
  await dc.start();
  return dc;
}

async function launchAndStop(dc: DebugClient, program: string, extra: Record<string, unknown> = {}): Promise<number> {
  const t0 = performance.now();
  const stopped = dc.waitForEvent('stopped');
  await Promise.all([
    dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
    dc.launch({ program, stopOnEntry: true, ...extra } as DebugProtocol.LaunchRequestArguments),
  ]);
  await stopped;
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function benchDap(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-bench-dap-'));
  try {
    const big = join(dir, 'big.wasm');
    const bytes = bigModule();
    writeFileSync(big, bytes);
    const locals = join(dir, 'locals.wasm');
    writeFileSync(locals, manyLocals());

    let dc = await client();
    const launchMs = await launchAndStop(dc, big);
    const nexts: number[] = [];
    for (let i = 0; i < 20; i++) {
      const stopped = dc.waitForEvent('stopped');
      const t0 = performance.now();
      await dc.nextRequest({ threadId: 1, granularity: 'instruction' });
      await stopped;
      const frames = await dc.stackTraceRequest({ threadId: 1 });
      await dc.scopesRequest({ frameId: frames.body.stackFrames[0]!.id });
      nexts.push(performance.now() - t0);
    }
    await dc.stop();

    dc = await client();
    await launchAndStop(dc, locals);
    const frames = await dc.stackTraceRequest({ threadId: 1 });
    const scopes = await dc.scopesRequest({ frameId: frames.body.stackFrames[0]!.id });
    const localsScope = scopes.body.scopes.find((s) => s.name === 'Locals')!;
    const pages: number[] = [];
    let seen = 0;
    for (let start = 0; start < 10_000; start += 500) {
      const t0 = performance.now();
      const page = await dc.variablesRequest({ variablesReference: localsScope.variablesReference, start, count: 500 });
      pages.push(performance.now() - t0);
      seen += page.body.variables.length;
    }
    if (seen !== 10_000) throw new Error(`paged ${seen} locals, expected 10,000`);
    await dc.stop();

    printTable('Debug adapter over stdio (built adapter, this machine)', [
      { measure: `launch to first stop, ${(bytes.length / 1e6).toFixed(2)} MB module`, result: `${launchMs.toFixed(0)} ms`, target: '< 500 ms' },
      { measure: 'next (instruction) + stackTrace + scopes round trip, median of 20', result: `${median(nexts).toFixed(1)} ms`, target: '< 20 ms' },
      { measure: 'Locals scope of 10,000 values in pages of 500: slowest page', result: `${Math.max(...pages).toFixed(1)} ms`, target: 'no stall' },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
