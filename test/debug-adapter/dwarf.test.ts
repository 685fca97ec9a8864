// DWARF source-level debugging (debug-adapter/dwarf) on C programs built by
// test/fixtures/dwarf/build.sh: line tables, breakpoint placement, line steps and C values, driven
// through the real engine (its worker session) stopped at those lines.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModule } from '../../runtime/binary/decode.js';
import { EngineSession } from '../../runtime/engine/session.js';
import type { StepKind, StoppedEvent } from '../../runtime/engine/debug-api.js';
import { assembleText } from '../../runtime/text/index.js';
import { importCounts, type Module } from '../../runtime/wasm/types.js';
import { loadProgram } from '../../debug-adapter/program.js';
import { CompositeProvider } from '../../debug-adapter/source-provider.js';
import {
  attachDwarf, codeSectionOffset, DwarfDapValues, DwarfSourceProvider, frameStateFromSession, loadDwarf, type CVariable, type DwarfFrameState, type DwarfInfo, type LineStepOptions,
} from '../../debug-adapter/dwarf/index.js';

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

const FIXTURES = fileURLToPath(new URL('../fixtures/dwarf/', import.meta.url));
const MAIN_C = join(FIXTURES, 'main.c');
const GEOMETRY_C = join(FIXTURES, 'geometry.c');
/** The fixtures are built with -fdebug-prefix-map=<dir>=/build/dwarf (see build.sh). */
const PATH_MAP = { '/build/dwarf': FIXTURES.replace(/[\\/]$/, '') };

/** 0-based line of the first line of main.c containing `text` (so the tests follow the source). */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `"${text}" is in ${file}`);
  return index;
}

function loadFixture(name: string): Module {
  return decodeModule(new Uint8Array(readFileSync(join(FIXTURES, name))));
}

const logs: string[] = [];
let o0: Module;
let o2: Module;
let dwarf0: DwarfInfo;
let dwarf2: DwarfInfo;

before(async () => {
  o0 = loadFixture('program-O0.wasm');
  o2 = loadFixture('program-O2.wasm');
  const log = (m: string) => logs.push(m);
  const [a, b] = await Promise.all([
    loadDwarf(o0, log, { pathMap: PATH_MAP, modulePath: join(FIXTURES, 'program-O0.wasm') }),
    loadDwarf(o2, log, { pathMap: PATH_MAP, modulePath: join(FIXTURES, 'program-O2.wasm') }),
  ]);
  assert.ok(a && b, `DWARF loads: ${logs.join(' | ')}`);
  dwarf0 = a;
  dwarf2 = b;
});

after(async () => {
  await Promise.all([dwarf0?.dispose(), dwarf2?.dispose()]);
});

function funcIndexAt(m: Module, offset: number): number {
  const imported = importCounts(m).funcs;
  const i = m.funcs.findIndex((f) => offset >= f.codeStart && offset < f.end);
  assert.ok(i >= 0, `offset ${offset} is inside a function body`);
  return imported + i;
}

function funcNamed(m: Module, name: string): number {
  for (const [index, n] of m.names.funcs) if (n === name) return index;
  throw new Error(`no function ${name}`);
}

test('a module without DWARF gives no DwarfInfo, and loading says nothing about it', async () => {
  const assembled = assembleText('(module (func (export "f") (result i32) (i32.const 1)))');
  assert.ok(assembled.bytes);
  const said: string[] = [];
  assert.equal(await loadDwarf(decodeModule(assembled.bytes), (m) => said.push(m)), undefined);
  assert.deepEqual(said, []);
  assert.ok(logs.some((l) => l.includes('loading the symbol engine')), 'the lazy load is logged');
});

test('DWARF addresses are relative to the code section payload', () => {
  for (const m of [o0, o2]) {
    const offset = codeSectionOffset(m);
    assert.ok(offset !== undefined);
    // The code section's payload starts with the function count, right before the first body.
    assert.equal(m.bytes[offset], m.funcs.length);
    assert.equal(offset + 1, m.funcs[0]!.start);
  }
});

test('source files are listed under their local paths (pathMap applied)', () => {
  const files = dwarf0.sourceFiles();
  assert.ok(files.includes(MAIN_C), files.slice(0, 5).join(', '));
  assert.ok(files.includes(GEOMETRY_C));
  assert.ok(files.includes(join(FIXTURES, 'shapes.h')));
  assert.ok(!files.some((f) => f.startsWith('/build/dwarf')), 'no build path is left');
  assert.equal(dwarf0.remapPath('/build/dwarf/sub/x.c'), join(FIXTURES, 'sub/x.c'));
  assert.equal(dwarf0.remapPath('/build/dwarfish/x.c'), '/build/dwarfish/x.c', 'prefixes match whole components');
});

