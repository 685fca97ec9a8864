// DWARF source-level debugging (debug-adapter/dwarf), without running code: loading, the line
// table (checked against the symbol engine), breakpoint placement, the adapter's source seam.
// Fixtures: test/fixtures/dwarf (C built by build.sh at -O0 and -O2).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../runtime/binary/decode.js';
import { assembleText } from '../../runtime/text/index.js';
import { importCounts, type Module } from '../../runtime/wasm/types.js';
import { loadProgram } from '../../debug-adapter/program.js';
import { CompositeProvider } from '../../debug-adapter/source-provider.js';
import { dwarfSections, DwarfFormatError } from '../../debug-adapter/dwarf/dwarf-sections.js';
import { LineTable } from '../../debug-adapter/dwarf/line-table.js';
import { functionContaining } from '../../debug-adapter/dwarf/code-layout.js';
import { attachDwarf, codeSectionOffset, DwarfSourceProvider, loadDwarf, type DwarfInfo } from '../../debug-adapter/dwarf/index.js';
import { FIXTURES, funcIndexAt, funcNamed, GEOMETRY_C, lineOf, loadFixture, MAIN_C, PATH_MAP, loadBothPrograms } from '../fixtures/dwarf/fixture.js';

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

test('the line table read here agrees with the symbol engine (-O0, -O2, DWARF 5; all of the program\'s own code, a sample of libc)', async (t) => {
  const v5 = loadFixture('program-dwarf5.wasm');
  const dwarf5 = await loadDwarf(v5, () => undefined, { pathMap: PATH_MAP, modulePath: join(FIXTURES, 'program-dwarf5.wasm') });
  assert.ok(dwarf5);
  t.after(() => dwarf5.dispose());
  assert.deepEqual(dwarf5.breakpointLocations(MAIN_C, lineOf(MAIN_C, 'return n * rest;')).map((l) => l.line),
    [lineOf(MAIN_C, 'return n * rest;')]);
  for (const [m, dwarf] of [[o0, dwarf0], [o2, dwarf2], [v5, dwarf5]] as const) {
    let mapped = 0;
    for (const f of m.funcs) {
      // Every instruction of the fixture's own functions; every 7th of libc's (time: one worker round trip each).
      const own = f.body.some((i) => dwarf.spanAt(i.offset)?.file.startsWith(FIXTURES) &&
        !dwarf.spanAt(i.offset)?.file.includes('libc-'));
      for (const [k, instr] of f.body.entries()) {
        if (!own && k % 7 !== 0) continue;
        const mine = await dwarf.locationOf(instr.offset);
        assert.deepEqual(mine, await dwarf.symbolEngineLocationOf(instr.offset), `offset ${instr.offset}`);
        if (mine) mapped++;
      }
    }
    assert.ok(mapped > 500, `${mapped} instructions have a line`);
  }
});

test('malformed DWARF: a cut line table is reported with its location, and the module falls back', async () => {
  const said: string[] = [];
  const cut: Module = { ...o0, customs: o0.customs.map((c) => c.name === '.debug_line'
    ? { ...c, bytes: c.bytes.subarray(0, 40) } : c) };
  assert.equal(await loadDwarf(cut, (msg) => said.push(msg)), undefined);
  assert.match(said.join('\n'), /line table cannot be read: .*\.debug_line at module offset 0x[0-9a-f]+.*disassembly/);
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

test('without the symbol engine, source lines work and values say what is missing', async () => {
  const said: string[] = [];
  const lines = await loadDwarf(o0, (m) => said.push(m), { pathMap: PATH_MAP, symbolEngine: false });
  assert.ok(lines);
  assert.equal(lines.hasSymbolEngine, false);
  assert.ok(!said.some((m) => m.includes('symbol engine')), said.join('\n'));
  const line = lineOf(MAIN_C, 'return n * rest;');
  assert.deepEqual(lines.breakpointLocations(MAIN_C, line), dwarf0.breakpointLocations(MAIN_C, line));
  const [loc] = lines.breakpointLocations(MAIN_C, line);
  assert.deepEqual(await lines.framesAt(loc!.offset), []);
  const frame = { funcIndex: loc!.funcIndex, offset: loc!.offset, locals: [], stack: [], globals: [],
    readMemory: async () => new Uint8Array(0) };
  await assert.rejects(lines.variables(frame), /need the symbol engine @vscode\/dwarf-debugging/);
  await assert.rejects(lines.evaluate(frame, 'n'), /need the symbol engine/);
  const plan = await lines.planStep('over', { funcIndex: loc!.funcIndex, offset: loc!.offset, depth: 3 });
  assert.equal(plan.first, 'over');
  await lines.dispose();
});

test('mutated and cut DWARF sections: the reader ends with a located DwarfFormatError or a table, never another error or a hang', () => {
  let seed = 12345;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return Math.floor((seed / 0x7fffffff) * n);
  };
  const names = ['.debug_line', '.debug_info', '.debug_abbrev'] as const;
  const counts = { read: 0, rejected: 0 };
  const options = { codeSectionOffset: codeSectionOffset(o0)!, isCode: (o: number) => functionContaining(o0, o) !== undefined,
    localPath: (p: string) => p };
  for (let i = 0; i < 300; i++) {
    const sections = dwarfSections(o0);
    const name = names[i % 3]!;
    const original = sections[name]!;
    let bytes = original.bytes.slice();
    switch (i % 4) {
      case 0: for (let k = 0; k < 8; k++) bytes[random(bytes.length)] = random(256); break;
      case 1: bytes = bytes.subarray(0, random(bytes.length)); break;
      case 2: bytes[random(Math.min(bytes.length, 64))] = 0xff; break;
      default: for (let k = 0; k < 4; k++) bytes[random(bytes.length)]! ^= 1 << random(8);
    }
    sections[name] = { ...original, bytes };
    try {
      LineTable.read(sections, options);
      counts.read++;
    } catch (e) {
      assert.ok(e instanceof DwarfFormatError, `case ${i} (${name}): ${(e as Error).stack}`);
      // A damaged abbreviation table shows up while reading .debug_info: any DWARF section may be named.
      assert.match(e.message, /\(in \.debug_(line|info|abbrev) at module offset 0x[0-9a-f]+\)$/);
      counts.rejected++;
    }
  }
  assert.ok(counts.read > 0 && counts.rejected > 0, JSON.stringify(counts));
});
