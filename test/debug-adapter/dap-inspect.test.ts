// Inspection over stdio against the built adapter and the real engine: scopes and typed values,
// setVariable, memory read/write, evaluate, error responses for stale or bad requests, and golden
// transcripts of whole sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { fixture, launch, missingEngine, raw, scopeValues, topFrame, Transcript, withClient } from './dap-harness.js';

const skip = missingEngine();
if (skip) console.log(`# skipping DAP inspection tests: ${skip}`);

const MEMORY = fixture('memory.wat');

/** Stops in `poke(32, 0x41424344)` at line 16, after the store. */
async function atPoke(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: MEMORY, invoke: { name: 'poke', args: [32, 0x41424344] } }, () =>
    dc.setBreakpointsRequest({ source: { path: MEMORY }, breakpoints: [{ line: 16 }] }));
  await stopped;
  return topFrame(dc);
}

async function evaluate(dc: DebugClient, frameId: number, expression: string): Promise<string> {
  return (await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
}

test('scopes hold locals (params first), operand stack, globals, memory and values in their types', { skip }, () =>
  withClient(async (dc) => {
    const frame = await atPoke(dc);
    const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.map((s) => s.name);
    assert.deepEqual(scopes, ['Locals', 'Operand stack', 'Globals', 'Memory']);
    const locals = await scopeValues(dc, frame.id, 'Locals');
    assert.deepEqual(Object.keys(locals), ['$addr', '$value', '$v', '$f']);
    assert.equal(locals['$addr'], '32');
    assert.equal(locals['$value'], String(0x41424344));
    assert.equal(locals['$v'], 'i32x4 1 2 3 4');
    assert.equal(locals['$f'], '1.5');
    const globals = await scopeValues(dc, frame.id, 'Globals');
    assert.deepEqual(globals, { $counter: '-1', $big: '9007199254740993', $ratio: '0.5', $fn: 'func 0', $ext: 'null' });
    // Expand the i32 global and the v128 local.
    const gScope = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Globals')!;
    const gVars = (await dc.variablesRequest({ variablesReference: gScope.variablesReference })).body.variables;
    const counter = gVars.find((v) => v.name === '$counter')!;
    assert.equal(counter.type, 'i32');
    const views = (await dc.variablesRequest({ variablesReference: counter.variablesReference })).body.variables;
    assert.deepEqual(views.map((v) => [v.name, v.value]).slice(0, 3),
      [['signed', '-1'], ['unsigned', '4294967295'], ['hex', '0xffffffff']]);
    const lScope = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Locals')!;
    const v = (await dc.variablesRequest({ variablesReference: lScope.variablesReference })).body.variables
      .find((x) => x.name === '$v')!;
    const lanes = Object.fromEntries((await dc.variablesRequest({ variablesReference: v.variablesReference })).body.variables
      .map((x) => [x.name, x.value]));
    assert.equal(lanes['i32x4'], '1 2 3 4');
    assert.equal(lanes['i64x2'], '8589934593 17179869187');
  }));

test('operand stack slots show their static types (an f32 is not its bits)', { skip }, () => withClient(async (dc) => {
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: MEMORY, invoke: { name: 'poke', args: [32, 1] } }, () =>
    dc.setBreakpointsRequest({ source: { path: MEMORY }, breakpoints: [{ line: 14 }] }));
  await stopped;
  const step = dc.waitForEvent('stopped');
  await dc.stepInRequest({ threadId: 1, granularity: 'instruction' });
  await step;
  const frame = await topFrame(dc);
  const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
  const stack = (await dc.variablesRequest({ variablesReference: scopes.find((x) => x.name === 'Operand stack')!.variablesReference }))
    .body.variables;
  assert.deepEqual(stack.map((v) => [v.name, v.value, v.type]), [['[0]', '1.5', 'f32']]);
}));

test('memory scope pages through a dump; readMemory and writeMemory', { skip }, () => withClient(async (dc) => {
  const frame = await atPoke(dc);
  const mScope = (await dc.scopesRequest({ frameId: frame.id })).body.scopes.find((s) => s.name === 'Memory')!;
  const [mem0] = (await dc.variablesRequest({ variablesReference: mScope.variablesReference })).body.variables;
  assert.equal(mem0!.value, '1 pages (65536 bytes)');
  assert.equal(mem0!.indexedVariables, 4096);
  assert.ok(mem0!.memoryReference);
  const rows = (await dc.variablesRequest({ variablesReference: mem0!.variablesReference, filter: 'indexed', start: 1, count: 2 }))
    .body.variables;
  assert.deepEqual(rows.map((r) => r.name), ['0x00000010', '0x00000020']);
  assert.match(rows[0]!.value, /Hello, wasm!/);
  assert.match(rows[1]!.value, /^44 43 42 41 .* {2}DCBA/);
  const read = await dc.customRequest('readMemory', { memoryReference: mem0!.memoryReference, offset: 16, count: 12 });
  assert.equal(Buffer.from((read.body as { data: string }).data, 'base64').toString(), 'Hello, wasm!');
  const partial = await dc.customRequest('readMemory', { memoryReference: mem0!.memoryReference, offset: 65530, count: 16 });
  assert.equal((partial.body as { unreadableBytes?: number }).unreadableBytes, 10);
  const outside = await raw(dc, 'readMemory', { memoryReference: mem0!.memoryReference, offset: 70000, count: 4 });
  assert.equal(outside.success, false);
  assert.match(outside.message ?? '', /outside memory 0/);
  const written = await dc.customRequest('writeMemory', { memoryReference: mem0!.memoryReference, offset: 32,
    data: Buffer.from([1, 0, 0, 0]).toString('base64') });
  assert.equal((written.body as { bytesWritten: number }).bytesWritten, 4);
  assert.equal(await evaluate(dc, frame.id, 'i32[32]'), '1');
  const tooFar = await raw(dc, 'writeMemory', { memoryReference: mem0!.memoryReference, offset: 65535,
    data: Buffer.from([1, 2]).toString('base64') });
  assert.equal(tooFar.success, false);
}));

