// Host functions called directly, the way an engine calls them (i32 as number, i64 as bigint),
// with a real WebAssembly.Memory: struct layouts, EFAULT, rights, readdir cookies, poll_oneoff.

import assert from 'node:assert/strict';
import { closeSync, constants, mkdirSync, openSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { Errno, Rights, FILE_RIGHTS, DIRECTORY_RIGHTS } from '../../../runtime/wasi/constants.js';
import type { DirectoryDescriptor } from '../../../runtime/wasi/descriptors.js';
import {
  checkWasiImports, createWasi, describeUnknownWasiImport, UnboundMemoryError, WASI_FUNCTIONS, WasiExit,
  type WasiOptions,
} from '../../../runtime/wasi/index.js';
import { errnoOf } from '../../../runtime/wasi/failure.js';
import { resolvePath, withParent } from '../../../runtime/wasi/sandbox.js';
import { LinkError } from '../../../runtime/wasm/errors.js';
import { freshDir, moduleImporting } from './harness.js';

type Call = (...args: (number | bigint)[]) => number;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function setup(extra: Partial<WasiOptions> = {}) {
  const dir = freshDir('host');
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 4 });
  const out: Uint8Array[] = [];
  const wasi = createWasi({
    args: ['prog', 'ärg'], env: { KEY: 'value' }, preopens: [{ host: dir.path, guest: '/work' }],
    stdout: (b) => out.push(b), ...extra,
  });
  wasi.bindMemory(() => memory.buffer);
  cleanups.push(() => { wasi.close(); dir.cleanup(); });
  const w = wasi.imports.wasi_snapshot_preview1 as unknown as Record<string, Call>;
  const view = () => new DataView(memory.buffer);
  const bytes = () => new Uint8Array(memory.buffer);
  /** Puts a string at `at`; returns [pointer, length]. */
  const str = (at: number, s: string): [number, number] => {
    const b = Buffer.from(s);
    bytes().set(b, at);
    return [at, b.length];
  };
  const open = (path: string, oflags = 0, rights = FILE_RIGHTS, fd = 3, lookup = 1): number => {
    const errno = w.path_open!(fd, lookup, ...str(1000, path), oflags, rights, rights, 0, 500);
    return errno === 0 ? view().getUint32(500, true) : -errno;
  };
  const write = (fd: number, s: string): number => {
    const [p, n] = str(2000, s);
    view().setUint32(600, p, true);
    view().setUint32(604, n, true);
    return w.fd_write!(fd, 600, 1, 608);
  };
  const read = (fd: number, max: number): string | number => {
    view().setUint32(600, 3000, true);
    view().setUint32(604, max, true);
    const errno = w.fd_read!(fd, 600, 1, 608);
    return errno !== 0 ? errno : Buffer.from(bytes().subarray(3000, 3000 + view().getUint32(608, true))).toString();
  };
  return { dir: dir.path, memory, wasi, w, view, bytes, str, open, write, read, out };
}

