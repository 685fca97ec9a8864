// The adapter over stdio before any program runs: capabilities, and every way a launch can be
// wrong, each failing the launch with a clear message while the session stays usable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { fixture, missingBuild, raw, startClient, stopClient, Transcript } from './dap-harness.js';

const skip = missingBuild();
if (skip) console.log(`# skipping DAP launch tests: ${skip}`);

let dc: DebugClient;
before(async () => { if (!skip) dc = await startClient(); });
after(async () => { if (!skip) await stopClient(dc); });

test('initialize announces what the adapter supports', { skip }, async () => {
  const r = await dc.initializeRequest();
  const caps = r.body!;
  for (const cap of ['supportsConfigurationDoneRequest', 'supportsFunctionBreakpoints', 'supportsConditionalBreakpoints',
    'supportsHitConditionalBreakpoints', 'supportsLogPoints', 'supportsSetVariable', 'supportsRestartRequest',
    'supportsTerminateRequest', 'supportsDisassembleRequest', 'supportsInstructionBreakpoints', 'supportsSteppingGranularity',
    'supportsReadMemoryRequest', 'supportsWriteMemoryRequest', 'supportsLoadedSourcesRequest', 'supportsModulesRequest',
    'supportsExceptionInfoRequest', 'supportsCompletionsRequest'] as const) {
    assert.equal(caps[cap], true, cap);
  }
  assert.deepEqual(caps.exceptionBreakpointFilters?.map((f) => [f.filter, f.label, f.default]),
    [['traps', 'Traps', true], ['host', 'Host errors', false]]);
});

test('a wrong configuration fails the launch with a clear message, and the session goes on', { skip }, async () => {
  const t = new Transcript();
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['missing program', {}, /no "program"/],
    ['program not found', { program: fixture('nope.wat') }, /program not found: .*nope\.wat/],
    ['WAT with errors', { program: fixture('broken.wat') }, /broken\.wat:3:\d+: error: undefined local `\$missing`/],
    ['malformed module', { program: fixture('malformed.wasm') }, /magic header not detected/],
    ['truncated module', { program: fixture('truncated.wasm') }, /truncated\.wasm: .*offset 0x/],
    ['invalid WAT', { program: fixture('invalid.wat') }, /invalid\.wat:4:12: error: type mismatch in i32\.add/],
    ['invalid binary', { program: fixture('invalid.wasm') }, /invalid\.wasm: type mismatch in i32\.add: .*\(at function 0, offset 0x27\)/],
    ['unknown import', { program: fixture('unknown-import.wat') }, /unknown import "env\.log"/],
    ['no entry point', { program: fixture('loop.wat') }, /no _start export .*"invoke"/],
    ['bad invoke', { program: fixture('loop.wat'), invoke: { name: 'sum', args: [1, 2] } }, /takes 1 argument\(s\), 2 given/],
  ];
  for (const [what, args, pattern] of cases) {
    const r = await raw(dc, 'launch', args);
    assert.equal(r.success, false, what);
    assert.match(r.message ?? '', pattern, what);
    t.log(`launch (${what})`, { success: r.success, message: r.message });
  }
  // Still answering after all those failures, and with nothing loaded.
  const threads = await dc.threadsRequest();
  assert.equal(threads.body.threads.length, 1);
  const stack = await raw(dc, 'stackTrace', { threadId: 1 });
  assert.equal(stack.success, false);
  assert.match(stack.message ?? '', /no program is loaded/);
  t.log('stackTrace with nothing loaded', { success: stack.success, message: stack.message });
  t.check('launch-errors');
});
