// The command line as a user drives it: the built `dist/wasmscope.js` (npm test builds it first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkCpuProfile, type CpuProfile } from '../../../runtime/profile/cpuprofile.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(root, 'dist', 'wasmscope.js');
const fixture = (name: string) => join(root, 'test', 'fixtures', 'cli', name);
let work: string;

function wasmscope(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: work, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  assert.ok(existsSync(cli), 'dist/wasmscope.js is missing: run `npm run build` (npm test does)');
  work = mkdtempSync(join(tmpdir(), 'wasmscope-cli-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('wasmscope run', () => {
  test('--invoke prints results one per line', () => {
    assert.deepEqual(wasmscope('run', '--invoke', 'add', fixture('add.wat'), '40', '2'), { code: 0, stdout: '42\n', stderr: '' });
    assert.equal(wasmscope('run', '--invoke', 'add', fixture('add.wat'), '0xffffffff', '2').stdout, '1\n');
    assert.equal(wasmscope('run', '--invoke', 'pair', fixture('add.wat'), '-9223372036854775808').stdout, '-9223372036854775808\n1.5\n');
    assert.equal(wasmscope('run', '--invoke', 'neg', fixture('add.wat'), 'inf').stdout, '-Infinity\n');
  });

  test('a WASI program: output, arguments and the proc_exit code', () => {
    const r = wasmscope('run', fixture('hello.wat'));
    assert.equal(r.stdout, 'hello from wasm\n');
    assert.equal(r.code, 7);
  });

  test('a trap prints its message and a backtrace with names and offsets, exit 134', () => {
    const r = wasmscope('run', '--invoke', 'outer', fixture('trap.wat'), '0');
    assert.equal(r.code, 134);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines[0], 'Error: wasm trap: integer divide by zero');
    assert.equal(lines[1], 'wasm backtrace:');
    assert.match(lines[2]!, /^ {2}0: 0x[0-9a-f]+ - divide \(function 0\)$/);
    assert.match(lines[3]!, /^ {2}1: 0x[0-9a-f]+ - middle \(function 1\)$/);
    assert.match(lines[4]!, /^ {2}2: 0x[0-9a-f]+ - outer \(function 2\)$/);
  });

  test('bad input gets a clear error, not a crash', () => {
    const missing = wasmscope('run', 'nope.wasm');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'nope.wasm: cannot read: no such file\n');
    const errors = wasmscope('run', fixture('errors.wat'));
    assert.equal(errors.code, 1);
    assert.match(errors.stderr, /errors\.wat:3:6: error: unknown instruction `i32\.ad` \(did you mean `i32\.add`\?\)/);
    const noStart = wasmscope('run', fixture('add.wat'));
    assert.equal(noStart.code, 1);
    assert.match(noStart.stderr, /no "_start" export; choose a function with --invoke NAME \(exported: add, pair, neg\)/);
    const badArg = wasmscope('run', '--invoke', 'add', fixture('add.wat'), 'x', '1');
    assert.equal(badArg.stderr, 'Error: cannot read "x" as i32\n');
    const unlinkable = wasmscope('run', '--invoke', 'spin', fixture('host-calls.wat'));
    assert.equal(unlinkable.code, 1);
    assert.match(unlinkable.stderr, /unknown import: env\.busy \(func\)/);
    const truncated = join(work, 'truncated.wasm');
    writeFileSync(truncated, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1]));
    const t = wasmscope('run', truncated);
    assert.equal(t.code, 1);
    assert.match(t.stderr, /truncated\.wasm: malformed module: .*offset 0x/);
    const usage = wasmscope('run', '--bogus', 'x.wasm');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown option --bogus/);
  });
});

describe('wasmscope check', () => {
  test('every error of a .wat file, FILE:LINE:COL, exit 1', () => {
    const r = wasmscope('check', fixture('errors.wat'));
    assert.equal(r.code, 1);
    const f = fixture('errors.wat');
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `${f}:3:6: error: unknown instruction \`i32.ad\` (did you mean \`i32.add\`?)`,
      `${f}:5:11: error: undefined function \`$missing\``,
    ]);
  });

  test('validation errors are mapped to text, and --json gives ranges', () => {
    const file = join(work, 'invalid.wat');
    writeFileSync(file, '(module\n  (func (result i32)\n    (i32.add (i32.const 1) (i64.const 2))))\n');
    const r = wasmscope('check', '--json', file);
    assert.equal(r.code, 1);
    const [d] = JSON.parse(r.stdout) as { line: number; column: number; message: string; severity: string }[];
    assert.deepEqual({ line: d!.line, column: d!.column, severity: d!.severity }, { line: 3, column: 6, severity: 'error' });
    assert.equal(d!.message, 'type mismatch in i32.add: expected [i32 i32], found [i32 i64]');
  });

  test('a binary: decode errors with their byte offset; a clean file exits 0', () => {
    const bad = join(work, 'bad.wasm');
    writeFileSync(bad, new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
    const r = wasmscope('check', bad);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, `${bad}: error: unknown binary version (at offset 0x4)\n`);
    const ok = wasmscope('check', fixture('add.wat'));
    assert.deepEqual(ok, { code: 0, stdout: '', stderr: '' });
  });
});

describe('wasmscope wat2wasm and wasm2wat', () => {
  test('round trip keeps behaviour and names', () => {
    const out = join(work, 'trap.wasm');
    assert.equal(wasmscope('wat2wasm', fixture('trap.wat'), '-o', out, '--debug-names').code, 0);
    const text = wasmscope('wasm2wat', out);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /\(func \$divide/);
    const again = join(work, 'again.wat');
    writeFileSync(again, text.stdout);
    assert.equal(wasmscope('run', '--invoke', 'outer', again, '4').stdout, '25\n');
  });
});

describe('wasmscope profile', () => {
  for (const mode of ['interp', 'native']) {
    test(`${mode} mode writes a valid .cpuprofile and prints the host-call summary`, () => {
      const out = join(work, `hello-${mode}.cpuprofile`);
      const r = wasmscope('profile', '--mode', mode, '--out', out, fixture('hello.wat'));
      assert.equal(r.code, 7, r.stderr);
      assert.match(r.stdout, /^hello from wasm\n/);
      assert.match(r.stdout, new RegExp(`profile \\(${mode} mode\\)`));
      assert.match(r.stdout, /wasi_snapshot_preview1\.fd_write +1 /);
      assert.match(r.stdout, /wasi_snapshot_preview1\.proc_exit +1 /);
      const profile = JSON.parse(readFileSync(out, 'utf8')) as CpuProfile;
      assert.deepEqual(checkCpuProfile(profile), []);
    });
  }

  test('speedscope format', () => {
    const out = join(work, 'busy.speedscope.json');
    assert.equal(wasmscope('profile', '--format', 'speedscope', '--out', out, '--invoke', 'work', fixture('busy.wat'), '20000000').code, 0);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { shared: { frames: { name: string }[] }; profiles: { type: string; samples: number[][] }[] };
    assert.equal(doc.profiles[0]!.type, 'sampled');
    // Only the program's own functions appear: the CLI's frames are folded away.
    assert.ok(doc.shared.frames.some((f) => f.name === 'work'), JSON.stringify(doc.shared.frames));
    assert.ok(doc.shared.frames.every((f) => ['work', 'step'].includes(f.name)), JSON.stringify(doc.shared.frames));
  });
});