test('breakpoint locations: a line in the recursive function, a line in the second file, an empty line', async () => {
  const ret = lineOf(MAIN_C, 'return n * rest;');
  const [inFactorial] = await dwarf0.breakpointLocations(MAIN_C, ret);
  assert.ok(inFactorial);
  assert.equal(inFactorial.line, ret);
  assert.equal(inFactorial.column, readFileSync(MAIN_C, 'utf8').split('\n')[ret]!.indexOf('n * rest'));
  assert.equal(funcIndexAt(o0, inFactorial.offset), funcNamed(o0, 'factorial'));

  const add = lineOf(GEOMETRY_C, 'total += s->sides[i];');
  const [inPerimeter] = await dwarf0.breakpointLocations(GEOMETRY_C, add);
  assert.ok(inPerimeter);
  assert.equal(inPerimeter.line, add);
  assert.equal(funcIndexAt(o0, inPerimeter.offset), funcNamed(o0, 'perimeter'));

  // The blank line after factorial has no code: the breakpoint moves to the next line with code.
  const blank = lineOf(MAIN_C, 'float average(') - 1;
  const moved = await dwarf0.breakpointLocations(MAIN_C, blank);
  assert.equal(moved[0]?.line, blank + 1);
  assert.equal(funcIndexAt(o0, moved[0]!.offset), funcNamed(o0, 'average'));

  // A for header has code in several places (init, condition/increment): all are offered.
  const loop = await dwarf0.breakpointLocations(MAIN_C, lineOf(MAIN_C, 'for (int i = 0; i < count'));
  assert.ok(loop.length >= 2);
  assert.deepEqual(loop.map((l) => l.offset), [...loop.map((l) => l.offset)].sort((a, b) => a - b));

  assert.deepEqual(await dwarf0.breakpointLocations(join(FIXTURES, 'nothing.c'), 3), []);
});

test('offset → source line, and back', async () => {
  for (const text of ['int rest = factorial(n - 1);', 'float result = (float)sum / count;', 'counter += f;']) {
    const line = lineOf(MAIN_C, text);
    const [loc] = await dwarf0.breakpointLocations(MAIN_C, line);
    const back = await dwarf0.locationOf(loc!.offset);
    assert.deepEqual(back && { file: back.file, line: back.line }, { file: MAIN_C, line }, text);
    // Every instruction of the line's code maps to that line.
    const ranges = await dwarf0.lineRanges(MAIN_C, line);
    const fn = o0.funcs.find((f) => loc!.offset >= f.codeStart && loc!.offset < f.end)!;
    for (const instr of fn.body.filter((i) => ranges.some((r) => i.offset >= r.start && i.offset < r.end))) {
      assert.equal((await dwarf0.locationOf(instr.offset))?.line, line);
    }
  }
  const geometry = await dwarf0.breakpointLocations(GEOMETRY_C, lineOf(GEOMETRY_C, 'return total;'));
  assert.equal((await dwarf0.locationOf(geometry[0]!.offset))?.file, GEOMETRY_C);
  // Code outside every function (a module header byte) has no source line.
  assert.equal(await dwarf0.locationOf(0), undefined);
});

test('the line table read here agrees with the symbol engine on every instruction (-O0 and -O2)', async () => {
  for (const [m, dwarf] of [[o0, dwarf0], [o2, dwarf2]] as const) {
    let mapped = 0;
    for (const f of m.funcs) {
      for (const instr of f.body) {
        const mine = await dwarf.locationOf(instr.offset);
        assert.deepEqual(mine, await dwarf.symbolEngineLocationOf(instr.offset), `offset ${instr.offset}`);
        if (mine) mapped++;
      }
    }
    assert.ok(mapped > 1000, `${mapped} instructions have a line`);
  }
});

