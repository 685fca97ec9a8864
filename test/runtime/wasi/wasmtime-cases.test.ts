// Edge cases where wasmtime's preview1 test programs (crates/test-programs/src/bin/preview1_*.rs)
// pin down the errno; these check that we answer the same on Linux.

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { Errno, Lookupflags, Oflags, Rights } from '../../../runtime/wasi/constants.js';
import { createWasi } from '../../../runtime/wasi/index.js';
import { freshDir } from './harness.js';

type Call = (...args: (number | bigint)[]) => number;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** A WASI instance with one preopen (fd 3) and small helpers that take JS strings. */
function scratch() {
  const dir = freshDir('wasmtime');
  const memory = new WebAssembly.Memory({ initial: 1 });
  const wasi = createWasi({ args: [], env: {}, preopens: [{ host: dir.path, guest: '.' }] });
  wasi.bindMemory(() => memory.buffer);
  cleanups.push(() => { wasi.close(); dir.cleanup(); });
  const w = wasi.imports.wasi_snapshot_preview1 as unknown as Record<string, Call>;
  let next = 1024;
  const str = (s: string): [number, number] => {
    const bytes = Buffer.from(s);
    const at = next;
    next += bytes.length + 8;
    if (next > 60000) next = 1024;
    new Uint8Array(memory.buffer).set(bytes, at);
    return [at, bytes.length];
  };
  const open = (path: string, oflags = 0, lookup = 0, fd = 3): number => {
    const errno = w.path_open!(fd, lookup, ...str(path), oflags, 0n, 0n, 0, 0);
    return errno === 0 ? new DataView(memory.buffer).getUint32(0, true) : -errno;
  };
  const create = (path: string) => assert.ok(w.fd_close!(open(path, Oflags.CREAT)) === 0);
  return {
    w, memory, open, create,
    mkdir: (p: string) => w.path_create_directory!(3, ...str(p)),
    rmdir: (p: string) => w.path_remove_directory!(3, ...str(p)),
    unlink: (p: string) => w.path_unlink_file!(3, ...str(p)),
    symlink: (target: string, p: string) => w.path_symlink!(...str(target), 3, ...str(p)),
    link: (from: string, to: string, flags = 0) => w.path_link!(3, flags, ...str(from), 3, ...str(to)),
    rename: (from: string, to: string) => w.path_rename!(3, ...str(from), 3, ...str(to)),
  };
}