describe('WASI host functions', () => {
  it('provides exactly the preview1 function list', () => {
    const { wasi } = setup();
    assert.equal(WASI_FUNCTIONS.length, 46);
    assert.deepEqual(Object.keys(wasi.imports.wasi_snapshot_preview1).sort(), [...WASI_FUNCTIONS].sort());
  });

  it('lays out args and environ as NUL-terminated strings with a pointer table', () => {
    const { w, view, bytes } = setup();
    assert.equal(w.args_sizes_get!(0, 4), 0);
    assert.deepEqual([view().getUint32(0, true), view().getUint32(4, true)], [2, 5 + 5]);
    assert.equal(w.args_get!(100, 200), 0);
    assert.equal(view().getUint32(100, true), 200);
    assert.equal(view().getUint32(104, true), 205);
    assert.equal(Buffer.from(bytes().subarray(200, 210)).toString(), 'prog\0ärg\0');
    assert.equal(w.environ_sizes_get!(0, 4), 0);
    assert.deepEqual([view().getUint32(0, true), view().getUint32(4, true)], [1, 10]);
  });

  it('describes the preopen with fd_prestat_get/dir_name', () => {
    const { w, view, bytes } = setup();
    assert.equal(w.fd_prestat_get!(3, 0), 0);
    assert.deepEqual([view().getUint8(0), view().getUint32(4, true)], [0, 5]);
    assert.equal(w.fd_prestat_dir_name!(3, 16, 5), 0);
    assert.equal(Buffer.from(bytes().subarray(16, 21)).toString(), '/work');
    assert.equal(w.fd_prestat_dir_name!(3, 16, 4), Errno.NAMETOOLONG);
    assert.equal(w.fd_prestat_get!(1, 0), Errno.BADF);
    assert.equal(w.fd_prestat_get!(4, 0), Errno.BADF);
  });

  it('returns EFAULT for out-of-bounds pointers and never throws', () => {
    const { w, str, view } = setup();
    const end = 65536;
    assert.equal(w.args_get!(end - 2, 0), Errno.FAULT);
    assert.equal(w.args_sizes_get!(-1, 0), Errno.FAULT);
    assert.equal(w.clock_time_get!(1, 0n, end - 4), Errno.FAULT);
    assert.equal(w.random_get!(end - 10, 100), Errno.FAULT);
    assert.equal(w.fd_prestat_dir_name!(3, end - 1, 5), Errno.FAULT);
    view().setUint32(0, end - 2, true); // iovec pointing past the end
    view().setUint32(4, 10, true);
    assert.equal(w.fd_write!(1, 0, 1, 8), Errno.FAULT);
    assert.equal(w.fd_write!(1, end - 4, 1, 8), Errno.FAULT); // the iovec array itself
    assert.equal(w.path_open!(3, 0, end - 2, 10, 0, 0n, 0n, 0, 8), Errno.FAULT);
    assert.equal(w.path_open!(3, 0, ...str(100, 'x'), 1, FILE_RIGHTS, 0n, 0, end), Errno.FAULT);
    assert.equal(w.fd_readdir!(3, end - 8, 100, 0n, 0), Errno.FAULT);
    assert.equal(w.poll_oneoff!(end - 40, 0, 1, 8), Errno.FAULT);
  });

  it('re-reads memory after memory.grow', () => {
    const { w, memory, view } = setup();
    memory.grow(1);
    assert.equal(w.clock_time_get!(1, 0n, 65536 + 8), 0);
    assert.ok(view().getBigUint64(65536 + 8, true) > 0n);
  });

  it('reads, writes, seeks and tells through a file descriptor', () => {
    const { w, open, write, read, view } = setup();
    const fd = open('f.txt', 1 /* creat */);
    assert.ok(fd > 3);
    assert.equal(write(fd, 'hello world'), 0);
    assert.equal(view().getUint32(608, true), 11);
    assert.equal(w.fd_seek!(fd, -5n, 2 /* end */, 700), 0);
    assert.equal(view().getBigUint64(700, true), 6n);
    assert.equal(read(fd, 100), 'world');
    assert.equal(w.fd_tell!(fd, 700), 0);
    assert.equal(view().getBigUint64(700, true), 11n);
    assert.equal(w.fd_seek!(fd, -100n, 1, 700), Errno.INVAL);
    assert.equal(w.fd_seek!(fd, 0n, 9, 700), Errno.INVAL);
    assert.equal(w.fd_filestat_get!(fd, 800), 0);
    assert.equal(view().getUint8(800 + 16), 4); // regular_file
    assert.equal(view().getBigUint64(800 + 32, true), 11n);
    assert.equal(w.fd_close!(fd), 0);
    assert.equal(w.fd_close!(fd), Errno.BADF);
    assert.equal(read(fd, 1), Errno.BADF);
  });

  it('tracks and enforces rights (EBADF for read/write as wasmtime, else ENOTCAPABLE), rights only shrink', () => {
    const { w, open, write, read, view, dir } = setup();
    writeFileSync(join(dir, 'r.txt'), 'data');
    const fd = open('r.txt', 0, Rights.FD_READ | Rights.FD_SEEK);
    assert.equal(write(fd, 'x'), Errno.BADF);
    assert.equal(w.fd_fdstat_get!(fd, 800), 0);
    const rights = view().getBigUint64(808, true);
    assert.equal(rights & Rights.FD_WRITE, 0n);
    assert.equal(rights & (Rights.FD_READ | Rights.FD_SEEK | Rights.FD_FILESTAT_GET), Rights.FD_READ | Rights.FD_SEEK | Rights.FD_FILESTAT_GET);
    assert.equal(w.fd_filestat_get!(fd, 800), 0);
    assert.equal(w.fd_fdstat_set_rights!(fd, Rights.FD_READ | Rights.FD_WRITE, 0n), Errno.NOTCAPABLE);
    assert.equal(w.fd_fdstat_set_rights!(fd, Rights.FD_SEEK, 0n), 0);
    assert.equal(read(fd, 4), Errno.BADF);
    assert.equal(w.fd_filestat_get!(fd, 800), Errno.NOTCAPABLE);
    assert.equal(w.fd_seek!(fd, 0n, 0, 700), 0);
    // Write-only: no FD_READ/FD_READDIR (wasmtime PR #8824), reading is EBADF.
    const wo = open('r.txt', 0, Rights.FD_WRITE);
    assert.equal(w.fd_fdstat_get!(wo, 800), 0);
    assert.equal(view().getBigUint64(808, true) & (Rights.FD_READ | Rights.FD_READDIR), 0n);
    assert.equal(read(wo, 4), Errno.BADF);
    assert.equal(write(wo, 'DA'), 0);
    // A directory whose rights were dropped cannot create, and hands down only what it kept.
    const sub = open('.', 2, 0n);
    assert.ok(open('made-by-sub', 1, FILE_RIGHTS, sub) > 0);
    assert.equal(w.fd_fdstat_set_rights!(sub, Rights.PATH_OPEN, Rights.FD_READ), 0);
    assert.equal(open('new.txt', 1, FILE_RIGHTS, sub), -Errno.NOTCAPABLE);
    const limited = open('r.txt', 0, FILE_RIGHTS, sub);
    assert.equal(w.fd_fdstat_get!(limited, 800), 0);
    assert.equal(view().getBigUint64(808, true), Rights.FD_READ);
    assert.equal(w.fd_readdir!(sub, 4000, 100, 0n, 700), Errno.NOTCAPABLE);
    // Preopen rights as granted.
    assert.equal(w.fd_fdstat_get!(3, 800), 0);
    assert.equal(view().getUint8(800), 3);
    assert.equal(view().getBigUint64(808, true), DIRECTORY_RIGHTS);
  });

  it('writes stdout through the callback and reads stdin from bytes and readers', () => {
    const { write, out } = setup();
    assert.equal(write(1, 'to stdout'), 0);
    assert.equal(Buffer.concat(out).toString(), 'to stdout');
    const fromBytes = setup({ stdin: Buffer.from('abcdef') });
    assert.equal(fromBytes.read(0, 4), 'abcd');
    assert.equal(fromBytes.read(0, 4), 'ef');
    assert.equal(fromBytes.read(0, 4), '');
    const chunks = ['12', '345'];
    const fromReader = setup({ stdin: { read: () => Buffer.from(chunks.shift() ?? '') } });
    assert.equal(fromReader.read(0, 10), '12');
    assert.equal(fromReader.read(0, 10), '345');
    assert.equal(fromReader.read(0, 10), '');
    assert.equal(fromReader.write(0, 'x'), Errno.BADF);
    assert.equal(fromReader.w.fd_seek!(1, 0n, 0, 700), Errno.SPIPE);
    assert.equal(fromReader.w.fd_tell!(0, 700), Errno.SPIPE);
    const file = freshDir('stdin-fd');
    cleanups.push(file.cleanup);
    writeFileSync(join(file.path, 'in'), 'from a host fd');
    const hostFd = openSync(join(file.path, 'in'), 'r');
    cleanups.push(() => closeSync(hostFd));
    const fromFd = setup({ stdin: hostFd });
    assert.equal(fromFd.read(0, 4), 'from');
    assert.equal(fromFd.read(0, 100), ' a host fd');
    assert.equal(fromFd.read(0, 100), '');
    assert.equal(fromFd.w.fd_filestat_get!(0, 800), 0);
    assert.equal(fromFd.view().getBigUint64(832, true), 14n);
  });

  it('fd_readdir: ".", "..", stable cookies, d_next, and truncated last entries', () => {
    const { w, open, view, bytes, dir } = setup();
    const names = ['alpha', 'beta-with-longer-name', 'gamma'];
    for (const n of names) assert.ok(open(n, 1) > 0);
    mkdirSync(join(dir, 'dir'));
    const dirFd = open('.', 2, DIRECTORY_RIGHTS);
    const seen: { name: string; type: number }[] = [];
    let cookie = 0n;
    // A 40-byte buffer holds one header (24) plus a short name; longer entries come back truncated.
    for (let guard = 0; guard < 50; guard++) {
      assert.equal(w.fd_readdir!(dirFd, 4000, 40, cookie, 700), 0);
      const used = view().getUint32(700, true);
      if (used === 0) break;
      let at = 4000;
      let progressed = false;
      while (at + 24 <= 4000 + used) {
        const next = view().getBigUint64(at, true);
        const namlen = view().getUint32(at + 16, true);
        if (at + 24 + namlen > 4000 + used) break; // truncated: ask again from this entry's cookie
        seen.push({ name: Buffer.from(bytes().subarray(at + 24, at + 24 + namlen)).toString(), type: view().getUint8(at + 20) });
        cookie = next;
        progressed = true;
        at += 24 + namlen;
      }
      if (!progressed) {
        // Entry larger than the buffer: the guest would grow its buffer; do the same.
        assert.equal(used, 40);
        assert.equal(w.fd_readdir!(dirFd, 4000, 200, cookie, 700), 0);
        const namlen = view().getUint32(4000 + 16, true);
        seen.push({ name: Buffer.from(bytes().subarray(4024, 4024 + namlen)).toString(), type: view().getUint8(4020) });
        cookie = view().getBigUint64(4000, true);
      }
    }
    assert.deepEqual(seen.map((e) => e.name).sort(), ['.', '..', 'alpha', 'beta-with-longer-name', 'dir', 'gamma']);
    assert.equal(seen.find((e) => e.name === 'dir')!.type, 3);
    assert.equal(seen.find((e) => e.name === 'alpha')!.type, 4);
    assert.equal(w.fd_readdir!(dirFd, 4000, 200, 1000n, 700), 0);
    assert.equal(view().getUint32(700, true), 0);
  });

  it('path operations: symlinks, readlink truncation, nofollow, rename, unlink, rmdir', () => {
    const { w, str, open, view, bytes } = setup();
    assert.equal(w.path_create_directory!(3, ...str(100, 'd')), 0);
    assert.equal(w.path_create_directory!(3, ...str(100, 'd')), Errno.EXIST);
    assert.ok(open('d/file', 1) > 0);
    assert.equal(w.path_symlink!(...str(100, 'd/file'), 3, ...str(200, 'ln')), 0);
    assert.equal(w.path_symlink!(...str(100, '/etc/passwd'), 3, ...str(200, 'abs')), Errno.PERM);
    assert.equal(w.path_readlink!(3, ...str(100, 'ln'), 300, 3, 400), 0);
    assert.equal(view().getUint32(400, true), 3);
    assert.equal(Buffer.from(bytes().subarray(300, 303)).toString(), 'd/f');
    assert.equal(open('ln', 0, FILE_RIGHTS, 3, 0), -Errno.LOOP);
    assert.ok(open('ln', 0, FILE_RIGHTS, 3, 1) > 0);
    assert.equal(w.path_filestat_get!(3, 0, ...str(100, 'ln'), 800), 0);
    assert.equal(view().getUint8(816), 7); // symbolic_link
    assert.equal(w.path_filestat_get!(3, 1, ...str(100, 'ln'), 800), 0);
    assert.equal(view().getUint8(816), 4);
    assert.equal(w.path_filestat_set_times!(3, 1, ...str(100, 'd/file'), 5_000_000_000n, 7_000_000_000n, 1 | 4), 0);
    assert.equal(w.path_filestat_get!(3, 0, ...str(100, 'd/file'), 800), 0);
    assert.equal(view().getBigUint64(848, true), 7_000_000_000n);
    assert.equal(w.path_filestat_set_times!(3, 1, ...str(100, 'd/file'), 0n, 0n, 1 | 2), Errno.INVAL);
    assert.equal(w.path_rename!(3, ...str(100, 'd/file'), 3, ...str(200, 'moved')), 0);
    assert.equal(w.path_remove_directory!(3, ...str(100, 'd')), 0);
    assert.equal(w.path_unlink_file!(3, ...str(100, 'moved')), 0);
    assert.equal(w.path_unlink_file!(3, ...str(100, 'moved')), Errno.NOENT);
    assert.equal(w.path_open!(3, 0, ...str(100, 'a\0b'), 0, 0n, 0n, 0, 8), Errno.INVAL);
    bytes().set([0xff, 0xfe], 100);
    assert.equal(w.path_open!(3, 0, 100, 2, 0, 0n, 0n, 0, 8), Errno.ILSEQ);
    assert.equal(w.path_open!(3, 0, ...str(100, ''), 0, 0n, 0n, 0, 8), Errno.NOENT);
  });

  it('resolves the paths of wasmtime\'s preview1_interesting_paths test the same way', () => {
    const { w, str, open } = setup();
    assert.equal(w.path_create_directory!(3, ...str(100, 'dir')), 0);
    assert.equal(w.path_create_directory!(3, ...str(100, 'dir/nested')), 0);
    assert.ok(open('dir/nested/file', 1) > 0);
    assert.equal(open('/dir/nested/file', 0, 0n), -Errno.PERM);
    assert.ok(open('dir/.//nested/../../dir/nested/../nested///./file', 0, 0n) > 0);
    assert.equal(open('dir/nested/file\0', 0, 0n), -Errno.INVAL);
    assert.equal(open('dir/nested/file/', 0, 0n), -Errno.NOTDIR);
    assert.equal(open('dir/nested/file///', 0, 0n), -Errno.NOTDIR);
    assert.ok(open('dir/nested/', 0, 0n) > 0);
    assert.ok(open('dir/nested///', 0, 0n) > 0);
    assert.equal(open('dir/nested/../../../x/dir/nested/file', 0, 0n), -Errno.PERM);
  });

  it('fd_renumber moves a descriptor onto an open one', () => {
    const { w, open, read, dir } = setup();
    writeFileSync(join(dir, 'a'), 'AAA');
    writeFileSync(join(dir, 'b'), 'BBB');
    const a = open('a');
    const b = open('b');
    assert.equal(w.fd_renumber!(a, b), 0);
    assert.equal(read(b, 3), 'AAA');
    assert.equal(read(a, 3), Errno.BADF);
    assert.equal(w.fd_renumber!(b, 99), Errno.BADF);
  });

  it('poll_oneoff sleeps for a relative clock without spinning', () => {
    const { w, view } = setup();
    view().setBigUint64(0, 42n, true); // userdata
    view().setUint8(8, 0); // clock
    view().setUint32(16, 1, true); // monotonic
    view().setBigUint64(24, 150_000_000n, true);
    view().setUint16(40, 0, true);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    assert.equal(w.poll_oneoff!(0, 100, 1, 200), 0);
    const elapsed = process.hrtime.bigint() - started;
    const spent = process.cpuUsage(cpu);
    assert.ok(elapsed >= 150_000_000n, `slept ${elapsed}ns`);
    // Spinning would burn most of the 150 ms even on a loaded machine; sleeping burns almost none.
    assert.ok(spent.user + spent.system < 50_000, `busy-waited: ${spent.user + spent.system}µs of CPU`);
    assert.equal(view().getUint32(200, true), 1);
    assert.equal(view().getBigUint64(100, true), 42n);
    assert.deepEqual([view().getUint16(108, true), view().getUint8(110)], [0, 0]);
  });

  it('poll_oneoff: absolute realtime deadline, fd readiness, bad fds and clocks', () => {
    const { w, view, open, write } = setup();
    const now = (): bigint => {
      w.clock_time_get!(0, 0n, 900);
      return view().getBigUint64(900, true);
    };
    view().setBigUint64(0, 1n, true);
    view().setUint8(8, 0);
    view().setUint32(16, 0, true); // realtime
    view().setBigUint64(24, now() + 30_000_000n, true);
    view().setUint16(40, 1, true); // abstime
    const started = process.hrtime.bigint();
    assert.equal(w.poll_oneoff!(0, 100, 1, 200), 0);
    assert.ok(process.hrtime.bigint() - started >= 25_000_000n);

    const fd = open('ready.txt', 1);
    write(fd, '12345');
    w.fd_seek!(fd, 1n, 0, 900);
    // fd_read on the file, fd_write on stdout, and a far-away clock: only the fd events fire.
    view().setBigUint64(0, 7n, true); view().setUint8(8, 1); view().setUint32(16, fd, true);
    view().setBigUint64(48, 8n, true); view().setUint8(56, 2); view().setUint32(64, 1, true);
    view().setBigUint64(96, 9n, true); view().setUint8(104, 0); view().setUint32(112, 1, true);
    view().setBigUint64(120, 10_000_000_000n, true); view().setUint16(136, 0, true);
    const before = process.hrtime.bigint();
    assert.equal(w.poll_oneoff!(0, 300, 3, 200), 0);
    assert.ok(process.hrtime.bigint() - before < 1_000_000_000n);
    assert.equal(view().getUint32(200, true), 2);
    assert.deepEqual([view().getBigUint64(300, true), view().getUint16(308, true), view().getUint8(310), view().getBigUint64(316, true)], [7n, 0, 1, 4n]);
    assert.deepEqual([view().getBigUint64(332, true), view().getUint16(340, true), view().getUint8(342)], [8n, 0, 2]);
    // A closed fd fails the whole call (wasmtime's preview1_poll_oneoff_files).
    view().setUint32(64, 77, true);
    assert.equal(w.poll_oneoff!(0, 300, 2, 200), Errno.BADF);
    // A dropped right is reported on the event instead.
    assert.equal(w.fd_fdstat_set_rights!(fd, Rights.FD_READ, 0n), 0);
    assert.equal(w.poll_oneoff!(0, 300, 1, 200), 0);
    assert.deepEqual([view().getUint32(200, true), view().getUint16(308, true)], [1, Errno.NOTCAPABLE]);

    view().setUint8(8, 0); view().setUint32(16, 99, true); // unknown clock
    assert.equal(w.poll_oneoff!(0, 300, 1, 200), 0);
    assert.equal(view().getUint16(308, true), Errno.INVAL);
    assert.equal(w.poll_oneoff!(0, 300, 0, 200), Errno.INVAL);
    view().setUint8(8, 9);
    assert.equal(w.poll_oneoff!(0, 300, 1, 200), Errno.INVAL);
  });

  it('clocks, random, process and socket calls', () => {
    const { w, view, bytes } = setup();
    assert.equal(w.clock_res_get!(1, 0), 0);
    assert.equal(view().getBigUint64(0, true), 1n);
    assert.equal(w.clock_res_get!(4, 0), Errno.INVAL);
    assert.equal(w.clock_time_get!(4, 0n, 0), Errno.INVAL);
    for (const id of [0, 1, 2, 3]) assert.equal(w.clock_time_get!(id, 0n, 0), 0);
    assert.equal(w.random_get!(0, 256), 0);
    assert.ok(new Set(bytes().subarray(0, 256)).size > 50);
    assert.equal(w.proc_raise!(2), Errno.NOSYS);
    assert.equal(w.sched_yield!(), 0);
    assert.equal(w.sock_accept!(3, 0, 0), Errno.NOTSUP);
    assert.equal(w.sock_recv!(99, 0, 0, 0, 0, 0), Errno.BADF);
    assert.equal(w.sock_send!(1, 0, 0, 0, 0), Errno.NOTSUP);
    assert.equal(w.sock_shutdown!(1, 0), Errno.NOTSUP);
    assert.throws(() => w.proc_exit!(3), (e: unknown) => e instanceof WasiExit && e.code === 3);
  });

  it('reports calls to onCall and complains clearly when memory was never bound', () => {
    const calls: string[] = [];
    const { w } = setup({ onCall: (name, _args, result) => calls.push(`${name}=${result}`) });
    w.sched_yield!();
    w.fd_close!(42);
    assert.deepEqual(calls, ['sched_yield=0', `fd_close=${Errno.BADF}`]);
    const unbound = createWasi({ args: [], env: {}, preopens: [] });
    const call = unbound.imports.wasi_snapshot_preview1 as unknown as Record<string, Call>;
    assert.throws(() => call.args_sizes_get!(0, 4), UnboundMemoryError);
  });

  it('refuses a preopen that does not exist, naming it', () => {
    assert.throws(() => createWasi({ args: [], env: {}, preopens: [{ host: '/no/such/dir', guest: '/x' }] }), /no\/such\/dir/);
  });
});

