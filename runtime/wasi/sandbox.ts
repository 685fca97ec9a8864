// Capability sandbox: turning a guest path (relative to a directory descriptor) into a host
// operation that can only touch things inside that descriptor's preopen.
//
// Why this is safe:
//  1. Resolution is ours, never the OS's: the guest path is split into components and walked one
//     at a time with lstat. `..` pops a component and fails with EPERM when it would leave the
//     directory descriptor it started from (cap-std/wasmtime semantics: each directory fd is its own
//     sandbox root). Absolute paths are refused with EPERM. Every symlink met on the way is read
//     and its target spliced into the remaining components, so a link is only ever followed
//     through the same `..` accounting; an absolute target is EPERM; more than 40 links is ELOOP.
//  2. The walk is only a check; the operation is then anchored so that a directory swapped for a
//     symlink between check and use cannot redirect it. On Linux, "/proc/self/fd/N/<name>" is
//     resolved by the kernel relative to exactly the directory open as fd N, which gives openat()
//     semantics through node:fs's path-only API. So the parent of the final component is reached
//     by opening one component at a time, each with O_DIRECTORY|O_NOFOLLOW relative to the previous
//     open directory (a swapped-in symlink fails with ELOOP/ENOTDIR); the parent's real location
//     is then read back from /proc/self/fd and must lie inside the preopen's real path; and the
//     operation runs on "/proc/self/fd/<parent>/<name>". Final opens use O_NOFOLLOW too, and
//     path_open checks the opened file's real path once more.
//  3. Without /proc (macOS, Windows) the parent is checked with realpath just before the
//     operation; that leaves a small race window against *other host processes* (the guest itself
//     cannot race: it is single-threaded and can only act through these functions).

import { closeSync, existsSync, lstatSync, openSync, readlinkSync, realpathSync, constants } from 'node:fs';
import { join, sep } from 'node:path';
import { Errno, Filetype } from './constants.js';
import type { DirectoryDescriptor } from './descriptors.js';
import { fail } from './failure.js';

const SYMLINK_LIMIT = 40;
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_DIRECTORY = constants.O_DIRECTORY ?? 0;
/**
 * Whether /proc/self/fd gives us openat-like anchoring (Linux). WASMSCOPE_WASI_PORTABLE_PATHS=1
 * forces the path-based mode macOS and Windows get, so that mode is tested on Linux too.
 */
export const HAS_PROC_FD = process.platform === 'linux' && existsSync('/proc/self/fd') &&
  process.env.WASMSCOPE_WASI_PORTABLE_PATHS !== '1';

export interface ResolvedPath {
  dir: DirectoryDescriptor;
  /** Components below `dir`: no '', '.', '..', and no symlinks except possibly the last one. */
  parts: string[];
  /** The guest path ended in '/' (or a symlink target did), so it must name a directory. */
  mustBeDirectory: boolean;
}

/** The path under which `dir` is reachable for node:fs calls. */
export function anchorOf(dir: DirectoryDescriptor): string {
  return HAS_PROC_FD ? `/proc/self/fd/${dir.hostFd}` : dir.hostPath;
}

