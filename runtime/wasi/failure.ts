// How a WASI call fails. Host functions throw WasiErrnoError (or let node:fs throw); the
// dispatcher in index.ts turns whatever was thrown into one preview1 errno, so no JS exception
// ever reaches the guest's engine except WasiExit (which is how proc_exit unwinds).

import { Errno, HOST_ERRNO } from './constants.js';
import { GuestFault } from './memory.js';

export class WasiErrnoError extends Error {
  constructor(readonly errno: number, detail?: string) {
    super(detail ?? `WASI errno ${errno}`);
    this.name = 'WasiErrnoError';
  }
}

/** Shorthand for `throw new WasiErrnoError(errno)` in expression position. */
export function fail(errno: number, detail?: string): never {
  throw new WasiErrnoError(errno, detail);
}

/** Maps anything a host call may throw to a preview1 errno. */
export function errnoOf(error: unknown): number {
  if (error instanceof WasiErrnoError) return error.errno;
  if (error instanceof GuestFault) return Errno.FAULT;
  if (error instanceof RangeError) return Errno.FAULT; // a view past the end of a detached/grown buffer
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code in HOST_ERRNO) return HOST_ERRNO[code]!;
  return Errno.IO;
}
