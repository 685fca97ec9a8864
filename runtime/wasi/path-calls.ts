// The path_* functions of wasi_snapshot_preview1. Every one resolves its path(s) through
// sandbox.ts (resolvePath, then withParent), so none can reach outside its preopen; see the
// header of sandbox.ts for why. Final operations use `${parent}/${name}` rather than path.join,
// which would normalize "/proc/self/fd/N/." into the magic link itself.

import {
  constants, fstatSync, linkSync, lstatSync, lutimesSync, mkdirSync, openSync, closeSync, readlinkSync,
  renameSync, rmdirSync, symlinkSync, unlinkSync,
} from 'node:fs';
import { DIRECTORY_RIGHTS, Errno, FILE_RIGHTS, Fdflags, Lookupflags, Oflags, Rights } from './constants.js';
import type { DescriptorTable } from './descriptors.js';
import { fail } from './failure.js';
import { timesToSet, writeFilestat } from './filestat.js';
import type { HostFunction } from './fd-calls.js';
import type { GuestMemory } from './memory.js';
import { filetypeOf, isInside, OPEN_DIRECTORY, OPEN_NOFOLLOW, realPathOfFd, resolvePath, withParent } from './sandbox.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;
const READ_RIGHTS = Rights.FD_READ | Rights.FD_READDIR;