export function isInside(real: string, root: string): boolean {
  if (root === sep) return true;
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** Where an open host fd really is, for the post-open containment check. */
export function realPathOfFd(hostFd: number, fallbackPath: string): string {
  return HAS_PROC_FD ? readlinkSync(`/proc/self/fd/${hostFd}`) : realpathSync(fallbackPath);
}

/**
 * Walks `guestPath` below `dir` (see the header). `followFinal` is preview1's
 * lookupflags.symlink_follow for the last component; intermediate links are always followed.
 */
export function resolvePath(dir: DirectoryDescriptor, guestPath: string, followFinal: boolean): ResolvedPath {
  if (guestPath.length === 0) fail(Errno.NOENT, 'empty path');
  if (guestPath.includes('\0')) fail(Errno.INVAL, 'NUL byte in path'); // wasmtime on Unix
  if (guestPath.startsWith('/')) fail(Errno.PERM, `absolute path "${guestPath}" is outside the sandbox`);
  const anchor = anchorOf(dir);
  let mustBeDirectory = guestPath.endsWith('/');
  const queue = guestPath.split('/').filter((c) => c !== '' && c !== '.');
  const stack: string[] = [];
  let links = 0;
  while (queue.length > 0) {
    const component = queue.shift()!;
    if (component === '..') {
      if (stack.length === 0) fail(Errno.PERM, `"${guestPath}" leads outside the sandbox`);
      stack.pop();
      continue;
    }
    const isLast = queue.length === 0;
    const stat = lstatSync(join(anchor, ...stack, component), { throwIfNoEntry: false });
    if (!stat) {
      if (!isLast) fail(Errno.NOENT, `"${guestPath}": "${component}" does not exist`);
      stack.push(component);
      break;
    }
    if (stat.isSymbolicLink() && (!isLast || followFinal || mustBeDirectory)) {
      if (++links > SYMLINK_LIMIT) fail(Errno.LOOP, `"${guestPath}": too many symbolic links`);
      const target = readlinkSync(join(anchor, ...stack, component));
      if (target.startsWith('/')) fail(Errno.PERM, `"${guestPath}": symlink to absolute path "${target}"`);
      if (target.endsWith('/') && isLast) mustBeDirectory = true;
      queue.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
      continue;
    }
    if (!isLast && !stat.isDirectory()) fail(Errno.NOTDIR, `"${guestPath}": "${component}" is not a directory`);
    if (isLast && mustBeDirectory && !stat.isDirectory()) fail(Errno.NOTDIR, `"${guestPath}" is not a directory`);
    stack.push(component);
  }
  return { dir, parts: stack, mustBeDirectory };
}

/**
 * Runs `operation` on the resolved path's parent directory, anchored and verified (see header).
 * `name` is the final component (with a trailing '/' when the path had one), or '.' when the path
 * names `dir` itself.
 */
export function withParent<T>(resolved: ResolvedPath, operation: (parent: string, name: string) => T): T {
  const { dir, parts } = resolved;
  // A trailing slash goes on to the OS, whose errors for it (ENOENT, ENOTDIR, EEXIST) are the ones
  // wasmtime reports.
  const name = parts.length === 0 ? '.' : parts[parts.length - 1]! + (resolved.mustBeDirectory ? '/' : '');
  const parentParts = parts.slice(0, -1);
  if (!HAS_PROC_FD) {
    const real = realpathSync(join(dir.hostPath, ...parentParts));
    if (!isInside(real, dir.root)) fail(Errno.PERM, `"${parts.join('/')}" moved outside the sandbox`);
    return operation(real, name);
  }
  // Walk to the parent one component at a time, each opened O_NOFOLLOW relative to the directory
  // opened before it: a component swapped for a symlink since the check fails to open (ELOOP or
  // ENOTDIR) instead of being followed.
  let current = dir.hostFd;
  try {
    for (const part of parentParts) {
      const next = openSync(`/proc/self/fd/${current}/${part}`, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
      if (current !== dir.hostFd) closeSync(current);
      current = next;
    }
    // And where it ended up must still be inside the preopen (a directory moved out from under us
    // by another process is refused, not followed).
    if (!isInside(readlinkSync(`/proc/self/fd/${current}`), dir.root)) {
      fail(Errno.PERM, `"${parts.join('/')}" is outside the sandbox`);
    }
    return operation(`/proc/self/fd/${current}`, name);
  } finally {
    if (current !== dir.hostFd) closeSync(current);
  }
}

export const OPEN_NOFOLLOW = O_NOFOLLOW;
export const OPEN_DIRECTORY = O_DIRECTORY;

/** preview1 filetype of an fs.Stats/BigIntStats. */
export function filetypeOf(stat: {
  isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isCharacterDevice(): boolean;
  isBlockDevice(): boolean; isSocket(): boolean;
}): number {
  if (stat.isFile()) return Filetype.REGULAR_FILE;
  if (stat.isDirectory()) return Filetype.DIRECTORY;
  if (stat.isSymbolicLink()) return Filetype.SYMBOLIC_LINK;
  if (stat.isCharacterDevice()) return Filetype.CHARACTER_DEVICE;
  if (stat.isBlockDevice()) return Filetype.BLOCK_DEVICE;
  if (stat.isSocket()) return Filetype.SOCKET_STREAM;
  return Filetype.UNKNOWN;
}
