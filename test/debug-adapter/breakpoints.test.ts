import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProgram } from '../../debug-adapter/program.js';
import {
  BreakpointRegistry, hitRuleMatches, parseHitCondition, parseLogMessage, resolveFunction,
} from '../../debug-adapter/breakpoints.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'fixtures', 'dap');

test('hit conditions', () => {
  const hits = (text: string): number[] => {
    const rule = parseHitCondition(text);
    return [1, 2, 3, 4, 5, 6].filter((n) => hitRuleMatches(rule, n));
  };
  assert.deepEqual(hits('3'), [3, 4, 5, 6]);
  assert.deepEqual(hits('== 3'), [3]);
  assert.deepEqual(hits('=3'), [3]);
  assert.deepEqual(hits('> 4'), [5, 6]);
  assert.deepEqual(hits('<2'), [1]);
  assert.deepEqual(hits('<= 2'), [1, 2]);
  assert.deepEqual(hits('% 2'), [2, 4, 6]);
  assert.throws(() => parseHitCondition('often'), /not understood/);
  assert.throws(() => parseHitCondition('% 0'), /divides by zero/);
});

test('logpoint messages', () => {
  assert.deepEqual(parseLogMessage('i = {$i}, acc={acc + 1} {{literal}}'), [
    { text: 'i = ' }, { expr: '$i' }, { text: ', acc=' }, { expr: 'acc + 1' }, { text: ' {literal}' },
  ]);
  assert.throws(() => parseLogMessage('oops {x'), /unclosed/);
});

test('function names: $id, export, index', () => {
  const p = loadProgram(join(fixtures, 'calls.wat'));
  assert.equal(resolveFunction(p.module, '$leaf'), 0);
  assert.equal(resolveFunction(p.module, 'middle'), 1);
  assert.equal(resolveFunction(p.module, 'main'), 2);
  assert.equal(resolveFunction(p.module, '2'), 2);
  assert.equal(resolveFunction(p.module, 'func[1]'), 1);
  assert.equal(resolveFunction(p.module, '7'), undefined);
  assert.equal(resolveFunction(p.module, 'nope'), undefined);
});

test('registry places, rejects and groups breakpoints per site', async () => {
  const p = loadProgram(join(fixtures, 'calls.wat'));
  const reg = new BreakpointRegistry(p.module, p.sources);
  const [online, moved, bad] = await reg.setSourceBreakpoints(p.sources.documents()[0]!, [{ line: 3, column: 18 }, { line: 8 }, { line: 5, hitCondition: 'x' }]);
  assert.equal(online!.verified, true);
  assert.equal(online!.column, 18);
  assert.equal(moved!.verified, true);
  assert.equal(moved!.line, 10);
  assert.match(moved!.message!, /moved/);
  assert.equal(bad!.verified, false);
  assert.match(bad!.message!, /hit condition/);
  const [fn, missing] = await reg.setFunctionBreakpoints([{ name: '$leaf' }, { name: 'ghost' }]);
  assert.equal(fn!.verified, true);
  assert.equal(fn!.offset, p.module.funcs[0]!.body[0]!.offset);
  assert.equal(missing!.verified, false);
  const [instr, nowhere] = await reg.setInstructionBreakpoints([
    { instructionReference: '0x' + online!.offset!.toString(16) }, { instructionReference: '0x0' }]);
  assert.equal(instr!.verified, true);
  assert.equal(nowhere!.verified, false);
  const { requests, sites } = reg.engineRequests();
  // The instruction breakpoint shares the source breakpoint's site: one engine request, two breakpoints.
  const shared = sites.find((s) => s.length === 2)!;
  assert.deepEqual(shared.map((b) => b.kind).sort(), ['instruction', 'source']);
  assert.equal(requests.length, sites.length);
  assert.equal(reg.at(online!.offset!).length, 2);
});

test('host imports cannot take function breakpoints; export names find functions', async () => {
  const p = loadProgram(join(fixtures, 'hello.wat'));
  assert.equal(resolveFunction(p.module, '_start'), 2); // the export of $main, after two imports
  assert.equal(resolveFunction(p.module, '$main'), 2);
  const reg = new BreakpointRegistry(p.module, p.sources);
  const [bp] = await reg.setFunctionBreakpoints([{ name: 'fd_write' }]);
  assert.equal(bp!.verified, false);
  assert.match(bp!.message!, /host import/);
});

test('conditions and logpoint holes that do not parse leave the breakpoint unverified', async () => {
  const { checkOptions } = await import('../../debug-adapter/breakpoints.js');
  assert.match((await checkOptions({ condition: '$i ==' })).syntaxProblem ?? '', /^condition: expected a value/);
  assert.match((await checkOptions({ logMessage: 'x={$x +}' })).syntaxProblem ?? '', /^log message \{\$x \+\}/);
  assert.equal((await checkOptions({ condition: '$i == 3 && i32[$p] / $q' })).syntaxProblem, undefined);
  assert.equal((await checkOptions({ condition: 'x / 0' })).syntaxProblem, undefined); // a value fault, not a form fault
  const p = loadProgram(join(fixtures, 'loop.wat'));
  const reg = new BreakpointRegistry(p.module, p.sources);
  const [bp] = await reg.setSourceBreakpoints(p.sources.documents()[0]!, [{ line: 10, ...(await checkOptions({ condition: '(1' })) }]);
  assert.equal(bp!.verified, false);
  assert.match(bp!.message!, /condition: expected '\)'/);
});
