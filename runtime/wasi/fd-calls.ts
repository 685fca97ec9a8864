// The fd_* functions of wasi_snapshot_preview1 (everything that acts on an open descriptor).

import {
  fdatasyncSync, fstatSync, fsyncSync, ftruncateSync, futimesSync, lstatSync, readSync, readdirSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ADVICE_MAX, Errno, Fdflags, Filetype, Layout, PREOPENTYPE_DIR, Rights, Whence } from './constants.js';
import type { DescriptorTable, DirEntry, DirectoryDescriptor, FileDescriptor } from './descriptors.js';
import { fail } from './failure.js';
import { timesToSet, writeFilestat, writeStreamFilestat } from './filestat.js';
import type { GuestMemory } from './memory.js';
import { anchorOf, filetypeOf } from './sandbox.js';

export type HostFunction = (...args: never[]) => number | void;

/** File offsets travel as u64 bigints; node:fs wants safe integers. */
function toOffset(value: bigint): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) fail(Errno.OVERFLOW, 'offset out of range');
  return Number(value);
}

function fileOnly(descriptor: { kind: string }): FileDescriptor {
  if (descriptor.kind === 'directory') fail(Errno.ISDIR);
  if (descriptor.kind !== 'file') fail(Errno.SPIPE);
  return descriptor as FileDescriptor;
}

function readInto(memory: GuestMemory, iovs: { ptr: number; len: number }[], hostFd: number, start: number): number {
  let total = 0;
  for (const iov of iovs) {
    if (iov.len === 0) continue;
    const n = readSync(hostFd, memory.bytes(iov.ptr, iov.len), 0, iov.len, start + total);
    total += n;
    if (n < iov.len) break; // end of file: later buffers stay untouched, as with readv
  }
  return total;
}

function writeFrom(memory: GuestMemory, iovs: { ptr: number; len: number }[], hostFd: number, start: number): number {
  let total = 0;
  for (const iov of iovs) {
    let done = 0;
    while (done < iov.len) {
      const n = writeSync(hostFd, memory.bytes(iov.ptr, iov.len), done, iov.len - done, start + total + done);
      if (n === 0) break; // no progress: report the short write rather than spin
      done += n;
    }
    total += done;
    if (done < iov.len) break;
  }
  return total;
}

/** Concatenates guest buffers into one host-owned copy (callbacks may keep it). */
function gather(memory: GuestMemory, iovs: { ptr: number; len: number }[]): Uint8Array {
  const size = iovs.reduce((sum, iov) => sum + iov.len, 0);
  const out = new Uint8Array(size);
  let at = 0;
  for (const iov of iovs) {
    out.set(memory.bytes(iov.ptr, iov.len), at);
    at += iov.len;
  }
  return out;
}

function listDirectory(dir: DirectoryDescriptor): DirEntry[] {
  const anchor = anchorOf(dir);
  const self = fstatSync(dir.hostFd, { bigint: true });
  // Not path.join: it would normalize "/proc/self/fd/N/.." to "/proc/self/fd".
  const parent = lstatSync(`${anchor}/..`, { bigint: true, throwIfNoEntry: false });
  const entries: DirEntry[] = [
    { name: '.', ino: self.ino, filetype: Filetype.DIRECTORY },
    { name: '..', ino: parent?.ino ?? 0n, filetype: Filetype.DIRECTORY },
  ];
  for (const name of readdirSync(anchor)) {
    const stat = lstatSync(join(anchor, name), { bigint: true, throwIfNoEntry: false });
    if (stat) entries.push({ name, ino: stat.ino, filetype: filetypeOf(stat) });
  }
  return entries;
}

