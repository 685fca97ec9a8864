// A Rust program (std, wasm32-wasi, -g) through the adapter: breakpoints on Rust lines, demangled
// frame names, Rust locals and struct fields, a function breakpoint by its short name, a line
// step, and a panic stopping on the Rust line that indexed out of bounds. The fixture is built
// here from its source (test/fixtures/dwarf-rust/build.sh; ~7 MB, so not committed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { launch, missingEngine, root, startClient, stopClient } from './dap-harness.js';

const dir = join(root, 'test', 'fixtures', 'dwarf-rust');
const MAIN_RS = join(dir, 'main.rs');
const RUSTC = process.env['RUSTC'] ?? '/usr/bin/rustc';

function missingRust(): string | undefined {
  if (!existsSync(RUSTC)) return `${RUSTC} is missing (Debian package rustc; .ci/run installs it)`;
  const sysroot = execFileSync(RUSTC, ['--print', 'sysroot'], { encoding: 'utf8' }).trim();
  if (!existsSync(join(sysroot, 'lib', 'rustlib', 'wasm32-wasi'))) {
    return `rustc has no wasm32-wasi standard library (Debian package libstd-rust-dev-wasm32)`;
  }
  return undefined;
}

const skip = missingEngine() ?? missingRust();
if (skip) console.log(`# skipping the Rust debugging tests: ${skip}`);

let out = '';
let program = '';
before(() => {
  if (skip) return;
  out = mkdtempSync(join(tmpdir(), 'wasmscope-rust-'));
  execFileSync('sh', [join(dir, 'build.sh'), out], { env: { ...process.env, RUSTC } });
  program = join(out, 'program.wasm');
});
after(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

async function top(dc: DebugClient, levels = 1): Promise<[string, string | undefined, number][]> {
  const frames = (await dc.stackTraceRequest({ threadId: 1, levels })).body.stackFrames;
  return frames.map((f) => [f.name, f.source?.path, f.line]);
}

async function locals(dc: DebugClient, reference: number): Promise<[string, string][]> {
  return (await dc.variablesRequest({ variablesReference: reference })).body.variables.map((v) => [v.name, v.value]);
}

test('Rust: line breakpoint, demangled frames, struct locals, expressions, function breakpoint, step, panic', { skip }, async () => {
  const dc = await startClient();
  try {
    const stopped = dc.waitForEvent('stopped', 60000);
    let bps: DebugProtocol.SetBreakpointsResponse | undefined;
    await launch(dc, { program, pathMap: { '/build/dwarf-rust': dir } }, async () => {
      bps = await dc.setBreakpointsRequest({ source: { path: MAIN_RS }, breakpoints: [{ line: 16 }] });
    });
    assert.deepEqual(bps!.body.breakpoints.map((b) => [b.verified, b.line]), [[true, 16]]);
    assert.equal((await stopped).body.reason, 'breakpoint');
    assert.deepEqual(await top(dc, 2), [['main::manhattan', MAIN_RS, 16], ['main::main', MAIN_RS, 43]]);

    const frameId = (await dc.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0]!.id;
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    assert.equal(scopes[0]!.name, 'Locals');
    const vars = (await dc.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body.variables;
    assert.deepEqual(vars.map((v) => [v.name, v.value]), [['p', 'main::Point'], ['dx', '2']]);
    assert.deepEqual(await locals(dc, vars[0]!.variablesReference), [['x', '-2'], ['y', '0']]);
    assert.equal((await dc.evaluateRequest({ expression: 'p.y - p.x + dx', frameId })).body.result, '4');

    // A function breakpoint by the name a Rust programmer writes.
    await dc.setBreakpointsRequest({ source: { path: MAIN_RS }, breakpoints: [] });
    const fbp = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'factorial' }] });
    assert.equal(fbp.body.breakpoints[0]!.verified, true);
    const inFactorial = dc.waitForEvent('stopped', 30000);
    await dc.continueRequest({ threadId: 1 });
    await inFactorial;
    const [name, path] = (await top(dc))[0]!;
    assert.deepEqual([name, path], ['main::factorial', MAIN_RS]);
    const factorialFrame = (await dc.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0]!.id;
    assert.equal((await dc.evaluateRequest({ expression: 'n', frameId: factorialFrame })).body.result, '5');

    await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
    await dc.setBreakpointsRequest({ source: { path: MAIN_RS }, breakpoints: [{ line: 24 }] });
    const atRecursion = dc.waitForEvent('stopped', 30000);
    await dc.continueRequest({ threadId: 1 });
    await atRecursion;
    assert.deepEqual((await top(dc))[0]!.slice(0, 3), ['main::factorial', MAIN_RS, 24]);
    // Stepping over the recursive call must not stop in it at the breakpoint: clear it first.
    await dc.setBreakpointsRequest({ source: { path: MAIN_RS }, breakpoints: [] });
    const stepped = dc.waitForEvent('stopped', 30000);
    await dc.nextRequest({ threadId: 1 });
    await stepped;
    assert.deepEqual(await top(dc), [['main::factorial', MAIN_RS, 25]]);

    await dc.setBreakpointsRequest({ source: { path: MAIN_RS }, breakpoints: [] });
    const output = dc.assertOutput('stdout', 'total=22 f=120 areas=19\n');
    const panic = dc.waitForEvent('stopped', 30000);
    await dc.continueRequest({ threadId: 1 });
    await output;
    assert.equal((await panic).body.reason, 'exception');
    const frames = await top(dc, 40);
    const indexing = frames.find((f) => f[0] === 'main::checked_index');
    assert.deepEqual(indexing, ['main::checked_index', MAIN_RS, 36], JSON.stringify(frames));
  } finally {
    await stopClient(dc);
  }
});
