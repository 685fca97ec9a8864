// Run control over stdio against the built adapter and the real engine: breakpoints of every
// kind, stepping, pause, traps, exit codes, restart. Each test starts its own adapter process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, launch, missingEngine, raw, scopeValues, topFrame, withClient } from './dap-harness.js';

const skip = missingEngine();
if (skip) console.log(`# skipping DAP run tests: ${skip}`);

function lineBreakpoints(dc: DebugClient, path: string, breakpoints: DebugProtocol.SourceBreakpoint[]) {
  return dc.setBreakpointsRequest({ source: { path }, breakpoints });
}

async function stoppedEvent(dc: DebugClient): Promise<DebugProtocol.StoppedEvent> {
  return (await dc.waitForEvent('stopped')) as DebugProtocol.StoppedEvent;
}

const LOOP = fixture('loop.wat');

test('WASI hello: stdout as output events, exit code from proc_exit', { skip }, () => withClient(async (dc) => {
  const output = dc.assertOutput('stdout', 'hello, world\n');
  const exited = dc.waitForEvent('exited');
  const terminated = dc.waitForEvent('terminated');
  await launch(dc, { program: fixture('hello.wat') });
  await output;
  assert.equal((await exited as DebugProtocol.ExitedEvent).body.exitCode, 3);
  await terminated;
}));

test('F5 on a module without _start runs its only exported function', { skip }, () => withClient(async (dc) => {
  const note = dc.assertOutput('console', 'wasmscope: no _start export; running "main"');
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: fixture('calls.wat') });
  await note;
  assert.equal((await exited as DebugProtocol.ExitedEvent).body.exitCode, 0);
}));

test('args, env and stdin from the launch configuration reach the program', { skip }, () => withClient(async (dc) => {
  const output = dc.assertOutput('stdout', 'piped in\n');
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: 'echo.wat', cwd: fixture('.'), args: ['one', 'two'], env: { A: '1', B: '2', C: '3' },
    stdin: 'echo-input.txt', dirs: ['.'] });
  await output;
  // argv is the program name plus two arguments: 3 * 10 + 3 variables.
  assert.equal((await exited as DebugProtocol.ExitedEvent).body.exitCode, 33);
}));

test('line breakpoint stops with the frame, its locals and globals', { skip }, () => withClient(async (dc) => {
  const stopped = stoppedEvent(dc);
  let bps: DebugProtocol.SetBreakpointsResponse | undefined;
  await launch(dc, { program: LOOP, invoke: { name: 'sum', args: [5] } }, async () => {
    bps = await lineBreakpoints(dc, LOOP, [{ line: 11 }]);
  });
  assert.equal(bps!.body.breakpoints[0]!.verified, true);
  assert.equal(bps!.body.breakpoints[0]!.line, 11);
  const e = await stopped;
  assert.equal(e.body.reason, 'breakpoint');
  assert.deepEqual(e.body.hitBreakpointIds, [bps!.body.breakpoints[0]!.id]);
  const frame = await topFrame(dc);
  assert.equal(frame.name, 'sum');
  assert.equal(frame.line, 11);
  assert.equal(frame.source?.path, LOOP);
  assert.match(frame.instructionPointerReference ?? '', /^0x[0-9a-f]+$/);
  assert.deepEqual(await scopeValues(dc, frame.id, 'Locals'), { $n: '5', $i: '1', $acc: '0' });
  assert.deepEqual(await scopeValues(dc, frame.id, 'Globals'), { $total: '0' });
  // Continue: the same breakpoint again, one iteration later.
  const again = stoppedEvent(dc);
  await dc.continueRequest({ threadId: 1 });
  await again;
  assert.equal((await scopeValues(dc, (await topFrame(dc)).id, 'Locals'))['$i'], '2');
}));

