// DWARF source-level debugging (debug-adapter/dwarf) on running C and C++ programs: the real
// engine (its worker session) stopped at source lines, C values of its frames, watch
// expressions, line steps, traps, and the adapter's DAP value seam.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineSession } from '../../runtime/engine/session.js';
import type { StepKind, StoppedEvent } from '../../runtime/engine/debug-api.js';
import type { Module } from '../../runtime/wasm/types.js';
import {
  DwarfDapValues, frameStateFromSession, loadDwarf, type CVariable, type DwarfFrameState, type DwarfInfo,
  type LineStepOptions,
} from '../../debug-adapter/dwarf/index.js';
import { FIXTURES, funcIndexAt, funcNamed, GEOMETRY_C, lineOf, loadFixture, MAIN_C, PATH_MAP, loadBothPrograms } from '../fixtures/dwarf/fixture.js';

// ---------------------------------------------------------------------------------------------

type EngineEvent = { kind: 'stopped'; stop: StoppedEvent } | { kind: 'exited'; code: number };

/** The real engine, driven the way the adapter drives it. */
class DwarfRun {
  readonly session = new EngineSession();
  readonly output: string[] = [];
  private readonly events: EngineEvent[] = [];
  private waiter: ((e: EngineEvent) => void) | undefined;

  constructor(readonly dwarf: DwarfInfo) {
    this.session.on('stopped', (stop) => this.deliver({ kind: 'stopped', stop }));
    this.session.on('exited', (code) => this.deliver({ kind: 'exited', code }));
    this.session.on('output', (text) => this.output.push(text));
  }

  private deliver(e: EngineEvent): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w(e); else this.events.push(e);
  }

  private next(): Promise<EngineEvent> {
    const e = this.events.shift();
    if (e) return Promise.resolve(e);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no engine event within 10 s')), 10000);
      this.waiter = (ev) => { clearTimeout(timer); resolve(ev); };
    });
  }

  async load(bytes: Uint8Array): Promise<void> {
    await this.session.load(bytes, { wasi: { args: ['program'] } }, {});
  }

  /** Breakpoints on source lines (0-based), each at its first code location. */
  async breakAt(file: string, ...lines: number[]): Promise<number[]> {
    const offsets: number[] = [];
    for (const line of lines) {
      const [first] = await this.dwarf.breakpointLocations(file, line);
      if (!first) throw new Error(`no code for ${file}:${line + 1}`);
      offsets.push(first.offset);
    }
    await this.session.setBreakpoints(offsets.map((offset) => ({ offset })));
    return offsets;
  }

  async run(): Promise<EngineEvent> {
    const e = this.next();
    await this.session.run();
    return e;
  }

  async continue(): Promise<EngineEvent> {
    this.dwarf.resumed();
    const e = this.next();
    await this.session.continue();
    return e;
  }

  async position(): Promise<{ funcIndex: number; offset: number; depth: number }> {
    const frames = await this.session.stackTrace();
    return { funcIndex: frames[0]!.funcIndex, offset: frames[0]!.offset, depth: frames.length };
  }

  /** One source-line step, as the adapter does it: instruction steps until the plan says stop. */
  async lineStep(kind: StepKind, options?: LineStepOptions): Promise<{ event: EngineEvent; instructionSteps: number }> {
    this.dwarf.resumed();
    const plan = await this.dwarf.planStep(kind, await this.position(), options);
    let step: StepKind | undefined = plan.first;
    for (let n = 1; n <= 100000; n++) {
      const e = this.next();
      await this.session.step(step);
      const event = await e;
      if (event.kind === 'exited' || event.stop.reason !== 'step') return { event, instructionSteps: n };
      step = await plan.next(await this.position());
      if (!step) return { event, instructionSteps: n };
    }
    throw new Error('a line step did not end within 100000 instruction steps');
  }

  /** Where frame `frame` is in the source (0-based line). */
  async where(frame = 0): Promise<{ file: string; line: number } | undefined> {
    const frames = await this.session.stackTrace();
    return this.dwarf.locationOf(frames[frame]!.offset);
  }

  frame(index = 0): Promise<DwarfFrameState> {
    return frameStateFromSession(this.session, index);
  }

  async end(): Promise<void> {
    await this.session.terminate();
  }
}

