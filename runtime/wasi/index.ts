// WASI preview1 (wasi_snapshot_preview1) as a plain import-object factory, usable by any engine:
// Node's own WebAssembly and runtime/engine both call host functions with i32 as number and i64
// as bigint, which is all these functions assume.
//
//   export interface WasiOptions {
//     args: string[]; env: Record<string, string>;
//     preopens: { host: string; guest: string }[];       // --dir HOST[::GUEST]; fds 3, 4, ... in order
//     stdin?: number | Uint8Array | { read(max: number): Uint8Array };  // host fd, bytes, or a reader
//     stdout?: (bytes: Uint8Array) => void; stderr?: (bytes: Uint8Array) => void; // default: fds 1/2, sync
//     returnOnExit?: boolean;                             // start(): return the code (default) or process.exit
//     onCall?: (name: string, args: readonly unknown[], result: number) => void;  // tracing, after each call
//   }
//   export class WasiExit extends Error { code: number }  // thrown by proc_exit
//   export function createWasi(options: WasiOptions): Wasi;
//   interface Wasi {
//     imports: { wasi_snapshot_preview1: Record<string, (...args: never[]) => number | void> };
//     bindMemory(memory: () => ArrayBuffer): void;      // after instantiation; re-read on every call
//     start(entry: { _start(): unknown; memory?: { buffer: ArrayBuffer } }): number; // runs _start → exit code
//     close(): void;                                     // closes every host fd the guest still holds
//   }
//   export const WASI_FUNCTIONS: readonly string[];          // the 46 preview1 function names
//   export const WASI_MODULE = 'wasi_snapshot_preview1';
//   export function describeUnknownWasiImport(name: string): string;   // message naming it (+ "did you mean")
//   export function checkWasiImports(imports: Iterable<{ module: string; name: string; offset?: number }>): void;
//                                                            // throws LinkError (runtime/wasm/errors.ts)
//   export class UnboundMemoryError extends Error {}         // a call before bindMemory()
//   export function errnoName(errno: number): string;        // 44 → "ENOENT", for traces
//   export { Errno, Rights }                                 // preview1 numbering (constants.ts)
//
// Every function returns a preview1 errno and never lets a JS exception escape, except WasiExit
// (proc_exit) and a missing bindMemory() (an embedder bug, reported as such). Guest pointers out of
// bounds give EFAULT. Paths are confined to the preopens by runtime/wasi/sandbox.ts (its header
// explains why that is safe): escapes are EPERM, as wasmtime answers. Rights are tracked per
// descriptor and enforced as descriptors.ts describes (EBADF for the wrong kind or access mode,
// ENOTCAPABLE for a right the guest dropped). Errno choices follow wasmtime's preview1 test
// programs where they pin one down; test/runtime/wasi/wasmtime-cases.test.ts checks them.

import { constants, openSync, readSync, realpathSync, writeSync } from 'node:fs';
import { LinkError } from '../wasm/errors.js';
import { nearestName } from '../wasm/suggest.js';
import { DIRECTORY_RIGHTS, Errno, FILE_RIGHTS, Filetype, Rights, STDIO_RIGHTS } from './constants.js';
import { DescriptorTable, type StreamDescriptor } from './descriptors.js';
import { WasiExit } from './exit.js';
import { errnoOf } from './failure.js';
import { fdCalls, type HostFunction } from './fd-calls.js';
import { GuestMemory } from './memory.js';
import { pathCalls } from './path-calls.js';
import { pollCalls, sleepNanoseconds } from './poll.js';
import { processCalls } from './process-calls.js';
import { OPEN_DIRECTORY } from './sandbox.js';

export { WasiExit } from './exit.js';
export { Errno, Rights } from './constants.js';
export type { HostFunction } from './fd-calls.js';

export interface WasiOptions {
  args: string[];
  env: Record<string, string>;
  preopens: { host: string; guest: string }[];
  stdin?: number | Uint8Array | { read(max: number): Uint8Array };
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  returnOnExit?: boolean;
  onCall?: (name: string, args: readonly unknown[], result: number) => void;
}

export interface Wasi {
  imports: { wasi_snapshot_preview1: Record<string, HostFunction> };
  bindMemory(memory: () => ArrayBuffer): void;
  start(entry: { _start(): unknown; memory?: { buffer: ArrayBuffer } }): number;
  close(): void;
}

/** Every function of wasi_snapshot_preview1, as named in the witx. */
export const WASI_FUNCTIONS: readonly string[] = Object.freeze([
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
]);

export const WASI_MODULE = 'wasi_snapshot_preview1';

/** Raised when a host function runs before bindMemory(): the embedder's mistake, not the guest's. */
export class UnboundMemoryError extends Error {
  constructor() {
    super('WASI: bindMemory() must be called after instantiation, before the guest runs');
    this.name = 'UnboundMemoryError';
  }
}

/** The message for an import of a function wasi_snapshot_preview1 does not have. */
export function describeUnknownWasiImport(name: string): string {
  const best = nearestName(name, WASI_FUNCTIONS, 3);
  const hint = best !== undefined ? ` (did you mean "${best}"?)` : '';
  return `unknown WASI function "${WASI_MODULE}.${name}": preview1 has no such import${hint}`;
}