describe('wasmtime preview1 edge cases', () => {
  it('path_link (preview1_path_link)', () => {
    const s = scratch();
    s.create('file');
    assert.equal(s.link('file', 'link'), 0);
    assert.equal(s.unlink('link'), 0);
    s.create('link');
    assert.equal(s.link('file', 'link'), Errno.EXIST);
    assert.equal(s.unlink('link'), 0);
    assert.equal(s.link('file', 'file'), Errno.EXIST);
    assert.equal(s.mkdir('link'), 0);
    assert.equal(s.link('file', 'link'), Errno.EXIST);
    assert.equal(s.rmdir('link'), 0);
    assert.equal(s.mkdir('subdir'), 0);
    assert.ok([Errno.PERM, Errno.ACCES].includes(s.link('subdir', 'link') as 63));
    assert.equal(s.link('file', 'link/'), Errno.NOENT);
    assert.equal(s.symlink('target', 'symlink'), 0);
    assert.equal(s.link('symlink', 'link'), 0); // a dangling symlink is linked, not followed
    assert.equal(s.unlink('link'), 0);
    assert.equal(s.link('file', 'symlink'), Errno.EXIST);
    assert.equal(s.link('symlink', 'link', Lookupflags.SYMLINK_FOLLOW), Errno.INVAL);
  });

  it('path_symlink with trailing slashes (preview1_path_symlink_trailing_slashes)', () => {
    const s = scratch();
    assert.equal(s.symlink('source', 'target/'), Errno.NOENT);
    assert.equal(s.symlink('source', 'target'), 0);
    assert.equal(s.unlink('target'), 0);
    assert.equal(s.mkdir('target'), 0);
    assert.equal(s.symlink('source', 'target/'), Errno.EXIST);
    assert.equal(s.symlink('source', 'target'), Errno.EXIST);
    assert.equal(s.rmdir('target'), 0);
    s.create('target');
    assert.equal(s.symlink('source', 'target/'), Errno.NOTDIR);
    assert.equal(s.symlink('source', 'target'), Errno.EXIST);
  });

  it('opening symlinks without following them (preview1_nofollow_errors)', () => {
    const s = scratch();
    assert.equal(s.mkdir('target'), 0);
    assert.equal(s.symlink('target', 'symlink'), 0);
    assert.ok([-Errno.LOOP, -Errno.NOTDIR].includes(s.open('symlink', Oflags.DIRECTORY)));
    assert.ok([-Errno.LOOP, -Errno.ACCES].includes(s.open('symlink')));
    assert.ok(s.open('symlink', Oflags.DIRECTORY, Lookupflags.SYMLINK_FOLLOW) > 3);
    assert.equal(s.unlink('symlink'), 0);
    assert.equal(s.rmdir('target'), 0);
    s.create('target');
    assert.equal(s.symlink('target', 'symlink'), 0);
    assert.ok([-Errno.LOOP, -Errno.NOTDIR].includes(s.open('symlink', Oflags.DIRECTORY)));
    assert.equal(s.open('symlink'), -Errno.LOOP);
    assert.equal(s.open('symlink', Oflags.DIRECTORY, Lookupflags.SYMLINK_FOLLOW), -Errno.NOTDIR);
  });

  it('fd_readdir (preview1_fd_readdir): "." and "..", inodes, cookies, rights-0 directories', () => {
    const s = scratch();
    const view = () => new DataView(s.memory.buffer);
    /** Entries of one fd_readdir call into a 256-byte buffer, and whether that was the end. */
    const readdir = (fd: number, cookie: bigint) => {
      assert.equal(s.w.fd_readdir!(fd, 2048, 256, cookie, 8), 0);
      const used = view().getUint32(8, true);
      const entries: { name: string; next: bigint; ino: bigint; type: number }[] = [];
      for (let at = 2048; at + 24 <= 2048 + used;) {
        const namlen = view().getUint32(at + 16, true);
        if (at + 24 + namlen > 2048 + used) break;
        entries.push({
          next: view().getBigUint64(at, true), ino: view().getBigUint64(at + 8, true), type: view().getUint8(at + 20),
          name: Buffer.from(new Uint8Array(s.memory.buffer, at + 24, namlen)).toString(),
        });
        at += 24 + namlen;
      }
      return { entries, eof: used < 256 };
    };
    const inode = (fd: number): bigint => {
      assert.equal(s.w.fd_filestat_get!(fd, 512), 0);
      return view().getBigUint64(520, true);
    };
    const empty = readdir(3, 0n);
    assert.ok(empty.eof);
    assert.deepEqual(empty.entries.map((e) => [e.name, e.type]).sort(), [['.', 3], ['..', 3]]);
    assert.equal(empty.entries.find((e) => e.name === '.')!.ino, inode(3));
    s.create('file');
    assert.equal(s.mkdir('nested'), 0);
    const nested = s.open('nested'); // rights 0, as the wasmtime test opens it
    assert.ok(nested > 3);
    const full = readdir(3, 0n);
    assert.equal(full.entries.length, 4);
    assert.equal(full.entries.find((e) => e.name === 'nested')!.ino, inode(nested));
    const rest = readdir(3, full.entries[2]!.next);
    assert.deepEqual(rest.entries.map((e) => e.name), [full.entries[3]!.name]);
    assert.equal(readdir(nested, 0n).entries.length, 2);
  });

  it('file operations on a directory are EBADF (preview1_dir_fd_op_failures)', () => {
    const s = scratch();
    const view = () => new DataView(s.memory.buffer);
    assert.equal(s.w.fd_filestat_get!(3, 512), 0);
    assert.equal(view().getUint8(528), 3);
    assert.equal(s.w.fd_prestat_dir_name!(3, 512, 0), Errno.NAMETOOLONG);
    assert.equal(s.w.fd_prestat_dir_name!(3, 512, 2), 0);
    view().setUint32(600, 700, true);
    view().setUint32(604, 128, true);
    const calls: [string, () => number][] = [
      ['fd_read', () => s.w.fd_read!(3, 600, 1, 8)],
      ['fd_pread', () => s.w.fd_pread!(3, 600, 1, 0n, 8)],
      ['fd_write', () => s.w.fd_write!(3, 600, 1, 8)],
      ['fd_pwrite', () => s.w.fd_pwrite!(3, 600, 1, 0n, 8)],
      ['fd_seek cur', () => s.w.fd_seek!(3, 0n, 1, 8)],
      ['fd_seek set', () => s.w.fd_seek!(3, 0n, 0, 8)],
      ['fd_seek end', () => s.w.fd_seek!(3, 0n, 2, 8)],
      ['fd_tell', () => s.w.fd_tell!(3, 8)],
      ['fd_advise', () => s.w.fd_advise!(3, 0n, 0n, 4)],
      ['fd_allocate', () => s.w.fd_allocate!(3, 0n, 0n)],
      ['fd_datasync', () => s.w.fd_datasync!(3)],
      ['fd_sync', () => s.w.fd_sync!(3)],
      ['fd_fdstat_set_flags', () => s.w.fd_fdstat_set_flags!(3, 4)],
      ['fd_filestat_set_size', () => s.w.fd_filestat_set_size!(3, 0n)],
    ];
    for (const [name, call] of calls) assert.equal(call(), Errno.BADF, name);
  });

  it('closing a preopen and renumbering (preview1_close_preopen, preview1_renumber)', () => {
    const s = scratch();
    const view = () => new DataView(s.memory.buffer);
    const sub = s.open('.', Oflags.DIRECTORY);
    assert.equal(s.w.fd_close!(3), 0);
    assert.equal(s.w.fd_fdstat_get!(3, 512), Errno.BADF);
    assert.equal(s.w.fd_fdstat_get!(sub, 512), 0);
    assert.equal(view().getUint8(512), 3);
    const fdstat = (fd: number): bigint[] => {
      assert.equal(s.w.fd_fdstat_get!(fd, 512), 0);
      return [BigInt(view().getUint8(512)), BigInt(view().getUint16(514, true)), view().getBigUint64(520, true), view().getBigUint64(528, true)];
    };
    const from = s.open('file1', Oflags.CREAT, 0, sub);
    const to = s.open('file2', Oflags.CREAT, 0, sub);
    const before = fdstat(from);
    assert.equal(s.w.fd_renumber!(from, to), 0);
    assert.equal(s.w.fd_close!(from), Errno.BADF);
    assert.deepEqual(fdstat(to), before);
  });

  it('unlink and rmdir with trailing slashes (preview1_unlink_file_trailing_slashes, preview1_remove_directory)', () => {
    const s = scratch();
    assert.equal(s.mkdir('dir'), 0);
    assert.equal(s.unlink('dir'), Errno.ISDIR);
    assert.equal(s.unlink('dir/'), Errno.ISDIR);
    assert.equal(s.rmdir('dir'), 0);
    s.create('file');
    assert.equal(s.unlink('file/'), Errno.NOTDIR);
    assert.equal(s.rmdir('file'), Errno.NOTDIR);
    assert.equal(s.rmdir('file/'), Errno.NOTDIR);
    assert.equal(s.unlink('file'), 0);
  });

  it('opening the preopen itself (preview1_path_open_preopen)', () => {
    const s = scratch();
    const view = () => new DataView(s.memory.buffer);
    assert.equal(s.w.fd_fdstat_get!(3, 512), 0);
    const [base, inheriting] = [view().getBigUint64(520, true), view().getBigUint64(528, true)];
    const R = Rights;
    const dirBase = R.PATH_CREATE_DIRECTORY | R.PATH_CREATE_FILE | R.PATH_LINK_SOURCE | R.PATH_LINK_TARGET |
      R.PATH_OPEN | R.FD_READDIR | R.PATH_READLINK | R.PATH_RENAME_SOURCE | R.PATH_RENAME_TARGET | R.PATH_SYMLINK |
      R.PATH_REMOVE_DIRECTORY | R.PATH_UNLINK_FILE | R.PATH_FILESTAT_GET | R.PATH_FILESTAT_SET_TIMES |
      R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_TIMES;
    const fileInheriting = R.FD_DATASYNC | R.FD_READ | R.FD_SEEK | R.FD_FDSTAT_SET_FLAGS | R.FD_SYNC | R.FD_TELL |
      R.FD_WRITE | R.FD_ADVISE | R.FD_ALLOCATE | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_SIZE |
      R.FD_FILESTAT_SET_TIMES | R.POLL_FD_READWRITE;
    assert.equal(base & dirBase, dirBase);
    assert.equal(inheriting & (dirBase | fileInheriting), dirBase | fileInheriting);
    const openDot = (oflags: number, rights: bigint, inherit = 0n): number =>
      s.w.path_open!(3, 0, 2000, 1, oflags, rights, inherit, 0, 0);
    new Uint8Array(s.memory.buffer).set([0x2e], 2000); // "."
    assert.equal(openDot(0, base, inheriting), 0);
    assert.equal(openDot(0, 0n), 0);
    assert.equal(openDot(Oflags.DIRECTORY, 0n), 0);
    assert.equal(openDot(Oflags.DIRECTORY, R.FD_READ), 0);
    assert.equal(openDot(Oflags.DIRECTORY, R.FD_READ | R.FD_WRITE), Errno.ISDIR);
  });

  it('append mode on and off, sync flags kept (preview1_fd_flags_set, preview1_path_filestat)', () => {
    const s = scratch();
    const view = () => new DataView(s.memory.buffer);
    const fill = (byte: number) => new Uint8Array(s.memory.buffer, 3000, 100).fill(byte);
    const io = (call: 'fd_write' | 'fd_read', fd: number): number => {
      view().setUint32(600, 3000, true);
      view().setUint32(604, 100, true);
      assert.equal(s.w[call]!(fd, 600, 1, 608), 0);
      return view().getUint32(608, true);
    };
    const seek = (fd: number, to: bigint) => assert.equal(s.w.fd_seek!(fd, to, 0, 616), 0);
    new Uint8Array(s.memory.buffer).set(Buffer.from('file'), 2000);
    const fd = (() => {
      const errno = s.w.path_open!(3, 0, 2000, 4, Oflags.CREAT, Rights.FD_READ | Rights.FD_WRITE, 0n, 1 | 16, 0);
      assert.equal(errno, 0);
      return view().getUint32(0, true);
    })();
    assert.equal(s.w.fd_fdstat_get!(fd, 512), 0);
    assert.equal(view().getUint16(514, true), 1 | 16); // APPEND | SYNC as opened
    fill(0); assert.equal(io('fd_write', fd), 100);
    seek(fd, 0n);
    fill(1); assert.equal(io('fd_write', fd), 100); // appended, not overwritten
    seek(fd, 100n);
    fill(9); assert.equal(io('fd_read', fd), 100);
    assert.ok(new Uint8Array(s.memory.buffer, 3000, 100).every((b) => b === 1));
    assert.equal(s.w.fd_fdstat_set_flags!(fd, 0), 0);
    seek(fd, 0n);
    fill(2); assert.equal(io('fd_write', fd), 100); // overwrites now
    assert.equal(s.w.path_filestat_get!(3, 0, 2000, 4, 512), 0);
    assert.equal(view().getBigUint64(544, true), 200n);
  });

  it('path_rename (preview1_path_rename)', () => {
    const s = scratch();
    assert.equal(s.mkdir('source'), 0);
    assert.equal(s.rename('source', 'target'), 0);
    assert.equal(s.open('source', Oflags.DIRECTORY), -Errno.NOENT);
    assert.ok(s.open('target', Oflags.DIRECTORY) > 3);
    assert.equal(s.mkdir('source'), 0);
    assert.equal(s.rename('source', 'target'), 0); // onto an empty directory
    assert.equal(s.mkdir('source'), 0);
    s.create('target/file');
    assert.equal(s.rename('source', 'target'), Errno.NOTEMPTY);
    assert.equal(s.rename('source', 'target/file'), Errno.NOTDIR);
    assert.equal(s.unlink('target/file'), 0);
    assert.equal(s.rmdir('source'), 0);
    s.create('source');
    assert.equal(s.rename('source', 'target'), Errno.ISDIR);
    assert.equal(s.rmdir('target'), 0);
    assert.equal(s.rename('source', 'target'), 0);
    s.create('source');
    assert.equal(s.rename('source', 'target'), 0); // onto an existing file
    assert.equal(s.open('source'), -Errno.NOENT);
  });
});