test('conditions, hit counts and logpoints', { skip }, () => withClient(async (dc) => {
  const stopped = stoppedEvent(dc);
  let bps: DebugProtocol.SetBreakpointsResponse | undefined;
  await launch(dc, { program: LOOP, invoke: { name: 'sum', args: [5] } }, async () => {
    bps = await lineBreakpoints(dc, LOOP, [{ line: 11, condition: '$i == 3' }, { line: 12, hitCondition: '== 4' },
      { line: 10, logMessage: 'i={$i} acc={$acc}' }, { line: 14, condition: '$i ==' }]);
  });
  const typo = bps!.body.breakpoints[3]!;
  assert.equal(typo.verified, false);
  assert.match(typo.message ?? '', /^condition: expected a value/);
  await stopped;
  let frame = await topFrame(dc);
  assert.equal(frame.line, 11);
  assert.equal((await scopeValues(dc, frame.id, 'Locals'))['$i'], '3');
  const second = stoppedEvent(dc);
  await dc.continueRequest({ threadId: 1 });
  await second;
  frame = await topFrame(dc);
  assert.equal(frame.line, 12);
  assert.equal((await scopeValues(dc, frame.id, 'Locals'))['$i'], '4');
  // Logpoints print and never stop: the run ends after i=6 is logged.
  const logged: string[] = [];
  dc.on('output', (ev: DebugProtocol.OutputEvent) => { if (ev.body.category === 'console') logged.push(ev.body.output); });
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await exited as DebugProtocol.ExitedEvent).body.exitCode, 0);
  // (The console also gets the invoked function's result, 15.)
  assert.deepEqual(logged.join('').split('\n').filter((l) => l.startsWith('i=')), ['i=5 acc=10', 'i=6 acc=15']);
}));

test('breakpoints off code move to the nearest instruction and say so', { skip }, () => withClient(async (dc) => {
  const changed: DebugProtocol.BreakpointEvent[] = [];
  dc.on('breakpoint', (ev: DebugProtocol.BreakpointEvent) => changed.push(ev));
  const stopped = stoppedEvent(dc);
  let bps: DebugProtocol.SetBreakpointsResponse | undefined;
  await launch(dc, { program: LOOP, invoke: { name: 'sum', args: [2] } }, async () => {
    bps = await lineBreakpoints(dc, LOOP, [{ line: 5 }, { line: 40 }]);
  });
  const [moved, beyond] = bps!.body.breakpoints;
  assert.equal(moved!.verified, true);
  assert.equal(moved!.line, 7); // `(local $i i32)` has no code: the first instruction is on line 7
  assert.match(moved!.message ?? '', /moved/);
  assert.equal(beyond!.verified, true);
  assert.equal(beyond!.line, 15);
  await stopped;
  assert.equal((await topFrame(dc)).line, 7);
  const event = changed.find((c) => c.body.breakpoint.id === moved!.id);
  assert.equal(event?.body.reason, 'changed');
  assert.equal(event?.body.breakpoint.line, 7);
}));

test('column breakpoints pick one instruction of a line', { skip }, () => withClient(async (dc) => {
  const path = fixture('calls.wat');
  const stopped = stoppedEvent(dc);
  let bps: DebugProtocol.SetBreakpointsResponse | undefined;
  await launch(dc, { program: path, invoke: { name: 'main', args: [] } }, async () => {
    bps = await lineBreakpoints(dc, path, [{ line: 4, column: 19 }]);
  });
  assert.equal(bps!.body.breakpoints[0]!.column, 19);
  await stopped;
  const frame = await topFrame(dc);
  assert.equal(frame.line, 4);
  assert.equal(frame.column, 19);
  // The first instruction of the line already ran: it left $x on the operand stack.
  assert.deepEqual(await scopeValues(dc, frame.id, 'Operand stack'), { '[0]': '20' });
}));