test('evaluate: names, indices, loads, slices and arithmetic', { skip }, () => withClient(async (dc) => {
  const frame = await atPoke(dc);
  assert.equal(await evaluate(dc, frame.id, '$addr'), '32');
  assert.equal(await evaluate(dc, frame.id, 'addr + 4'), '36');
  assert.equal(await evaluate(dc, frame.id, 'local 1'), String(0x41424344));
  assert.equal(await evaluate(dc, frame.id, 'i32[$addr]'), String(0x41424344));
  assert.equal(await evaluate(dc, frame.id, 'u8[addr]'), '68');
  assert.equal(await evaluate(dc, frame.id, 'mem[16..16+5]'), '48 65 6c 6c 6f');
  assert.equal(await evaluate(dc, frame.id, '$counter * 2'), '-2');
  assert.equal(await evaluate(dc, frame.id, '$big + 1'), '9007199254740994');
  assert.equal(await evaluate(dc, frame.id, 'global.2'), '0.5');
  const completions = await dc.completionsRequest({ text: '$addr + $c', column: 11, frameId: frame.id });
  assert.deepEqual(completions.body.targets.map((t) => [t.label, t.start, t.length]), [['$counter', 9, 2]]);
  const all = (await dc.completionsRequest({ text: 'i', column: 2, frameId: frame.id })).body.targets.map((t) => t.label);
  assert.deepEqual(all, ['i8', 'i16', 'i32', 'i64']);
  const bad = await raw(dc, 'evaluate', { expression: '$nope + 1', frameId: frame.id, context: 'repl' });
  assert.equal(bad.success, false);
  assert.match(bad.message ?? '', /unknown name '\$nope'/);
  const oob = await raw(dc, 'evaluate', { expression: 'i32[65535]', frameId: frame.id, context: 'repl' });
  assert.equal(oob.success, false);
  assert.match(oob.message ?? '', /out of bounds/);
}));

test('setVariable changes locals and globals, and the program sees it', { skip }, () => withClient(async (dc) => {
  const frame = await atPoke(dc);
  const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
  const locals = scopes.find((s) => s.name === 'Locals')!.variablesReference;
  const globals = scopes.find((s) => s.name === 'Globals')!.variablesReference;
  const setLocal = await dc.setVariableRequest({ variablesReference: locals, name: '$addr', value: '0x10' });
  assert.equal(setLocal.body.value, '16');
  const setGlobal = await dc.setVariableRequest({ variablesReference: globals, name: '$counter', value: '41' });
  assert.equal(setGlobal.body.value, '41');
  assert.equal(await evaluate(dc, frame.id, '$addr'), '16');
  const badValue = await raw(dc, 'setVariable', { variablesReference: locals, name: '$addr', value: 'banana' });
  assert.equal(badValue.success, false);
  // Step over the global.set: the program read the new $counter.
  const stopped = dc.waitForEvent('stopped');
  await dc.nextRequest({ threadId: 1 });
  await stopped;
  const after = await topFrame(dc);
  assert.equal(after.line, 17);
  assert.equal((await scopeValues(dc, after.id, 'Globals'))['$counter'], '42');
}));

test('stale references and requests at the wrong time get error responses; the session goes on', { skip }, () =>
  withClient(async (dc) => {
    const frame = await atPoke(dc);
    const scopes = (await dc.scopesRequest({ frameId: frame.id })).body.scopes;
    const locals = scopes.find((s) => s.name === 'Locals')!.variablesReference;
    const unknown = await raw(dc, 'variables', { variablesReference: 987654 });
    assert.equal(unknown.success, false);
    assert.match(unknown.message ?? '', /unknown or stale/);
    const stopped = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: 1 });
    await stopped;
    const stale = await raw(dc, 'variables', { variablesReference: locals });
    assert.equal(stale.success, false);
    assert.match(stale.message ?? '', /unknown or stale/);
    const staleFrame = await raw(dc, 'scopes', { frameId: frame.id });
    assert.equal(staleFrame.success, false);
    // Still fine with fresh handles.
    const now = await topFrame(dc);
    assert.equal((await scopeValues(dc, now.id, 'Locals'))['$addr'], '32');
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: 1 });
    await exited;
    const late = await raw(dc, 'evaluate', { expression: '1', context: 'repl' });
    assert.equal(late.success, false);
    assert.match(late.message ?? '', /terminated/);
    const threads = await dc.threadsRequest();
    assert.equal(threads.body.threads.length, 1);
  }));

