// Runs the C fixtures on our WASI (over Node's WebAssembly, and over our own engine through
// runtime/program.ts) and on node:wasi, the reference, and compares stdout, stderr and exit code. Where node:wasi is weaker than wasmtime (the sandbox),
// wasmtime's behaviour is asserted instead, and node:wasi is only required to be no stricter.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LinkError } from '../../../runtime/wasm/errors.js';
import { linkErrorOnEngine, runOnEngine } from './engine-harness.js';
import {
  freshDir, moduleImporting, runNodeWasi, runOurs, runOursWithDefaultStdio, type RunResult, type RunSpec,
} from './harness.js';
import { sandboxLayout, WASMTIME_ERRNOS } from './sandbox-layout.js';

const ENV = { GREETING: 'hi there', EMPTY: '', UNICODE: 'héllo ✓', WITH_EQUALS: 'a=b=c' };

/**
 * Runs `fixture` on node:wasi, on our WASI over V8 and on our WASI over our engine, each in its own
 * fresh temp dir preopened as /sandbox, and requires the same stdout, stderr and exit code
 * (node:wasi's, after `asSpecified` corrects what node:wasi is known to get wrong).
 */
function compare(fixture: string, spec: Omit<RunSpec, 'preopens'>, asSpecified = (r: RunResult): RunResult => r): void {
  const dirs = [freshDir('ref'), freshDir('ours'), freshDir('engine')] as const;
  try {
    const at = (i: number): RunSpec => ({ ...spec, preopens: [{ host: dirs[i]!.path, guest: '/sandbox' }] });
    const reference = asSpecified(runNodeWasi(fixture, at(0)));
    assert.deepEqual(runOurs(fixture, at(1)), reference, 'our WASI on V8 differs from node:wasi');
    assert.deepEqual(runOnEngine(fixture, at(2)), reference, 'our WASI on our engine differs from node:wasi');
    assert.ok(!reference.stdout.includes('FAIL'), reference.stdout);
  } finally {
    dirs.forEach((d) => d.cleanup());
  }
}

describe('WASI fixtures: same stdout, stderr and exit code as node:wasi (on V8 and on our engine)', () => {
  it('args and environment', () => compare('args_env', { args: ['args_env', 'one', 'two words', ''], env: ENV }));
  it('files and directories', () => compare('files', { args: ['files'] }));
  // node:wasi now and then ends a relative sleep a fraction of a millisecond early (libuv's timers
  // count whole milliseconds); a sleep must last at least its duration, so ours must print 1.
  it('clocks and relative sleep', () => compare('clocks', { args: ['clocks'] }, (r) => ({
    ...r, stdout: r.stdout.replace('nanosleep 30ms slept enough: 0', 'nanosleep 30ms slept enough: 1'),
  })));
  it('random', () => compare('random', { args: ['random'] }));
  it('stdin', () => compare('stdin', { args: ['stdin'], stdin: Buffer.from('first line\nsecond ✓\nno newline') }));
  it('empty stdin', () => compare('stdin', { args: ['stdin'] }));
  for (const [mode, code] of [['exit', '0'], ['exit', '7'], ['exit', '255'], ['return', '3'], ['trap', '1']] as const) {
    it(`exit codes: ${mode} ${code}`, () => compare('exit', { args: ['exit', mode, code] }));
  }
  it('usage error exit code', () => compare('exit', { args: ['exit'] }));
});

describe('WASI fixtures with the default stdio (the process\'s own fds 0/1/2)', () => {
  it('stdin, stdout, stderr and the exit code match node:wasi', () => {
    const spec = { args: ['stdin'], stdin: Buffer.from('piped\nthrough fd 0\n') };
    assert.deepEqual(runOursWithDefaultStdio('stdin', spec), runNodeWasi('stdin', spec));
    const exit = { args: ['exit', 'exit', '9'] };
    assert.deepEqual(runOursWithDefaultStdio('exit', exit), runNodeWasi('exit', exit));
  });
});

describe('WASI fixtures: behaviour node:wasi gets wrong, asserted as wasmtime has it', () => {
  it('sleeps until an absolute monotonic deadline (node:wasi sleeps for the uptime instead)', () => {
    const result = runOurs('clocks', { args: ['clocks', '--absolute'] });
    assert.equal(result.exit, 0);
    assert.match(result.stdout, /absolute sleep reached deadline: 1\n/);
    assert.doesNotMatch(result.stdout, /: 0\n/);
  });
});

describe('WASI sandbox escapes', () => {
  for (const [engine, run] of [['V8', runOurs], ['our engine', runOnEngine]] as const) {
    it(`denies every escape with wasmtime's errno, and leaves the outside untouched (${engine})`, () => {
      const { root, sandbox, outside } = sandboxLayout();
      try {
        const result = run('sandbox', { args: ['sandbox', '--errno'], preopens: [{ host: sandbox, guest: '/sandbox' }] });
        assert.equal(result.exit, 0, result.stderr);
        assert.equal(result.stdout, WASMTIME_ERRNOS);
        assert.deepEqual(readdirSync(outside), ['secret.txt']);
        assert.equal(readFileSync(join(outside, 'secret.txt'), 'utf8'), 'TOP SECRET');
        assert.equal(readFileSync(join(sandbox, 'inside.txt'), 'utf8'), 'inside');
      } finally {
        root.cleanup();
      }
    });
  }

  it('denies everything node:wasi denies, and more (node:wasi follows symlinks out)', () => {
    const ours = sandboxLayout();
    const reference = sandboxLayout();
    try {
      const a = runOurs('sandbox', { args: ['sandbox'], preopens: [{ host: ours.sandbox, guest: '/sandbox' }] });
      const b = runNodeWasi('sandbox', { args: ['sandbox'], preopens: [{ host: reference.sandbox, guest: '/sandbox' }] });
      const oursLines = a.stdout.trimEnd().split('\n');
      const referenceLines = b.stdout.trimEnd().split('\n');
      assert.equal(oursLines.length, referenceLines.length);
      oursLines.forEach((line, i) => {
        if (referenceLines[i]!.endsWith('denied')) assert.equal(line, referenceLines[i]);
      });
      assert.deepEqual(oursLines.filter((l) => l.endsWith('ALLOWED')), ['symlink to parent, inside: ALLOWED']);
      assert.deepEqual([a.stderr, a.exit], [b.stderr, b.exit]);
    } finally {
      ours.root.cleanup();
      reference.root.cleanup();
    }
  });
});

describe('unknown WASI imports on our engine', () => {
  it('fail to link with a LinkError naming the function and its offset', () => {
    const error = linkErrorOnEngine(moduleImporting('fd_raed'));
    assert.ok(error instanceof LinkError, String(error));
    assert.match(error.message, /wasi_snapshot_preview1\.fd_raed/);
    assert.match(error.message, /did you mean "fd_read"/);
    assert.match(error.message, /offset 0x/);
  });
});