test('function breakpoints by $id, export name and index; the whole call stack', { skip }, () => withClient(async (dc) => {
  const path = fixture('calls.wat');
  const stopped = stoppedEvent(dc);
  let fbps: DebugProtocol.SetFunctionBreakpointsResponse | undefined;
  await launch(dc, { program: path, invoke: { name: 'main' } }, async () => {
    fbps = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: '$leaf' }, { name: 'ghost' }, { name: '1' }] });
  });
  assert.deepEqual(fbps!.body.breakpoints.map((b) => b.verified), [true, false, true]);
  const first = await stopped;
  assert.equal(first.body.reason, 'function breakpoint');
  let trace = await dc.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(trace.body.stackFrames.map((f) => [f.name, f.line]), [['middle', 6], ['main', 11]]);
  const next = stoppedEvent(dc);
  await dc.continueRequest({ threadId: 1 });
  await next;
  trace = await dc.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(trace.body.stackFrames.map((f) => [f.name, f.line]), [['leaf', 4], ['middle', 6], ['main', 11]]);
  assert.equal(trace.body.totalFrames, 3);
  for (const f of trace.body.stackFrames) assert.match(f.instructionPointerReference ?? '', /^0x/);
  const paged = await dc.stackTraceRequest({ threadId: 1, startFrame: 1, levels: 1 });
  assert.deepEqual(paged.body.stackFrames.map((f) => f.name), ['middle']);
  assert.deepEqual(await scopeValues(dc, trace.body.stackFrames[0]!.id, 'Tables'), { $fns: 'funcref, 2 elements (min 2)' });
}));

test('step in, over and out by line and by instruction', { skip }, () => withClient(async (dc) => {
  const path = fixture('calls.wat');
  const stop = async (request: Promise<unknown>): Promise<DebugProtocol.StackFrame> => {
    const stopped = stoppedEvent(dc);
    await request;
    assert.equal((await stopped).body.reason, 'step');
    return topFrame(dc);
  };
  const first = stoppedEvent(dc);
  await launch(dc, { program: path, invoke: { name: 'main' } }, () => lineBreakpoints(dc, path, [{ line: 11 }]));
  await first;
  const start = await topFrame(dc);
  let f = await stop(dc.stepInRequest({ threadId: 1, granularity: 'instruction' }));
  assert.equal(f.line, 11);
  assert.notEqual(f.column, start.column); // the call, after i32.const 20
  f = await stop(dc.stepInRequest({ threadId: 1 }));
  assert.deepEqual([f.name, f.line], ['middle', 6]);
  f = await stop(dc.stepInRequest({ threadId: 1 }));
  assert.deepEqual([f.name, f.line], ['leaf', 4]);
  // Out of leaf: the instruction after the call, which is on the next line of middle.
  f = await stop(dc.stepOutRequest({ threadId: 1 }));
  assert.deepEqual([f.name, f.line], ['middle', 7]);
  f = await stop(dc.nextRequest({ threadId: 1 }));
  assert.deepEqual([f.name, f.line], ['middle', 8]);
  f = await stop(dc.stepOutRequest({ threadId: 1 }));
  assert.deepEqual([f.name, f.line], ['main', 11]);
  f = await stop(dc.nextRequest({ threadId: 1 }));
  assert.deepEqual([f.name, f.line], ['main', 12]);
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  await exited;
}));

test('step over a call stays in the function', { skip }, () => withClient(async (dc) => {
  const path = fixture('calls.wat');
  const first = stoppedEvent(dc);
  await launch(dc, { program: path, invoke: { name: 'main' } }, () => lineBreakpoints(dc, path, [{ line: 11 }]));
  await first;
  const stopped = stoppedEvent(dc);
  await dc.nextRequest({ threadId: 1 });
  await stopped;
  const f = await topFrame(dc);
  assert.deepEqual([f.name, f.line], ['main', 12]);
  assert.equal((await scopeValues(dc, f.id, 'Locals'))['$r'], '41');
}));