test('malformed DWARF: a cut line table is reported with its location, and the module falls back', async () => {
  const said: string[] = [];
  const cut: Module = { ...o0, customs: o0.customs.map((c) => c.name === '.debug_line'
    ? { ...c, bytes: c.bytes.subarray(0, 40) } : c) };
  assert.equal(await loadDwarf(cut, (msg) => said.push(msg)), undefined);
  assert.match(said.join('\n'), /line table cannot be read: .*\.debug_line at module offset 0x[0-9a-f]+.*disassembly/);
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

    // In: into average(), at its opening line; then over, line by line.
    await run.lineStep('in');
    const inAverage = await run.where();
    assert.equal(funcIndexAt(o0, (await run.position()).offset), funcNamed(o0, 'average'));
    assert.equal(inAverage?.line, lineOf(MAIN_C, 'float average('));
    await run.lineStep('over');
    assert.equal(await at(), lineOf(MAIN_C, 'int sum = 0;'));
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

test('the adapter seam: C files are documents, code without local source stays in the disassembly', async () => {
  const program = loadProgram(join(FIXTURES, 'program-O0.wasm'));
  const provider = new DwarfSourceProvider(dwarf0, program.sources);
  const names = provider.documents().map((d) => d.name);
  assert.ok(names.includes('main.c') && names.includes('geometry.c'), names.join(', '));
  assert.ok(!names.includes('printf.c'), 'libc sources are not on this machine');
  assert.deepEqual(names, ['main.c', 'geometry.c', ...program.sources.documents().map((d) => d.name)]);

  const main = provider.find({ path: MAIN_C });
  assert.equal(main?.path, MAIN_C);
  assert.equal(provider.find({ path: join(FIXTURES, 'nothing.c') }), undefined);
  const disassembly = program.sources.documents()[0]!;
  assert.equal(provider.find({ sourceReference: disassembly.sourceReference ?? -1, path: disassembly.path }), disassembly);

  const blank = lineOf(MAIN_C, 'float average(') - 1;
  const placed = await provider.place(main!, blank);
  assert.deepEqual(placed && [placed.location.line, placed.moved], [blank + 1, true]);
  const exact = await provider.place(main!, lineOf(MAIN_C, 'return n * rest;'));
  assert.equal(exact?.moved, false);
  assert.equal(exact?.location.funcIndex, funcNamed(o0, 'factorial'));

  const located = await provider.locate(exact!.location.offset);
  assert.deepEqual(located && [located.document.id, located.line], [MAIN_C, lineOf(MAIN_C, 'return n * rest;')]);
  // printf's code has DWARF lines, but its source is not here: the disassembly shows it.
  const printf = o0.funcs[funcNamed(o0, 'printf') - importCounts(o0).funcs]!;
  const inPrintf = await provider.locate(printf.codeStart);
  assert.equal(inPrintf?.document.id, disassembly.id);

  // Without a fallback (for a CompositeProvider that lists the disassembly after it), code
  // without local source is simply not located here.
  const alone = new DwarfSourceProvider(dwarf0);
  assert.deepEqual(alone.documents().map((d) => d.name), ['main.c', 'geometry.c']);
  assert.equal(await alone.locate(printf.codeStart), undefined);
  assert.equal((await alone.locate(exact!.location.offset))?.document.id, MAIN_C);
  const composite = new CompositeProvider([alone, program.sources]);
  assert.equal((await composite.locate(printf.codeStart))?.document.id, disassembly.id);

  const positions = await provider.positions(main!, lineOf(MAIN_C, 'int factorial('), lineOf(MAIN_C, 'return n * rest;'));
  assert.deepEqual([...new Set(positions.map((p) => p.line))], dwarf0.mappedLines(MAIN_C)
    .filter((l) => l >= lineOf(MAIN_C, 'int factorial(') && l <= lineOf(MAIN_C, 'return n * rest;')));
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

test('attachDwarf puts the C files in front of the disassembly; without DWARF the program is unchanged', async () => {
  const program = loadProgram(join(FIXTURES, 'program-O0.wasm'));
  const disassembly = program.sources.documents()[0]!;
  const said: string[] = [];
  const dwarf = await attachDwarf(program, { pathMap: PATH_MAP, log: (m) => said.push(m) });
  try {
    assert.ok(dwarf, said.join('\n'));
    assert.deepEqual(program.sources.documents().map((d) => d.name), ['main.c', 'geometry.c', disassembly.name]);
    const main = program.sources.find({ path: MAIN_C })!;
    const placed = await program.sources.place(main, lineOf(MAIN_C, 'counter += f;'));
    assert.equal((await program.sources.locate(placed!.location.offset))?.line, lineOf(MAIN_C, 'counter += f;'));
    const printf = o0.funcs[funcNamed(o0, 'printf') - importCounts(o0).funcs]!;
    assert.equal((await program.sources.locate(printf.codeStart))?.document.id, disassembly.id);
  } finally {
    await dwarf?.dispose();
  }

  const plain = loadProgram(join(FIXTURES, 'program-O0.wasm'));
  plain.module = { ...plain.module, customs: plain.module.customs.filter((c) => !c.name.startsWith('.debug')) };
  const before = plain.sources;
  assert.equal(await attachDwarf(plain, { log: () => undefined }), undefined);
  assert.equal(plain.sources, before);
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
