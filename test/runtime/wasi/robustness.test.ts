// Every host function, called with arbitrary arguments over arbitrary memory, must answer with a
// preview1 errno: never a JS exception, never a hang. Deterministic (seeded), so failures repeat.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWasi, WASI_FUNCTIONS } from '../../../runtime/wasi/index.js';
import { freshDir } from './harness.js';

/** xorshift32: small, seeded, good enough to spray arguments. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

// poll_oneoff would honestly sleep for whatever random timeout it reads; proc_exit throws WasiExit
// by design. Both are covered by their own tests.
const SKIPPED = new Set(['poll_oneoff', 'proc_exit']);
// Which parameters are i64 (bigint), per the witx signatures.
const I64_PARAMS: Record<string, number[]> = {
  clock_time_get: [1], fd_advise: [1, 2], fd_allocate: [1, 2], fd_fdstat_set_rights: [1, 2],
  fd_filestat_set_size: [1], fd_filestat_set_times: [1, 2], fd_pread: [3], fd_pwrite: [3], fd_readdir: [3],
  fd_seek: [1], path_filestat_set_times: [4, 5], path_open: [5, 6],
};
const ARITY: Record<string, number> = {
  args_get: 2, args_sizes_get: 2, environ_get: 2, environ_sizes_get: 2, clock_res_get: 2, clock_time_get: 3,
  fd_advise: 4, fd_allocate: 3, fd_close: 1, fd_datasync: 1, fd_fdstat_get: 2, fd_fdstat_set_flags: 2,
  fd_fdstat_set_rights: 3, fd_filestat_get: 2, fd_filestat_set_size: 2, fd_filestat_set_times: 4, fd_pread: 5,
  fd_prestat_get: 2, fd_prestat_dir_name: 3, fd_pwrite: 5, fd_read: 4, fd_readdir: 5, fd_renumber: 2, fd_seek: 4,
  fd_sync: 1, fd_tell: 2, fd_write: 4, path_create_directory: 3, path_filestat_get: 5, path_filestat_set_times: 7,
  path_link: 7, path_open: 9, path_readlink: 6, path_remove_directory: 3, path_rename: 6, path_symlink: 5,
  path_unlink_file: 3, proc_raise: 1, sched_yield: 0, random_get: 2, sock_accept: 3, sock_recv: 6, sock_send: 5,
  sock_shutdown: 2,
};

describe('WASI robustness', () => {
  it('answers every call with an errno, whatever the arguments and memory contents', () => {
    const dir = freshDir('fuzz');
    const memory = new WebAssembly.Memory({ initial: 1 });
    const wasi = createWasi({
      args: ['fuzz'], env: { A: 'b' }, preopens: [{ host: dir.path, guest: '/fuzz' }],
      stdin: new Uint8Array(64), stdout: () => {}, stderr: () => {},
    });
    wasi.bindMemory(() => memory.buffer);
    const calls = wasi.imports.wasi_snapshot_preview1 as unknown as Record<string, (...a: (number | bigint)[]) => unknown>;
    const next = random(0x5eed);
    // Small values hit real fds, flags and short paths; large ones hit the bounds.
    const small = () => next() % 8;
    const pointer = () => [0, 8, 1000, 65530, 65536, -1, next() % 65536][next() % 7]!;
    const arg = () => (next() % 3 === 0 ? small() : pointer());
    const arg64 = () => [0n, 1n, 100n, -1n, BigInt(next()) << 20n][next() % 5]!;
    let calledTotal = 0;
    try {
      for (const name of WASI_FUNCTIONS) {
        if (SKIPPED.has(name)) continue;
        const wide = I64_PARAMS[name] ?? [];
        for (let i = 0; i < 150; i++) {
          // Fresh garbage, with a few short printable runs so some paths are plausible names.
          const bytes = new Uint8Array(memory.buffer);
          for (let j = 0; j < 2048; j++) bytes[(next() % 65536)] = next() % 4 === 0 ? 0x61 + (next() % 3) : next() & 0xff;
          const args = Array.from({ length: ARITY[name]! }, (_, k) => (wide.includes(k) ? arg64() : arg()));
          let result: unknown;
          assert.doesNotThrow(() => { result = calls[name]!(...args); }, `${name}(${args.join(', ')})`);
          assert.ok(typeof result === 'number' && Number.isInteger(result) && result >= 0 && result <= 76,
            `${name}(${args.join(', ')}) returned ${String(result)}`);
          calledTotal++;
        }
      }
    } finally {
      wasi.close();
      dir.cleanup();
    }
    assert.equal(calledTotal, (WASI_FUNCTIONS.length - SKIPPED.size) * 150);
    assert.deepEqual(Object.keys(ARITY).sort(), WASI_FUNCTIONS.filter((n) => !SKIPPED.has(n)).sort());
  });
});