test('recursion: hit count on a function breakpoint, deep stack, i64 locals', { skip }, () => withClient(async (dc) => {
  const stopped = stoppedEvent(dc);
  await launch(dc, { program: fixture('recursion.wat'), invoke: { name: 'fac', args: ['5'] } }, () =>
    dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'fac', hitCondition: '== 5' }] }));
  await stopped;
  const trace = await dc.stackTraceRequest({ threadId: 1 });
  assert.equal(trace.body.stackFrames.length, 5);
  assert.ok(trace.body.stackFrames.every((f) => f.name === 'fac'));
  assert.deepEqual(trace.body.stackFrames.slice(1).map((f) => f.line), [9, 9, 9, 9]);
  assert.equal((await scopeValues(dc, trace.body.stackFrames[0]!.id, 'Locals'))['$n'], '1');
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await exited as DebugProtocol.ExitedEvent).body.exitCode, 0);
}));

test('a trap stops at the trapping instruction with its message', { skip }, () => withClient(async (dc) => {
  const stopped = stoppedEvent(dc);
  await launch(dc, { program: fixture('trap.wat'), invoke: { name: 'run' } });
  const e = await stopped;
  assert.equal(e.body.reason, 'exception');
  assert.match(e.body.description ?? '', /Trap: integer divide by zero/);
  const trace = await dc.stackTraceRequest({ threadId: 1 });
  assert.deepEqual(trace.body.stackFrames.map((f) => [f.name, f.line]), [['divide', 4], ['run', 6]]);
  const info = await dc.exceptionInfoRequest({ threadId: 1 });
  assert.match(info.body.description ?? '', /integer divide by zero/);
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await exited as DebugProtocol.ExitedEvent).body.exitCode, 1); // the engine ends a trapped run with 1
}));

test('with the Traps filter off a trap ends the run without stopping', { skip }, () => withClient(async (dc) => {
  let stops = 0;
  dc.on('stopped', () => { stops++; });
  const stderr = dc.assertOutput('stderr', 'trap: integer divide by zero');
  const exited = dc.waitForEvent('exited');
  await launch(dc, { program: fixture('trap.wat'), invoke: { name: 'run' } }, () =>
    dc.setExceptionBreakpointsRequest({ filters: [] }));
  await stderr;
  assert.equal((await exited as DebugProtocol.ExitedEvent).body.exitCode, 1); // the engine ends a trapped run with 1
  assert.equal(stops, 0);
}));