// ---- golden transcripts -------------------------------------------------------------------------

test('golden: a breakpoint-and-step session on loop.wat', { skip }, () => withClient(async (dc) => {
  const t = new Transcript();
  const path = fixture('loop.wat');
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: path, invoke: { name: 'sum', args: [3] } }, async () => {
    t.log('setBreakpoints', (await dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line: 11 }] })).body);
  });
  t.log('stopped', (await stopped).body);
  const trace = await dc.stackTraceRequest({ threadId: 1 });
  t.log('stackTrace', trace.body);
  const frameId = trace.body.stackFrames[0]!.id;
  const scopes = await dc.scopesRequest({ frameId });
  t.log('scopes', scopes.body);
  for (const s of scopes.body.scopes.filter((x) => !x.expensive)) {
    t.log(`variables ${s.name}`, (await dc.variablesRequest({ variablesReference: s.variablesReference })).body);
  }
  for (const g of ['instruction', 'line'] as const) {
    const next = dc.waitForEvent('stopped');
    await dc.nextRequest({ threadId: 1, granularity: g });
    t.log(`next (${g})`, (await next).body);
    t.log('top frame', (await dc.stackTraceRequest({ threadId: 1, levels: 1 })).body.stackFrames[0]);
  }
  t.log('evaluate $acc + $i', (await dc.evaluateRequest({ expression: '$acc + $i', frameId: (await topFrame(dc)).id })).body);
  await dc.setBreakpointsRequest({ source: { path }, breakpoints: [] });
  const exited = dc.waitForEvent('exited');
  const terminated = dc.waitForEvent('terminated');
  await dc.continueRequest({ threadId: 1 });
  t.log('exited', (await exited).body);
  await terminated;
  t.log('terminated');
  t.check('loop-session');
}));

test('golden: a trap in trap.wat', { skip }, () => withClient(async (dc) => {
  const t = new Transcript();
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: fixture('trap.wat'), invoke: { name: 'run' } });
  t.log('stopped', (await stopped).body);
  t.log('stackTrace', (await dc.stackTraceRequest({ threadId: 1 })).body);
  t.log('exceptionInfo', (await dc.exceptionInfoRequest({ threadId: 1 })).body);
  const exited = dc.waitForEvent('exited');
  await dc.continueRequest({ threadId: 1 });
  t.log('exited', (await exited).body);
  t.check('trap-session');
}));

test('golden: a .wasm without source, shown as printed text and disassembly', { skip }, () => withClient(async (dc) => {
  const t = new Transcript();
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: fixture('loop.wasm'), invoke: { name: 'sum', args: [1] }, stopOnEntry: true });
  t.log('stopped', (await stopped).body);
  const trace = await dc.stackTraceRequest({ threadId: 1 });
  t.log('stackTrace', trace.body);
  const frame = trace.body.stackFrames[0]!;
  t.log('source', (await dc.sourceRequest({ sourceReference: frame.source!.sourceReference!, source: frame.source })).body);
  t.log('disassemble', (await dc.disassembleRequest({ memoryReference: frame.instructionPointerReference!,
    instructionOffset: -1, instructionCount: 6, resolveSymbols: true })).body);
  t.check('wasm-session');
}));

test('a caller frame\'s operand stack holds the values below its call\'s arguments', { skip }, () => withClient(async (dc) => {
  const path = fixture('operands.wat');
  const stopped = dc.waitForEvent('stopped');
  await launch(dc, { program: path, invoke: { name: 'sum' } }, () =>
    dc.setBreakpointsRequest({ source: { path }, breakpoints: [{ line: 5 }] }));
  await stopped;
  const frames = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;
  assert.deepEqual(frames.map((f) => [f.name, f.line]), [['square', 5], ['sum', 9]]);
  const stackOf = async (frameId: number): Promise<[string, string, string | undefined][]> => {
    const scope = (await dc.scopesRequest({ frameId })).body.scopes.find((s) => s.name === 'Operand stack');
    assert.ok(scope, 'no Operand stack scope');
    return (await dc.variablesRequest({ variablesReference: scope.variablesReference })).body.variables.map((v) => [v.name, v.value, v.type]);
  };
  assert.deepEqual(await stackOf(frames[1]!.id), [['[0]', '0.25', 'f64'], ['[1]', '1000', 'i32']]);
  assert.deepEqual(await stackOf(frames[0]!.id), []);
}));
