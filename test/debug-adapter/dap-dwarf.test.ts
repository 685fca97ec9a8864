// A C program with DWARF through the adapter (the DWARF module itself is tested in dwarf.test.ts):
// breakpoints on C lines, C frames and values, C expressions, line steps in C, a trap on its C line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { launch, missingEngine, root, startClient, stopClient } from './dap-harness.js';

const skip = missingEngine();
if (skip) console.log(`# skipping DAP DWARF tests: ${skip}`);

const dir = join(root, 'test', 'fixtures', 'dwarf');
const MAIN_C = join(dir, 'main.c');

test('a C program: line breakpoint, C locals, C expressions, line step, trap on its C line', { skip }, async () => {
  const dc = await startClient();
  try {
    const stopped = dc.waitForEvent('stopped', 30000);
    let bps: DebugProtocol.SetBreakpointsResponse | undefined;
    // The fixture was built under /build/dwarf (see build.sh): pathMap finds its sources here.
    await launch(dc, { program: join(dir, 'program-O0.wasm'), pathMap: { '/build/dwarf': dir } }, async () => {
      bps = await dc.setBreakpointsRequest({ source: { path: MAIN_C }, breakpoints: [{ line: 12 }] });
    });
    assert.equal(bps!.body.breakpoints[0]!.verified, true);
    assert.equal(bps!.body.breakpoints[0]!.line, 12);
    assert.equal((await stopped).body.reason, 'breakpoint');
    const trace = await dc.stackTraceRequest({ threadId: 1 });
    const frames = trace.body.stackFrames;
    assert.deepEqual(frames.slice(0, 5).map((f) => [f.name, f.source?.path, f.line]), [
      ['factorial', MAIN_C, 12], ['factorial', MAIN_C, 11], ['factorial', MAIN_C, 11], ['factorial', MAIN_C, 11],
      ['__original_main', MAIN_C, 37]]);
    const scopes = (await dc.scopesRequest({ frameId: frames[0]!.id })).body.scopes;
    assert.deepEqual(scopes.map((s) => s.name).slice(0, 3), ['Locals', 'Globals', 'Wasm locals']);
    const locals = (await dc.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body.variables;
    assert.deepEqual(locals.map((v) => [v.name, v.value, v.type]), [['n', '2', 'int'], ['rest', '1', 'int']]);
    // Each C variable in linear memory opens in the memory view at its own bytes.
    const nReference = locals[0]!.memoryReference;
    assert.match(nReference ?? '', /^memory:0@0x[0-9a-f]+$/);
    const nBytes = (await dc.customRequest('readMemory', { memoryReference: nReference, count: 4 })).body as DebugProtocol.ReadMemoryResponse['body'];
    assert.deepEqual([...Buffer.from(nBytes!.data!, 'base64')], [2, 0, 0, 0]);
    assert.equal(nBytes!.address, `0x${nReference!.split('@0x')[1]}`, 'the reply gives the absolute address');
    assert.equal((await dc.evaluateRequest({ expression: 'n * rest + 40', frameId: frames[0]!.id })).body.result, '42');
    // A Wasm expression still works in C code.
    assert.equal((await dc.evaluateRequest({ expression: 'local 0', frameId: frames[0]!.id })).body.result, '2');
    const stepped = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: 1 });
    await stepped;
    const after = (await dc.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0]!;
    assert.deepEqual([after.name, after.line], ['factorial', 13]);
    await dc.setBreakpointsRequest({ source: { path: MAIN_C }, breakpoints: [] });
    const output = dc.assertOutput('stdout', 'f=120 mean=30 p=8 -1234567890123 q 30 250\n');
    const trap = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    await output;
    assert.equal((await trap).body.reason, 'exception');
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.slice(0, 2);
    assert.deepEqual(top.map((f) => [f.name, f.line]), [['crash', 26], ['__original_main', 42]]);
    const modules = (await dc.customRequest('modules', {})).body as DebugProtocol.ModulesResponse['body'];
    assert.equal(modules.modules[0]!.symbolStatus, 'DWARF loaded');
    const sources = (await dc.customRequest('loadedSources', {})).body as DebugProtocol.LoadedSourcesResponse['body'];
    assert.ok(sources.sources.some((x) => x.path === MAIN_C));
    assert.ok(sources.sources.some((x) => (x.sourceReference ?? 0) > 0), 'the disassembly stays available');
  } finally {
    await stopClient(dc);
  }
});

test('C line steps: into a function with source, back out, and over libc without source', { skip }, async () => {
  const dc = await startClient();
  try {
    const top = async (): Promise<[string, number]> => {
      const f = (await dc.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0]!;
      return [f.name, f.line];
    };
    const step = async (request: () => Promise<unknown>): Promise<[string, number]> => {
      const stopped = dc.waitForEvent('stopped', 30000);
      await request();
      assert.equal(((await stopped) as DebugProtocol.StoppedEvent).body.reason, 'step');
      return top();
    };
    const first = dc.waitForEvent('stopped', 30000);
    await launch(dc, { program: join(dir, 'program-O0.wasm'), pathMap: { '/build/dwarf': dir } }, () =>
      dc.setBreakpointsRequest({ source: { path: MAIN_C }, breakpoints: [{ line: 37 }, { line: 40 }] }));
    await first;
    assert.deepEqual(await top(), ['__original_main', 37]);
    // Stepping in runs the callee's prologue (mapped to its opening line, 7) and stops on its
    // first statement, where the parameter already holds its value.
    assert.deepEqual(await step(() => dc.stepInRequest({ threadId: 1 })), ['factorial', 8]);
    const callee = (await dc.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0]!.id;
    assert.equal((await dc.evaluateRequest({ expression: 'n', frameId: callee })).body.result, '5');
    assert.deepEqual(await step(() => dc.stepOutRequest({ threadId: 1 })), ['__original_main', 37]);
    const atPrintf = dc.waitForEvent('stopped', 30000);
    await dc.continueRequest({ threadId: 1 });
    await atPrintf;
    assert.deepEqual(await top(), ['__original_main', 40]);
    // printf has no source here (libc): stepping in runs it and stops on the next C line.
    const printed = dc.assertOutput('stdout', 'f=120');
    assert.deepEqual(await step(() => dc.stepInRequest({ threadId: 1 })), ['__original_main', 41]);
    await printed;
  } finally {
    await stopClient(dc);
  }
});

test('optimised C: code inlined into a function shows as its own frames', { skip }, async () => {
  const dc = await startClient();
  try {
    const trap = dc.waitForEvent('stopped', 30000);
    await launch(dc, { program: join(dir, 'program-O2.wasm'), pathMap: { '/build/dwarf': dir } });
    assert.equal(((await trap) as DebugProtocol.StoppedEvent).body.reason, 'exception');
    const trace = await dc.stackTraceRequest({ threadId: 1 });
    const frames = trace.body.stackFrames;
    // crash() is inlined into main at -O2: one Wasm frame, two source frames, same instruction.
    assert.deepEqual(frames.slice(0, 2).map((f) => [f.name, f.source?.path, f.line]),
      [['crash [inlined]', MAIN_C, 26], ['__original_main', MAIN_C, 42]]);
    assert.equal(frames[0]!.instructionPointerReference, frames[1]!.instructionPointerReference);
    const window = await dc.stackTraceRequest({ threadId: 1, startFrame: 1, levels: 1 });
    assert.deepEqual(window.body.stackFrames.map((f) => f.name), ['__original_main']);
  } finally {
    await stopClient(dc);
  }
});