test('Host errors: a failing host function stops only when that filter is on', { skip }, async () => {
  await withClient(async (dc) => {
    const stopped = stoppedEvent(dc);
    await launch(dc, { program: fixture('host-error.wat') }, () =>
      dc.setExceptionBreakpointsRequest({ filters: ['traps', 'host'] }));
    const e = await stopped;
    assert.equal(e.body.reason, 'exception');
    assert.match(e.body.description ?? '', /^Host error: a WASI function needs the program's memory, but the module does not export it as "memory"/);
    const info = await dc.exceptionInfoRequest({ threadId: 1 });
    assert.equal(info.body.exceptionId, 'host-error');
  });
  await withClient(async (dc) => {
    let stops = 0;
    dc.on('stopped', () => { stops++; });
    const stderr = dc.assertOutput('stderr', 'host error: ');
    const exited = dc.waitForEvent('exited');
    await launch(dc, { program: fixture('host-error.wat') });
    await stderr;
    assert.notEqual((await exited as DebugProtocol.ExitedEvent).body.exitCode, 0);
    assert.equal(stops, 0);
  });
});

test('pause stops an endless loop; breakpoints set while running take effect', { skip }, () => withClient(async (dc) => {
  const path = fixture('endless.wat');
  await launch(dc, { program: path, invoke: { name: 'spin' } });
  await new Promise((r) => setTimeout(r, 200));
  const paused = stoppedEvent(dc);
  const t0 = Date.now();
  await dc.pauseRequest({ threadId: 1 });
  assert.equal((await paused).body.reason, 'pause');
  // Generous: CI shares 2 cores; a pause that is lost hangs instead.
  assert.ok(Date.now() - t0 < 5000, 'pause took too long');
  const f = await topFrame(dc);
  assert.ok(f.line >= 5 && f.line <= 7, `paused at line ${f.line}`);
  assert.ok(Number((await scopeValues(dc, f.id, 'Locals'))['$n']) > 0);
  await dc.continueRequest({ threadId: 1 });
  const hit = stoppedEvent(dc);
  await lineBreakpoints(dc, path, [{ line: 7 }]);
  assert.equal((await hit).body.reason, 'breakpoint');
  assert.equal((await topFrame(dc)).line, 7);
  const terminated = dc.waitForEvent('terminated');
  await dc.terminateRequest({});
  await terminated;
  const after = await raw(dc, 'stackTrace', { threadId: 1 });
  assert.equal(after.success, false);
  assert.match(after.message ?? '', /terminated/);
}));

test('a line step through a one-line loop ends, and pause ends it sooner', { skip }, () => withClient(async (dc) => {
  const entry = stoppedEvent(dc);
  await launch(dc, { program: fixture('oneline.wat'), invoke: { name: 'spin' }, stopOnEntry: true });
  await entry;
  let stopped = stoppedEvent(dc);
  let t0 = Date.now();
  await dc.nextRequest({ threadId: 1 });
  assert.equal((await stopped).body.reason, 'step');
  assert.ok(Date.now() - t0 < 10000);
  assert.equal((await topFrame(dc)).line, 3);
  stopped = stoppedEvent(dc);
  await dc.nextRequest({ threadId: 1 });
  await new Promise((r) => setTimeout(r, 100));
  t0 = Date.now();
  await dc.pauseRequest({ threadId: 1 });
  assert.equal((await stopped).body.reason, 'pause');
  assert.ok(Date.now() - t0 < 5000, `pause during a step took ${Date.now() - t0} ms`);
}));

test('breakpointLocations, trace output and disconnect', { skip }, () => withClient(async (dc) => {
  const traced: string[] = [];
  dc.on('output', (ev: DebugProtocol.OutputEvent) => traced.push(ev.body.output));
  const entry = stoppedEvent(dc);
  await launch(dc, { program: LOOP, invoke: { name: 'sum', args: [1] }, stopOnEntry: true, trace: true, profile: true });
  await entry;
  const locations = await dc.customRequest('breakpointLocations', { source: { path: LOOP }, line: 10 });
  const cols = (locations.body as DebugProtocol.BreakpointLocationsResponse['body']).breakpoints.map((b) => b.column);
  assert.equal(cols.length, 4); // br_if, i32.gt_s and two local.get
  assert.deepEqual([...cols].sort((a, b) => a! - b!), cols);
  const elsewhere = await dc.setBreakpointsRequest({ source: { path: fixture('calls.wat') }, breakpoints: [{ line: 4 }] });
  assert.equal(elsewhere.body.breakpoints[0]!.verified, false);
  assert.match(elsewhere.body.breakpoints[0]!.message ?? '', /not part of the program/);
  await dc.threadsRequest();
  assert.ok(traced.some((t) => t.includes('threads')), 'trace shows protocol traffic');
  assert.ok(!traced.some((t) => t.includes('profiling could not start')), 'the profile launch option starts the profiler');
  await dc.disconnectRequest({});
}));

test('restart runs the program again with the same breakpoints', { skip }, () => withClient(async (dc) => {
  const stopped = stoppedEvent(dc);
  await launch(dc, { program: LOOP, invoke: { name: 'sum', args: [3] } }, () => lineBreakpoints(dc, LOOP, [{ line: 12 }]));
  await stopped;
  const second = stoppedEvent(dc);
  await dc.continueRequest({ threadId: 1 });
  await second;
  assert.equal((await scopeValues(dc, (await topFrame(dc)).id, 'Locals'))['$i'], '2');
  const originalId = (await dc.setBreakpointsRequest({ source: { path: LOOP }, breakpoints: [{ line: 12 }] }))
    .body.breakpoints[0]!.id;
  const changed: DebugProtocol.BreakpointEvent[] = [];
  dc.on('breakpoint', (ev: DebugProtocol.BreakpointEvent) => changed.push(ev));
  const restarted = stoppedEvent(dc);
  await dc.restartRequest({});
  const again = await restarted;
  assert.deepEqual(again.body.hitBreakpointIds, [originalId]); // the client's id survives the restart
  assert.ok(changed.some((c) => c.body.breakpoint.id === originalId && c.body.breakpoint.verified));
  assert.equal((await scopeValues(dc, (await topFrame(dc)).id, 'Locals'))['$i'], '1');
  await dc.disconnectRequest({});
}));

test('instruction breakpoints and disassembly', { skip }, () => withClient(async (dc) => {
  const stopped = stoppedEvent(dc);
  await launch(dc, { program: LOOP, invoke: { name: 'sum', args: [2] }, stopOnEntry: true });
  assert.equal((await stopped).body.reason, 'entry');
  const entry = await topFrame(dc);
  const dis = await dc.disassembleRequest({ memoryReference: entry.instructionPointerReference!, instructionOffset: -2,
    instructionCount: 12, resolveSymbols: true });
  const list = dis.body!.instructions;
  assert.equal(list.length, 12);
  assert.equal(list[0]!.presentationHint, 'invalid'); // before the first function
  assert.equal(list[2]!.address, entry.instructionPointerReference);
  assert.equal(list[2]!.instruction, 'i32.const 1');
  assert.equal(list[2]!.symbol, 'sum');
  assert.equal(list[2]!.line, 7);
  // Absurd ranges are refused rather than looped over or allocated.
  for (const bad of [{ instructionOffset: 2 ** 53 }, { instructionCount: 1e9 }, { instructionCount: -1 }]) {
    const r = await raw(dc, 'disassemble', { memoryReference: entry.instructionPointerReference!, instructionCount: 4, ...bad });
    assert.equal(r.success, false, JSON.stringify(bad));
  }
  const target = list.find((i) => i.instruction === 'i32.gt_s')!;
  const bps = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: target.address }] });
  assert.equal((bps.body as DebugProtocol.SetInstructionBreakpointsResponse['body']).breakpoints[0]!.verified, true);
  const hit = stoppedEvent(dc);
  await dc.continueRequest({ threadId: 1 });
  assert.equal((await hit).body.reason, 'instruction breakpoint');
  const f = await topFrame(dc);
  assert.equal(f.instructionPointerReference, target.address);
  assert.equal(f.line, 10);
}));