// ---------------------------------------------------------------------------------------------


const logs: string[] = [];
let o0: Module;
let o2: Module;
let dwarf0: DwarfInfo;
let dwarf2: DwarfInfo;

before(async () => {
  ({ o0, o2, dwarf0, dwarf2 } = await loadBothPrograms(logs));
});

after(async () => {
  await Promise.all([dwarf0?.dispose(), dwarf2?.dispose()]);
});

test('values that cannot be read say why, and nothing crashes', async () => {
  const [loc] = dwarf0.breakpointLocations(MAIN_C, lineOf(MAIN_C, 'return n * rest;'));
  // A frame that has lost its locals and whose memory cannot be read (as after a trap).
  const broken: DwarfFrameState = {
    funcIndex: loc!.funcIndex, offset: loc!.offset, locals: [], stack: [], globals: [],
    readMemory: async (address, length) => { throw new Error(`out of bounds: ${length} bytes at ${address}`); },
  };
  await assert.rejects(dwarf0.evaluate(broken, 'n'), /^Error: Wasm local \d+ does not exist in this frame$/);
  await assert.rejects(dwarf0.evaluate(broken, 'counter'), /cannot read memory at 0x[0-9a-f]+: out of bounds/);
  await assert.rejects(dwarf0.evaluate(broken, 'n +'), /Unexpected token/);
  const vars = await dwarf0.variables(broken, 0, ['parameter', 'local']);
  assert.deepEqual(vars.map((v) => v.value), ['<Wasm local 3 does not exist in this frame>',
    '<Wasm local 3 does not exist in this frame>']);
});

test('stopped in the recursion: exact C values of the frame and of main, watch expressions', async () => {
  const run = new DwarfRun(dwarf0);
  try {
    await run.load(o0.bytes);
    const ret = lineOf(MAIN_C, 'return n * rest;');
    await run.breakAt(MAIN_C, ret);
    const stop = await run.run();
    assert.equal(stop.kind === 'stopped' && stop.stop.reason, 'breakpoint');
    assert.deepEqual(await run.where(), { file: MAIN_C, line: ret, column: 9 });

    // The innermost factorial that gets here is factorial(2) (factorial(1) returns early).
    const top = await run.frame(0);
    const vars = await dwarf0.variables(top);
    const byName = Object.fromEntries(vars.map((v) => [v.name, v]));
    assert.deepEqual(pick(byName['n']!), { type: 'int', value: '2', scope: 'parameter' });
    assert.deepEqual(pick(byName['rest']!), { type: 'int', value: '1', scope: 'local' });
    assert.deepEqual(pick(byName['counter']!), { type: 'int', value: '7', scope: 'global' });
    // unsigned char is a character type: shown as C shows characters; arithmetic promotes it.
    assert.deepEqual(await values(byName['bytes']!), ["'\\x01'", "'\\x02'", "'\\xfa'"]);
    assert.equal((await dwarf0.evaluate(top, 'bytes[2] + 0')).value, '250');
    assert.deepEqual(vars.map((v) => v.scope).slice(0, 2), ['parameter', 'local'], 'parameters first');
    assert.deepEqual((await dwarf0.variables(top, 0, ['parameter', 'local'])).map((v) => v.name), ['n', 'rest']);

    assert.equal((await dwarf0.evaluate(top, 'n * rest + counter')).value, '9');

    // The callers: four factorial frames (5, 4, 3 each waiting in the recursive call) then main.
    const stack = await run.session.stackTrace();
    const ns: string[] = [];
    for (let i = 0; i < 4; i++) {
      const frame = await run.frame(i);
      ns.push((await dwarf0.evaluate(frame, 'n')).value);
      if (i > 0) assert.equal((await dwarf0.locationOf(stack[i]!.offset))?.line, lineOf(MAIN_C, 'int rest = factorial'));
    }
    assert.deepEqual(ns, ['2', '3', '4', '5']);

    const mainFrame = await run.frame(4);
    assert.equal((await dwarf0.locationOf(mainFrame.offset))?.line, lineOf(MAIN_C, 'int f = factorial(5);'));
    const locals = Object.fromEntries((await dwarf0.variables(mainFrame)).map((v) => [v.name, v]));
    assert.equal(locals['big']!.value, '-1234567890123');
    assert.equal(locals['big']!.type, 'long long');
    assert.equal(locals['letter']!.value, "'q'");
    assert.deepEqual(await values(locals['numbers']!), ['10', '20', '30', '40', '50']);
    assert.equal(locals['numbers']!.type, 'int[5]');
    assert.ok(locals['numbers']!.memoryAddress! > 0 && locals['numbers']!.memorySize === 20);

    // A pointer shows the address it holds and expands to its pointee.
    const cursor = locals['cursor']!;
    assert.equal(cursor.type, 'int *');
    assert.equal(Number(cursor.value), locals['numbers']!.memoryAddress! + 8);
    assert.deepEqual(await values(cursor), ['30']);

    // A struct expands to its members, nested structs and arrays too.
    const square = locals['square']!;
    const members = await dwarf0.children(square.children!);
    assert.deepEqual(members.map((m) => m.name), ['name', 'corner', 'scale', 'sides']);
    assert.equal(members[0]!.value, '"square"');
    assert.equal(members[2]!.value, '1.5');
    const corner = await dwarf0.children(members[1]!.children!);
    assert.deepEqual(corner.map((m) => [m.name, m.value]), [['x', '3'], ['y', '-4']]);
    assert.deepEqual(await values(members[3]!), ['2', '2', '2', '2']);

    // Watch expressions in main's frame.
    assert.equal((await dwarf0.evaluate(mainFrame, 'square.corner.y + numbers[4]')).value, '46');
    assert.equal((await dwarf0.evaluate(mainFrame, '*cursor')).value, '30');
    assert.equal((await dwarf0.evaluate(mainFrame, 'square.sides[3] * 10')).value, '20');
    await assert.rejects(dwarf0.evaluate(mainFrame, 'no_such_variable + 1'), /no_such_variable/);
    await assert.rejects(dwarf0.evaluate(top, 'rest +'), (e: Error) => e.message.length > 0);

    // After resuming, the values of the last stop are gone, and say so.
    await run.session.setBreakpoints([]);
    const handle = square.children!;
    const end = await run.continue();
    assert.equal(end.kind, 'stopped', 'the program traps in crash()');
    await assert.rejects(dwarf0.children(handle), /resumed/);
  } finally {
    await run.end();
  }
});

