// The path-based sandbox mode that macOS and Windows get (no /proc/self/fd), forced on Linux so it
// is tested everywhere: the same fixtures, the same answers.

import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

// Must be set before the WASI modules load: the mode is fixed at module load.
process.env.WASMSCOPE_WASI_PORTABLE_PATHS = '1';
const { HAS_PROC_FD } = await import('../../../runtime/wasi/sandbox.js');
const { freshDir, runNodeWasi, runOurs } = await import('./harness.js');
const { sandboxLayout, WASMTIME_ERRNOS } = await import('./sandbox-layout.js');

describe('WASI in portable-path mode', () => {
  it('is really in that mode', () => assert.equal(HAS_PROC_FD, false));

  it('runs the files fixture like node:wasi', () => {
    const ours = freshDir('portable');
    const reference = freshDir('portable-ref');
    try {
      const a = runOurs('files', { args: ['files'], preopens: [{ host: ours.path, guest: '/sandbox' }] });
      const b = runNodeWasi('files', { args: ['files'], preopens: [{ host: reference.path, guest: '/sandbox' }] });
      assert.deepEqual(a, b);
    } finally {
      ours.cleanup();
      reference.cleanup();
    }
  });

  it('denies every sandbox escape with wasmtime\'s errno', () => {
    const { root, sandbox, outside } = sandboxLayout();
    try {
      const result = runOurs('sandbox', { args: ['sandbox', '--errno'], preopens: [{ host: sandbox, guest: '/sandbox' }] });
      assert.equal(result.stdout, WASMTIME_ERRNOS);
      assert.deepEqual(readdirSync(outside), ['secret.txt']);
    } finally {
      root.cleanup();
    }
  });
});