test('a .wasm without source: generated text, breakpoints and stepping on it', { skip }, () => withClient(async (dc) => {
  const program = fixture('loop.wasm');
  const stopped = stoppedEvent(dc);
  await launch(dc, { program, invoke: { name: 'sum', args: [2] }, stopOnEntry: true });
  await stopped;
  const entry = await topFrame(dc);
  const ref = entry.source?.sourceReference ?? 0;
  assert.ok(ref > 0);
  const text = (await dc.sourceRequest({ sourceReference: ref, source: entry.source })).body.content;
  const lines = text.split('\n');
  assert.equal(lines[entry.line - 1]!.trim(), 'i32.const 1');
  const gtLine = lines.findIndex((l) => l.trim() === 'i32.gt_s') + 1;
  const bps = await dc.setBreakpointsRequest({ source: entry.source!, breakpoints: [{ line: gtLine }] });
  assert.equal(bps.body.breakpoints[0]!.verified, true);
  const hit = stoppedEvent(dc);
  await dc.continueRequest({ threadId: 1 });
  await hit;
  assert.equal((await topFrame(dc)).line, gtLine);
  const stepped = stoppedEvent(dc);
  await dc.nextRequest({ threadId: 1 });
  await stepped;
  assert.equal((await topFrame(dc)).line, gtLine + 1);
  const loaded = await dc.customRequest('loadedSources', {});
  assert.equal((loaded.body as DebugProtocol.LoadedSourcesResponse['body']).sources[0]!.sourceReference, ref);
  const modules = await dc.customRequest('modules', {});
  assert.equal((modules.body as DebugProtocol.ModulesResponse['body']).modules[0]!.name, 'loop.wasm');
}));