function pick(v: CVariable): Pick<CVariable, 'type' | 'value' | 'scope'> {
  return { type: v.type, value: v.value, scope: v.scope };
}

async function values(v: CVariable): Promise<string[]> {
  assert.ok(v.children, `${v.name} expands`);
  return (await dwarf0.children(v.children)).map((c) => c.value);
}

test('step over / in / out by source line', async () => {
  const run = new DwarfRun(dwarf0);
  try {
    await run.load(o0.bytes);
    const callFactorial = lineOf(MAIN_C, 'int f = factorial(5);');
    await run.breakAt(MAIN_C, callFactorial);
    await run.run();
    await run.session.setBreakpoints([]);
    const at = async () => (await run.where())?.line;

    // Over: the whole recursion runs as one step.
    let r = await run.lineStep('over');
    assert.equal(r.event.kind === 'stopped' && r.event.stop.reason, 'step');
    assert.equal(await at(), lineOf(MAIN_C, 'float mean = average(numbers, 5);'));
    assert.equal((await dwarf0.evaluate(await run.frame(), 'f')).value, '120');
    assert.ok(r.instructionSteps > 1, 'a line is several instructions');

    // In: into average(), past its prologue (its first statement); then over, line by line.
    await run.lineStep('in');
    const inAverage = await run.where();
    assert.equal(funcIndexAt(o0, (await run.position()).offset), funcNamed(o0, 'average'));
    assert.equal(inAverage?.line, lineOf(MAIN_C, 'int sum = 0;'));
    assert.equal((await dwarf0.evaluate(await run.frame(), 'count')).value, '5', 'parameters hold their values');
    await run.lineStep('over');
    assert.equal(await at(), lineOf(MAIN_C, 'for (int i = 0; i < count'));
    await run.lineStep('over');
    assert.equal(await at(), lineOf(MAIN_C, 'sum += values[i];'));

    // Out: back in main, on the line that called average (its result not yet stored).
    await run.lineStep('out');
    assert.equal(funcIndexAt(o0, (await run.position()).offset), funcNamed(o0, '__original_main'));
    assert.equal(await at(), lineOf(MAIN_C, 'float mean = average(numbers, 5);'));
    await run.lineStep('over');
    assert.equal(await at(), lineOf(MAIN_C, 'int p = perimeter(&square);'));
    assert.equal((await dwarf0.evaluate(await run.frame(), 'mean')).value, '30');

    // In, into the second source file.
    await run.lineStep('in');
    assert.equal((await run.where())?.file, GEOMETRY_C);
    await run.lineStep('out');
    await run.lineStep('over');
    assert.equal(await at(), lineOf(MAIN_C, 'printf('));

    // In on a call into libc, whose sources are not here: it runs, and the step ends on the next line.
    const r2 = await run.lineStep('in', { hasSource: (file) => existsSync(file) });
    assert.equal(await at(), lineOf(MAIN_C, 'counter += f;'));
    assert.ok(r2.instructionSteps > 2);
    assert.match(run.output.join(''), /f=120 mean=30 p=8/);
  } finally {
    await run.end();
  }
});