export function pathCalls(memory: GuestMemory, fds: DescriptorTable): Record<string, HostFunction> {
  const pathAt = (pointer: number, length: number): string => {
    const bytes = memory.bytes(pointer, length >>> 0);
    try {
      return utf8.decode(bytes);
    } catch {
      return fail(Errno.ILSEQ, 'path is not valid UTF-8');
    }
  };
  const follows = (lookupflags: number): boolean => (lookupflags & Lookupflags.SYMLINK_FOLLOW) !== 0;

  return {
    path_create_directory(fd: number, pathPtr: number, pathLen: number): number {
      const dir = fds.directory(fd, Rights.PATH_CREATE_DIRECTORY);
      const resolved = resolvePath(dir, pathAt(pathPtr, pathLen), false);
      withParent(resolved, (parent, name) => mkdirSync(`${parent}/${name}`));
      return Errno.SUCCESS;
    },

    path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, statPtr: number): number {
      const dir = fds.directory(fd, Rights.PATH_FILESTAT_GET);
      const resolved = resolvePath(dir, pathAt(pathPtr, pathLen), follows(flags));
      memory.bytes(statPtr, 64);
      const stat = withParent(resolved, (parent, name) => lstatSync(`${parent}/${name}`, { bigint: true }));
      writeFilestat(memory, statPtr, stat);
      return Errno.SUCCESS;
    },

    path_filestat_set_times(
      fd: number, flags: number, pathPtr: number, pathLen: number, atim: bigint, mtim: bigint, fstflags: number,
    ): number {
      const dir = fds.directory(fd, Rights.PATH_FILESTAT_SET_TIMES);
      const resolved = resolvePath(dir, pathAt(pathPtr, pathLen), follows(flags));
      withParent(resolved, (parent, name) => {
        const target = `${parent}/${name}`;
        const { atime, mtime } = timesToSet(lstatSync(target, { bigint: true }), atim, mtim, fstflags);
        // lutimes even when following: resolution already replaced a followed link by its target,
        // so a symlink here can only be one swapped in since, and it must not be followed.
        lutimesSync(target, atime, mtime);
      });
      return Errno.SUCCESS;
    },

    path_link(
      oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number,
    ): number {
      const oldDir = fds.directory(oldFd, Rights.PATH_LINK_SOURCE);
      const newDir = fds.directory(newFd, Rights.PATH_LINK_TARGET);
      // wasmtime rejects following a symlink for path_link (preview1_path_link): EINVAL.
      if (follows(oldFlags)) fail(Errno.INVAL, 'path_link cannot follow symlinks');
      const from = resolvePath(oldDir, pathAt(oldPtr, oldLen), false);
      const to = resolvePath(newDir, pathAt(newPtr, newLen), false);
      withParent(from, (fromParent, fromName) =>
        withParent(to, (toParent, toName) => linkSync(`${fromParent}/${fromName}`, `${toParent}/${toName}`)),
      );
      return Errno.SUCCESS;
    },

    path_open(
      fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number,
      rightsBase: bigint, _rightsInheriting: bigint, fdflags: number, fdPtr: number,
    ): number {
      const needed = Rights.PATH_OPEN |
        (oflags & Oflags.CREAT ? Rights.PATH_CREATE_FILE : 0n) |
        (oflags & Oflags.TRUNC ? Rights.PATH_FILESTAT_SET_SIZE : 0n);
      const dir = fds.directory(fd, needed);
      if (oflags & ~0xf) fail(Errno.INVAL, 'unknown oflags');
      if (fdflags & ~0x1f) fail(Errno.INVAL, 'unknown fdflags');
      memory.bytes(fdPtr, 4);
      // O_CREAT|O_EXCL never follows a final symlink (POSIX), whatever the lookup flags say.
      const exclusive = (oflags & Oflags.CREAT) !== 0 && (oflags & Oflags.EXCL) !== 0;
      const resolved = resolvePath(dir, pathAt(pathPtr, pathLen), follows(dirflags) && !exclusive);
      // The access mode comes from the requested rights, as in wasmtime and wasi-libc's open().
      const requested = BigInt.asUintN(64, rightsBase);
      const asDirectory = (oflags & Oflags.DIRECTORY) !== 0 || resolved.mustBeDirectory;
      // A directory asked for writing is the OS's EISDIR, as in wasmtime (preview1_path_open_preopen).
      const write = (requested & WRITE_RIGHTS) !== 0n || (oflags & Oflags.TRUNC) !== 0;
      const read = (requested & READ_RIGHTS) !== 0n || !write;
      let flags = (read && write ? constants.O_RDWR : write ? constants.O_WRONLY : constants.O_RDONLY) | OPEN_NOFOLLOW;
      if (oflags & Oflags.CREAT) flags |= constants.O_CREAT;
      if (oflags & Oflags.EXCL) flags |= constants.O_EXCL;
      if (oflags & Oflags.TRUNC) flags |= constants.O_TRUNC;
      if (asDirectory) flags |= OPEN_DIRECTORY;
      if (fdflags & Fdflags.SYNC || fdflags & Fdflags.RSYNC) flags |= constants.O_SYNC ?? 0;
      if (fdflags & Fdflags.DSYNC) flags |= constants.O_DSYNC ?? 0;
      const opened = withParent(resolved, (parent, name) => {
        const path = `${parent}/${name}`;
        return { hostFd: openSync(path, flags, 0o666), path };
      });
      try {
        const stat = fstatSync(opened.hostFd);
        const real = realPathOfFd(opened.hostFd, opened.path);
        if (!isInside(real, dir.root)) fail(Errno.PERM, 'opened file is outside the sandbox');
        // Rights as wasmtime grants them: everything that fits the descriptor's kind, minus reading
        // or writing when it was not opened for that, and never more than the directory may hand
        // down. Other requested rights are not subtracted (wasmtime opens a directory requested
        // with rights 0 and still lets it be read); fd_fdstat_set_rights is how a guest drops them.
        const limit = dir.rightsInheriting;
        const newFd = stat.isDirectory()
          ? fds.insert({
              kind: 'directory', hostFd: opened.hostFd, hostPath: real, root: dir.root,
              rightsBase: DIRECTORY_RIGHTS & limit, rightsInheriting: limit, fdflags,
            })
          : fds.insert({
              kind: 'file', hostFd: opened.hostFd, filetype: filetypeOf(stat), position: 0n,
              rightsBase: FILE_RIGHTS & limit & ~(read ? 0n : Rights.FD_READ) & ~(write ? 0n : Rights.FD_WRITE),
              rightsInheriting: 0n, fdflags,
            });
        memory.setU32(fdPtr, newFd);
        return Errno.SUCCESS;
      } catch (error) {
        closeSync(opened.hostFd);
        throw error;
      }
    },

    path_readlink(
      fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, bufusedPtr: number,
    ): number {
      const dir = fds.directory(fd, Rights.PATH_READLINK);
      const resolved = resolvePath(dir, pathAt(pathPtr, pathLen), false);
      const out = memory.bytes(buf, bufLen >>> 0);
      memory.bytes(bufusedPtr, 4);
      const target = withParent(resolved, (parent, name) => readlinkSync(`${parent}/${name}`, { encoding: 'buffer' }));
      // Truncation, not an error, when the buffer is short: that is readlink(2)'s contract.
      const n = Math.min(target.length, out.length);
      out.set(target.subarray(0, n));
      memory.setU32(bufusedPtr, n);
      return Errno.SUCCESS;
    },

    path_remove_directory(fd: number, pathPtr: number, pathLen: number): number {
      const dir = fds.directory(fd, Rights.PATH_REMOVE_DIRECTORY);
      const resolved = resolvePath(dir, pathAt(pathPtr, pathLen), false);
      withParent(resolved, (parent, name) => rmdirSync(`${parent}/${name}`));
      return Errno.SUCCESS;
    },

    path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): number {
      const oldDir = fds.directory(fd, Rights.PATH_RENAME_SOURCE);
      const newDir = fds.directory(newFd, Rights.PATH_RENAME_TARGET);
      const from = resolvePath(oldDir, pathAt(oldPtr, oldLen), false);
      const to = resolvePath(newDir, pathAt(newPtr, newLen), false);
      withParent(from, (fromParent, fromName) =>
        withParent(to, (toParent, toName) => renameSync(`${fromParent}/${fromName}`, `${toParent}/${toName}`)),
      );
      return Errno.SUCCESS;
    },

    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): number {
      const dir = fds.directory(fd, Rights.PATH_SYMLINK);
      const target = pathAt(oldPtr, oldLen);
      // An absolute target could never be followed inside the sandbox; refuse it up front (cap-std).
      if (target.startsWith('/')) fail(Errno.PERM, `symlink to absolute path "${target}"`);
      const resolved = resolvePath(dir, pathAt(newPtr, newLen), false);
      withParent(resolved, (parent, name) => symlinkSync(target, `${parent}/${name}`));
      return Errno.SUCCESS;
    },

    path_unlink_file(fd: number, pathPtr: number, pathLen: number): number {
      const dir = fds.directory(fd, Rights.PATH_UNLINK_FILE);
      const resolved = resolvePath(dir, pathAt(pathPtr, pathLen), false);
      withParent(resolved, (parent, name) => unlinkSync(`${parent}/${name}`));
      return Errno.SUCCESS;
    },
  };
}