export function fdCalls(memory: GuestMemory, fds: DescriptorTable): Record<string, HostFunction> {
  return {
    fd_advise(fd: number, _offset: bigint, _len: bigint, advice: number): number {
      fds.get(fd, Rights.FD_ADVISE);
      if (advice < 0 || advice > ADVICE_MAX) fail(Errno.INVAL, 'unknown advice');
      // Advice is a hint by definition (posix_fadvise); node:fs has no way to pass it on.
      return Errno.SUCCESS;
    },

    fd_allocate(fd: number, offset: bigint, len: bigint): number {
      const file = fileOnly(fds.get(fd, Rights.FD_ALLOCATE));
      const end = toOffset(BigInt.asUintN(64, offset) + BigInt.asUintN(64, len));
      // node:fs has no fallocate; extending with ftruncate gives the same observable size.
      if (end > fstatSync(file.hostFd).size) ftruncateSync(file.hostFd, end);
      return Errno.SUCCESS;
    },

    fd_close(fd: number): number {
      fds.close(fd);
      return Errno.SUCCESS;
    },

    fd_datasync(fd: number): number {
      const d = fds.get(fd, Rights.FD_DATASYNC);
      if (d.kind !== 'stream') fdatasyncSync(d.hostFd);
      return Errno.SUCCESS;
    },

    fd_sync(fd: number): number {
      const d = fds.get(fd, Rights.FD_SYNC);
      if (d.kind !== 'stream') fsyncSync(d.hostFd);
      return Errno.SUCCESS;
    },

    fd_fdstat_get(fd: number, pointer: number): number {
      const d = fds.get(fd);
      memory.zero(pointer, Layout.FDSTAT_SIZE);
      memory.setU8(pointer, d.kind === 'directory' ? Filetype.DIRECTORY : d.filetype);
      memory.setU16(pointer + 2, d.fdflags);
      memory.setU64(pointer + 8, d.rightsBase);
      memory.setU64(pointer + 16, d.rightsInheriting);
      return Errno.SUCCESS;
    },

    fd_fdstat_set_flags(fd: number, flags: number): number {
      const d = fds.get(fd, Rights.FD_FDSTAT_SET_FLAGS);
      if (flags & ~0x1f) fail(Errno.INVAL, 'unknown fdflags');
      // Only APPEND and NONBLOCK can change on an open descriptor (node:fs cannot switch the
      // synchronous-I/O modes, and wasmtime refuses them here with EINVAL too).
      if (flags & (Fdflags.DSYNC | Fdflags.RSYNC | Fdflags.SYNC)) fail(Errno.INVAL, 'sync flags are set at path_open only');
      d.fdflags = flags;
      return Errno.SUCCESS;
    },

    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): number {
      const d = fds.get(fd);
      const b = BigInt.asUintN(64, base);
      const i = BigInt.asUintN(64, inheriting);
      // Rights can only ever be dropped, never gained.
      if ((b & ~d.rightsBase) !== 0n || (i & ~d.rightsInheriting) !== 0n) fail(Errno.NOTCAPABLE);
      d.rightsBase = b;
      d.rightsInheriting = i;
      return Errno.SUCCESS;
    },

    fd_filestat_get(fd: number, pointer: number): number {
      const d = fds.get(fd, Rights.FD_FILESTAT_GET);
      memory.bytes(pointer, Layout.FILESTAT_SIZE);
      if (d.kind === 'stream' && d.hostFd === undefined) writeStreamFilestat(memory, pointer, d.filetype);
      else {
        const stat = fstatSync(d.kind === 'stream' ? d.hostFd! : d.hostFd, { bigint: true });
        writeFilestat(memory, pointer, stat);
        if (d.kind === 'stream') memory.setU8(pointer + 16, d.filetype);
      }
      return Errno.SUCCESS;
    },

    fd_filestat_set_size(fd: number, size: bigint): number {
      const file = fileOnly(fds.get(fd, Rights.FD_FILESTAT_SET_SIZE));
      ftruncateSync(file.hostFd, toOffset(BigInt.asUintN(64, size)));
      return Errno.SUCCESS;
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, fstflags: number): number {
      const d = fds.get(fd, Rights.FD_FILESTAT_SET_TIMES);
      if (d.kind === 'stream') fail(Errno.BADF);
      const { atime, mtime } = timesToSet(fstatSync(d.hostFd, { bigint: true }), atim, mtim, fstflags);
      futimesSync(d.hostFd, atime, mtime);
      return Errno.SUCCESS;
    },

    fd_pread(fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nreadPtr: number): number {
      const file = fileOnly(fds.get(fd, Rights.FD_READ | Rights.FD_SEEK));
      memory.bytes(nreadPtr, 4);
      const n = readInto(memory, memory.iovecs(iovsPtr, iovsLen), file.hostFd, toOffset(BigInt.asUintN(64, offset)));
      memory.setU32(nreadPtr, n);
      return Errno.SUCCESS;
    },

    fd_pwrite(fd: number, iovsPtr: number, iovsLen: number, offset: bigint, nwrittenPtr: number): number {
      const file = fileOnly(fds.get(fd, Rights.FD_WRITE | Rights.FD_SEEK));
      memory.bytes(nwrittenPtr, 4);
      const n = writeFrom(memory, memory.iovecs(iovsPtr, iovsLen), file.hostFd, toOffset(BigInt.asUintN(64, offset)));
      memory.setU32(nwrittenPtr, n);
      return Errno.SUCCESS;
    },

    fd_prestat_get(fd: number, pointer: number): number {
      const d = fds.get(fd);
      if (d.kind !== 'directory' || d.preopenName === undefined) fail(Errno.BADF, `fd ${fd} is not a preopen`);
      memory.zero(pointer, Layout.PRESTAT_SIZE);
      memory.setU8(pointer, PREOPENTYPE_DIR);
      memory.setU32(pointer + 4, Buffer.byteLength(d.preopenName));
      return Errno.SUCCESS;
    },

    fd_prestat_dir_name(fd: number, pointer: number, length: number): number {
      const d = fds.get(fd);
      if (d.kind !== 'directory' || d.preopenName === undefined) fail(Errno.BADF, `fd ${fd} is not a preopen`);
      const name = Buffer.from(d.preopenName);
      if ((length >>> 0) < name.length) fail(Errno.NAMETOOLONG);
      memory.bytes(pointer, name.length).set(name);
      return Errno.SUCCESS;
    },

    fd_read(fd: number, iovsPtr: number, iovsLen: number, nreadPtr: number): number {
      const d = fds.get(fd, Rights.FD_READ);
      memory.bytes(nreadPtr, 4);
      const iovs = memory.iovecs(iovsPtr, iovsLen);
      let n = 0;
      if (d.kind === 'stream') {
        if (!d.read) fail(Errno.BADF);
        const wanted = iovs.reduce((sum, iov) => sum + iov.len, 0);
        const data = wanted === 0 ? new Uint8Array(0) : d.read(wanted);
        for (const iov of iovs) {
          if (n >= data.length) break;
          const chunk = data.subarray(n, n + iov.len);
          memory.bytes(iov.ptr, chunk.length).set(chunk);
          n += chunk.length;
        }
      } else {
        const file = fileOnly(d);
        n = readInto(memory, iovs, file.hostFd, toOffset(file.position));
        file.position += BigInt(n);
      }
      memory.setU32(nreadPtr, n);
      return Errno.SUCCESS;
    },

    fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, bufusedPtr: number): number {
      const dir = fds.directory(fd, Rights.FD_READDIR);
      const capacity = bufLen >>> 0;
      const out = memory.bytes(buf, capacity);
      memory.bytes(bufusedPtr, 4);
      const start = BigInt.asUintN(64, cookie);
      if (start === 0n || !dir.listing) dir.listing = listDirectory(dir);
      const entries = dir.listing;
      let used = 0;
      // Entries that do not fit are written truncated and bufused == buf_len: that is how
      // wasi-libc's readdir knows to grow its buffer and ask again from the last full entry.
      for (let i = start; i < BigInt(entries.length) && used < capacity; i++) {
        const entry = entries[Number(i)]!;
        const name = Buffer.from(entry.name);
        const record = new Uint8Array(Layout.DIRENT_SIZE + name.length);
        const view = new DataView(record.buffer);
        view.setBigUint64(0, i + 1n, true);
        view.setBigUint64(8, entry.ino, true);
        view.setUint32(16, name.length, true);
        view.setUint8(20, entry.filetype);
        record.set(name, Layout.DIRENT_SIZE);
        const take = Math.min(record.length, capacity - used);
        out.set(record.subarray(0, take), used);
        used += take;
      }
      memory.setU32(bufusedPtr, used);
      return Errno.SUCCESS;
    },

    fd_renumber(from: number, to: number): number {
      fds.renumber(from, to);
      return Errno.SUCCESS;
    },

    fd_seek(fd: number, offset: bigint, whence: number, newOffsetPtr: number): number {
      const delta = BigInt.asIntN(64, offset);
      const tellOnly = delta === 0n && whence === Whence.CUR;
      if (fds.get(fd).kind === 'stream') fail(Errno.SPIPE); // as lseek on a pipe or terminal
      const d = fds.get(fd, tellOnly ? Rights.FD_TELL : Rights.FD_SEEK);
      const file = fileOnly(d);
      memory.bytes(newOffsetPtr, 8);
      let base: bigint;
      if (whence === Whence.SET) base = 0n;
      else if (whence === Whence.CUR) base = file.position;
      else if (whence === Whence.END) base = fstatSync(file.hostFd, { bigint: true }).size;
      else return fail(Errno.INVAL, 'unknown whence');
      const target = base + delta;
      if (target < 0n) fail(Errno.INVAL, 'seek before start of file');
      file.position = target;
      memory.setU64(newOffsetPtr, target);
      return Errno.SUCCESS;
    },

    fd_tell(fd: number, pointer: number): number {
      if (fds.get(fd).kind === 'stream') fail(Errno.SPIPE);
      const file = fileOnly(fds.get(fd, Rights.FD_TELL));
      memory.setU64(pointer, file.position);
      return Errno.SUCCESS;
    },

    fd_write(fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number): number {
      const d = fds.get(fd, Rights.FD_WRITE);
      memory.bytes(nwrittenPtr, 4);
      const iovs = memory.iovecs(iovsPtr, iovsLen);
      let n: number;
      if (d.kind === 'stream') {
        if (!d.write) fail(Errno.BADF);
        const bytes = gather(memory, iovs);
        if (bytes.length > 0) d.write(bytes);
        n = bytes.length;
      } else {
        const file = fileOnly(d);
        if (file.fdflags & Fdflags.APPEND) file.position = fstatSync(file.hostFd, { bigint: true }).size;
        n = writeFrom(memory, iovs, file.hostFd, toOffset(file.position));
        file.position += BigInt(n);
      }
      memory.setU32(nwrittenPtr, n);
      return Errno.SUCCESS;
    },
  };
}