test('step over in the recursive function stays in its own activation', async () => {
  const run = new DwarfRun(dwarf0);
  try {
    await run.load(o0.bytes);
    const recurse = lineOf(MAIN_C, 'int rest = factorial(n - 1);');
    await run.breakAt(MAIN_C, recurse);
    await run.run();
    await run.session.setBreakpoints([]);
    const depth = (await run.position()).depth;
    assert.equal((await dwarf0.evaluate(await run.frame(), 'n')).value, '5');
    await run.lineStep('over');
    assert.equal((await run.where())?.line, lineOf(MAIN_C, 'return n * rest;'));
    assert.equal((await run.position()).depth, depth);
    const frame = await run.frame();
    assert.equal((await dwarf0.evaluate(frame, 'n')).value, '5');
    assert.equal((await dwarf0.evaluate(frame, 'rest')).value, '24');
  } finally {
    await run.end();
  }
});

test('the trap is reported on its C line, with the C call stack', async () => {
  const run = new DwarfRun(dwarf0);
  try {
    await run.load(o0.bytes);
    const event = await run.run();
    assert.ok(event.kind === 'stopped' && event.stop.reason === 'trap', JSON.stringify(event));
    assert.deepEqual(await run.where(), { file: MAIN_C, line: lineOf(MAIN_C, '__builtin_trap();'), column: 4 });
    assert.equal((await dwarf0.framesAt(event.stop.offset))[0]?.name, 'crash');
    // The engine keeps no frame values at a trap (scopes are refused), only the backtrace.
    const trap = event.stop.trap!;
    assert.equal((await dwarf0.locationOf(trap.backtrace[1]!.offset))?.line, lineOf(MAIN_C, 'return crash(numbers'));
    assert.match(run.output.join(''), /f=120 mean=30 p=8 -1234567890123 q 30 250/);
  } finally {
    await run.end();
  }
});

test('-O2: the trap is in crash() inlined into main; stepping out of it is a step over its code', async () => {
  const run = new DwarfRun(dwarf2);
  try {
    await run.load(o2.bytes);
    const event = await run.run();
    assert.ok(event.kind === 'stopped' && event.stop.reason === 'trap');
    const frames = await dwarf2.framesAt(event.stop.offset);
    assert.deepEqual(frames.map((f) => [f.name, f.location?.file, f.location?.line]), [
      ['crash', MAIN_C, lineOf(MAIN_C, '__builtin_trap();')],
      ['main', MAIN_C, lineOf(MAIN_C, 'return crash(numbers')],
    ]);
    // Only the Wasm function main was compiled into exists; crash() has no code of its own.
    assert.equal(funcIndexAt(o2, event.stop.offset), funcNamed(o2, '__original_main'));
    const inlined = await dwarf2.inlinedFunctionRanges(event.stop.offset);
    assert.ok(inlined.some((r) => event.stop.offset >= r.start && event.stop.offset < r.end));
    const plan = await dwarf2.planStep('out', await run.position());
    assert.equal(plan.first, 'over');
    assert.equal(await plan.next(await run.position()), 'over', 'still inside crash()');
  } finally {
    await run.end();
  }
});