describe('WASI sandbox internals', () => {
  function directoryAt(path: string): DirectoryDescriptor {
    const hostFd = openSync(path, constants.O_RDONLY | constants.O_DIRECTORY);
    cleanups.push(() => closeSync(hostFd));
    return {
      kind: 'directory', hostFd, hostPath: path, root: path, fdflags: 0,
      rightsBase: DIRECTORY_RIGHTS, rightsInheriting: DIRECTORY_RIGHTS,
    };
  }

  // Every step towards the parent is opened O_NOFOLLOW, so a swapped-in symlink fails to open.
  for (const [label, path, errnos] of [
    ['parent', 'a/file', [Errno.NOTDIR, Errno.LOOP]],
    ['grandparent', 'a/b/file', [Errno.NOTDIR, Errno.LOOP]],
  ] as const) {
    it(`refuses an operation whose ${label} directory was swapped for a symlink after the check`, () => {
      const root = freshDir('toctou');
      const outside = freshDir('toctou-out');
      cleanups.push(root.cleanup, outside.cleanup);
      mkdirSync(join(root.path, 'a', 'b'), { recursive: true });
      mkdirSync(join(outside.path, 'b'));
      const dir = directoryAt(root.path);
      const resolved = resolvePath(dir, path, false); // checked: "a" (and "a/b") are real directories
      renameSync(join(root.path, 'a'), join(root.path, 'a-old'));
      symlinkSync(outside.path, join(root.path, 'a')); // swapped in before use
      let ran = false;
      assert.throws(() => withParent(resolved, () => { ran = true; }), (e: unknown) => (errnos as readonly number[]).includes(errnoOf(e)));
      assert.equal(ran, false, 'the operation ran outside the sandbox');
      // Without the swap the same operation runs.
      const fresh = freshDir('toctou-ok');
      cleanups.push(fresh.cleanup);
      mkdirSync(join(fresh.path, 'a', 'b'), { recursive: true });
      assert.equal(withParent(resolvePath(directoryAt(fresh.path), path, false), (_p, name) => name), 'file');
    });
  }

  it('refuses to operate in a directory that is not inside the preopen root any more', () => {
    const root = freshDir('moved');
    cleanups.push(root.cleanup);
    mkdirSync(join(root.path, 'a'));
    // As if the directory had been moved out of its preopen by another process after it was opened.
    const moved = { ...directoryAt(root.path), root: join(root.path, 'elsewhere') };
    let ran = false;
    assert.throws(() => withParent(resolvePath(moved, 'a/file', false), () => { ran = true; }),
      (e: unknown) => errnoOf(e) === Errno.PERM);
    assert.throws(() => withParent(resolvePath(moved, 'file', false), () => { ran = true; }),
      (e: unknown) => errnoOf(e) === Errno.PERM);
    assert.equal(ran, false);
  });

  it('treats ".." above the directory descriptor as an escape even through symlinks', () => {
    const root = freshDir('dotdot');
    cleanups.push(root.cleanup);
    mkdirSync(join(root.path, 'x'));
    symlinkSync('../..', join(root.path, 'x', 'up2'));
    const dir = directoryAt(root.path);
    assert.deepEqual(resolvePath(dir, 'x/../x/./', false).parts, ['x']);
    assert.throws(() => resolvePath(dir, 'x/up2/anything', false), (e: unknown) => (e as { errno?: number }).errno === Errno.PERM);
    assert.throws(() => resolvePath(dir, '/etc', false), (e: unknown) => (e as { errno?: number }).errno === Errno.PERM);
  });
});

describe('unknown WASI imports', () => {
  it('names the unknown function and suggests the closest real one', () => {
    assert.match(describeUnknownWasiImport('fd_raed'), /unknown WASI function "wasi_snapshot_preview1\.fd_raed".*did you mean "fd_read"/);
    assert.doesNotMatch(describeUnknownWasiImport('completely_different_name'), /did you mean/);
  });

  it('checkWasiImports throws a LinkError for a module that imports one', () => {
    const module = new WebAssembly.Module(moduleImporting('path_opn'));
    assert.throws(() => checkWasiImports(WebAssembly.Module.imports(module)), (e: unknown) =>
      e instanceof LinkError && /path_opn/.test(e.message) && /path_open/.test(e.message));
    checkWasiImports(WebAssembly.Module.imports(new WebAssembly.Module(moduleImporting('fd_write'))));
  });
});