/** Throws a LinkError naming the first import of wasi_snapshot_preview1 we do not provide. */
export function checkWasiImports(imports: Iterable<{ module: string; name: string; offset?: number }>): void {
  for (const entry of imports) {
    if (entry.module === WASI_MODULE && !WASI_FUNCTIONS.includes(entry.name)) {
      const where = entry.offset !== undefined ? ` (import at offset 0x${entry.offset.toString(16)})` : '';
      throw new LinkError(describeUnknownWasiImport(entry.name) + where);
    }
  }
}

/** Writes everything to a host fd, waiting out EAGAIN when the fd is non-blocking (a pipe). */
function writeAllToFd(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EAGAIN') throw error;
      sleepNanoseconds(1_000_000n);
    }
  }
}

function readFromFd(fd: number, max: number): Uint8Array {
  const buffer = new Uint8Array(max);
  for (;;) {
    try {
      return buffer.subarray(0, readSync(fd, buffer, 0, max, null));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'EOF') return buffer.subarray(0, 0); // Windows reports end of a pipe this way
      if (code !== 'EAGAIN') throw error;
      sleepNanoseconds(1_000_000n);
    }
  }
}

function stdinStream(source: WasiOptions['stdin']): StreamDescriptor {
  const base = { kind: 'stream' as const, filetype: Filetype.CHARACTER_DEVICE, fdflags: 0,
    rightsBase: STDIO_RIGHTS & ~Rights.FD_WRITE, rightsInheriting: 0n };
  if (source === undefined || typeof source === 'number') {
    const fd = source ?? 0;
    return { ...base, hostFd: fd, read: (max) => readFromFd(fd, max) };
  }
  if (source instanceof Uint8Array) {
    let offset = 0;
    return {
      ...base,
      read(max) {
        const chunk = source.subarray(offset, offset + max);
        offset += chunk.length;
        return chunk;
      },
      available: () => source.length - offset,
    };
  }
  return { ...base, read: (max) => source.read(max).subarray(0, max) };
}

function outputStream(sink: ((bytes: Uint8Array) => void) | undefined, hostFd: number): StreamDescriptor {
  return {
    kind: 'stream', filetype: Filetype.CHARACTER_DEVICE, fdflags: 0,
    rightsBase: STDIO_RIGHTS & ~Rights.FD_READ, rightsInheriting: 0n,
    ...(sink ? { write: sink } : { hostFd, write: (bytes: Uint8Array) => writeAllToFd(hostFd, bytes) }),
  };
}

export function createWasi(options: WasiOptions): Wasi {
  let getBuffer: (() => ArrayBuffer) | undefined;
  const memory = new GuestMemory(() => {
    if (!getBuffer) throw new UnboundMemoryError();
    return getBuffer();
  });
  const fds = new DescriptorTable();
  fds.insert(stdinStream(options.stdin));
  fds.insert(outputStream(options.stdout, 1));
  fds.insert(outputStream(options.stderr, 2));
  for (const preopen of options.preopens) {
    let hostFd: number;
    let root: string;
    try {
      root = realpathSync(preopen.host);
      hostFd = openSync(root, constants.O_RDONLY | OPEN_DIRECTORY);
    } catch (error) {
      fds.closeAll();
      throw new Error(`WASI preopen "${preopen.host}" (as "${preopen.guest}"): ${(error as Error).message}`);
    }
    fds.insert({
      kind: 'directory', hostFd, hostPath: root, root, preopenName: preopen.guest, fdflags: 0,
      rightsBase: DIRECTORY_RIGHTS, rightsInheriting: DIRECTORY_RIGHTS | FILE_RIGHTS,
    });
  }

  const implementations: Record<string, HostFunction> = {
    ...processCalls(memory, fds, options.args, options.env),
    ...fdCalls(memory, fds),
    ...pathCalls(memory, fds),
    ...pollCalls(memory, fds),
  };
  const onCall = options.onCall;
  const guarded: Record<string, HostFunction> = {};
  for (const name of WASI_FUNCTIONS) {
    const implementation = implementations[name] as (...args: unknown[]) => number;
    guarded[name] = (...args: unknown[]): number => {
      let result: number;
      try {
        result = implementation(...args);
      } catch (error) {
        if (error instanceof WasiExit || error instanceof UnboundMemoryError) throw error;
        result = errnoOf(error);
      }
      onCall?.(name, args, result);
      return result;
    };
  }

  return {
    imports: { wasi_snapshot_preview1: guarded },
    bindMemory(source) {
      getBuffer = source;
    },
    start(entry) {
      if (!getBuffer) {
        const exported = entry.memory;
        if (!exported) throw new UnboundMemoryError();
        getBuffer = () => exported.buffer;
      }
      try {
        entry._start();
        return 0;
      } catch (error) {
        if (!(error instanceof WasiExit)) throw error;
        if (options.returnOnExit === false) process.exit(error.code);
        return error.code;
      }
    },
    close() {
      fds.closeAll();
    },
  };
}

/** Node's own errno numbers are not preview1's; exported for callers that report errors. */
export function errnoName(errno: number): string {
  const entry = Object.entries(Errno).find(([, value]) => value === errno);
  return entry ? `E${entry[0]}` : `errno ${errno}`;
}