test('the adapter seam: DAP scopes, expandable C variables and evaluate, all stale after a resume', async () => {
  const run = new DwarfRun(dwarf0);
  try {
    await run.load(o0.bytes);
    await run.breakAt(GEOMETRY_C, lineOf(GEOMETRY_C, 'return total;'));
    await run.run();
    const values = new DwarfDapValues(dwarf0, run.session);
    const top = await run.position();
    assert.ok(values.appliesTo(top.offset));
    const [locals, globals] = values.scopes(0);
    const vars = await values.variables(locals!.variablesReference);
    assert.deepEqual(vars.map((v) => [v.name, v.type, v.value]).filter(([n]) => n !== 's'), [['total', 'int', '8']]);
    const s = vars.find((v) => v.name === 's')!;
    assert.equal(s.type, 'const shape *');
    assert.ok(values.owns(s.variablesReference));
    const [pointee] = await values.variables(s.variablesReference);
    assert.equal(pointee!.type, 'const shape');
    const members = await values.variables(pointee!.variablesReference);
    assert.deepEqual(members.map((m) => m.name), ['name', 'corner', 'scale', 'sides']);
    // Globals are those of the frame's compile unit: geometry.c declares none, main.c two.
    assert.deepEqual(await values.variables(globals!.variablesReference), []);
    const [, mainGlobals] = values.scopes(1);
    const shown = await values.variables(mainGlobals!.variablesReference);
    assert.deepEqual(shown.map((g) => [g.name, g.type, g.value]), [['bytes', 'unsigned char[3]', 'unsigned char[3]'],
      ['counter', 'int', '7']]);
    assert.equal(shown[0]!.evaluateName, 'bytes');

    const caller = await values.evaluate(1, 'numbers[1] + square.sides[0]');
    assert.equal(caller.result, '22');
    await assert.rejects(values.evaluate(0, 'numbers'), /numbers/, 'not visible in perimeter');

    values.resumed();
    assert.equal(values.owns(s.variablesReference), false);
    await assert.rejects(values.variables(locals!.variablesReference), /stale/);
  } finally {
    await run.end();
  }
});

test('C++: qualified function names, references, class members and template instances, C++ expressions', async () => {
  const cpp = loadFixture('program-cpp.wasm');
  const source = join(FIXTURES, 'shapes.cpp');
  const dwarf = await loadDwarf(cpp, () => undefined, { pathMap: PATH_MAP });
  assert.ok(dwarf);
  const run = new DwarfRun(dwarf);
  try {
    await run.load(cpp.bytes);
    await run.breakAt(source, lineOf(source, 'return result;'));
    await run.run();
    const stack = await run.session.stackTrace();
    assert.deepEqual((await dwarf.framesAt(stack[0]!.offset)).map((f) => f.name),
      ['geo::total(geo::Pair<int> const&, geo::Counter&)']);
    assert.deepEqual((await dwarf.framesAt(stack[1]!.offset)).map((f) => f.name), ['main']);

    const top = await run.frame(0);
    const vars = Object.fromEntries((await dwarf.variables(top)).map((v) => [v.name, v]));
    assert.equal(vars['pair']!.type, 'const geo::Pair<int> &');
    assert.deepEqual((await dwarf.children(vars['pair']!.children!)).map((m) => [m.name, m.value]), [['first', '4'], ['second', '5']]);
    assert.deepEqual((await dwarf.children(vars['counter']!.children!)).map((m) => [m.name, m.value]), [['value_', '104']]);
    assert.equal(vars['result']!.value, '113');
    assert.equal((await dwarf.evaluate(top, 'counter.value_ - pair.second * pair.first')).value, '84');
    await assert.rejects(dwarf.evaluate(top, 'pair.sum()'), /^Error: <expr>:1:9: member function calls are not supported$/);

    const main = Object.fromEntries((await dwarf.variables(await run.frame(1))).map((v) => [v.name, v]));
    assert.equal(main['halves']!.type, 'geo::Pair<double>');
    assert.deepEqual((await dwarf.children(main['halves']!.children!)).map((m) => m.value), ['0.25', '0.5']);
  } finally {
    await run.end();
    await dwarf.dispose();
  }
});
