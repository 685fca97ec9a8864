// filestat: writing host stats in the preview1 layout, and the shared set_times logic used by both
// fd_filestat_set_times and path_filestat_set_times.

import type { BigIntStats } from 'node:fs';
import { Errno, Fstflags, Layout } from './constants.js';
import { fail } from './failure.js';
import type { GuestMemory } from './memory.js';
import { filetypeOf } from './sandbox.js';

export function writeFilestat(memory: GuestMemory, pointer: number, stat: BigIntStats): void {
  memory.zero(pointer, Layout.FILESTAT_SIZE);
  memory.setU64(pointer, stat.dev);
  memory.setU64(pointer + 8, stat.ino);
  memory.setU8(pointer + 16, filetypeOf(stat));
  memory.setU64(pointer + 24, stat.nlink);
  memory.setU64(pointer + 32, stat.size);
  memory.setU64(pointer + 40, stat.atimeNs);
  memory.setU64(pointer + 48, stat.mtimeNs);
  memory.setU64(pointer + 56, stat.ctimeNs);
}

/** A filestat for a stream with no host file behind it (in-process stdio callbacks). */
export function writeStreamFilestat(memory: GuestMemory, pointer: number, filetype: number): void {
  memory.zero(pointer, Layout.FILESTAT_SIZE);
  memory.setU8(pointer + 16, filetype);
  memory.setU64(pointer + 24, 1n);
}

/**
 * The (atime, mtime) pair, in seconds as node:fs wants them, that a preview1 set_times call asks
 * for. Times not being set keep their current value. node:fs takes float seconds, so precision
 * below about a microsecond is lost (the OS call underneath is utimensat).
 */
export function timesToSet(
  current: BigIntStats,
  atim: bigint,
  mtim: bigint,
  fstflags: number,
): { atime: number; mtime: number } {
  if ((fstflags & Fstflags.ATIM && fstflags & Fstflags.ATIM_NOW) || (fstflags & Fstflags.MTIM && fstflags & Fstflags.MTIM_NOW)) {
    fail(Errno.INVAL, 'both a time and "now" were given');
  }
  if (fstflags & ~0xf) fail(Errno.INVAL, 'unknown fstflags');
  const now = Date.now() / 1000;
  const seconds = (ns: bigint): number => Number(BigInt.asUintN(64, ns)) / 1e9;
  const pick = (given: number, useNow: number, value: bigint, old: bigint): number =>
    fstflags & useNow ? now : fstflags & given ? seconds(value) : seconds(old);
  return {
    atime: pick(Fstflags.ATIM, Fstflags.ATIM_NOW, atim, current.atimeNs),
    mtime: pick(Fstflags.MTIM, Fstflags.MTIM_NOW, mtim, current.mtimeNs),
  };
}
