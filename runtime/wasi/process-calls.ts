// args/environ, clocks, randomness, process control, scheduling and sockets of preview1.

import { randomFillSync } from 'node:crypto';
import { Clockid, Errno } from './constants.js';
import type { DescriptorTable } from './descriptors.js';
import { WasiExit } from './exit.js';
import { fail } from './failure.js';
import type { HostFunction } from './fd-calls.js';
import type { GuestMemory } from './memory.js';

// Realtime = wall clock at startup + monotonic progress: ns resolution without float rounding.
const realtimeOffset = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Current time of a preview1 clock in ns, or undefined for an unknown clock id. */
export function clockNow(id: number): bigint | undefined {
  switch (id) {
    case Clockid.REALTIME: return realtimeOffset + process.hrtime.bigint();
    case Clockid.MONOTONIC: return process.hrtime.bigint();
    // Node exposes CPU time per process only; the thread clock reports the same value, which is
    // exact for a single-threaded guest.
    case Clockid.PROCESS_CPUTIME_ID:
    case Clockid.THREAD_CPUTIME_ID: {
      const usage = process.cpuUsage();
      return BigInt(usage.user + usage.system) * 1000n;
    }
    default: return undefined;
  }
}

function clockResolution(id: number): bigint | undefined {
  switch (id) {
    case Clockid.REALTIME:
    case Clockid.MONOTONIC: return 1n; // process.hrtime is ns-granular
    case Clockid.PROCESS_CPUTIME_ID:
    case Clockid.THREAD_CPUTIME_ID: return 1000n; // process.cpuUsage is in µs
    default: return undefined;
  }
}

/** NUL-terminated strings laid out as preview1's *_get calls expect: pointer table + buffer. */
function writeStringList(memory: GuestMemory, list: Buffer[], pointers: number, buffer: number): void {
  memory.bytes(pointers, list.length * 4);
  memory.bytes(buffer, list.reduce((sum, b) => sum + b.length + 1, 0));
  let at = buffer >>> 0;
  list.forEach((bytes, i) => {
    memory.setU32(pointers + i * 4, at);
    memory.bytes(at, bytes.length).set(bytes);
    memory.setU8(at + bytes.length, 0);
    at += bytes.length + 1;
  });
}

export function processCalls(
  memory: GuestMemory,
  fds: DescriptorTable,
  args: string[],
  env: Record<string, string>,
): Record<string, HostFunction> {
  const argBytes = args.map((a) => Buffer.from(a));
  const envBytes = Object.entries(env).map(([k, v]) => Buffer.from(`${k}=${v}`));
  const sizes = (list: Buffer[], countPtr: number, sizePtr: number): number => {
    memory.bytes(countPtr, 4);
    memory.bytes(sizePtr, 4);
    memory.setU32(countPtr, list.length);
    memory.setU32(sizePtr, list.reduce((sum, b) => sum + b.length + 1, 0));
    return Errno.SUCCESS;
  };
  return {
    args_sizes_get: (countPtr: number, sizePtr: number): number => sizes(argBytes, countPtr, sizePtr),
    args_get(argv: number, buf: number): number {
      writeStringList(memory, argBytes, argv, buf);
      return Errno.SUCCESS;
    },
    environ_sizes_get: (countPtr: number, sizePtr: number): number => sizes(envBytes, countPtr, sizePtr),
    environ_get(environ: number, buf: number): number {
      writeStringList(memory, envBytes, environ, buf);
      return Errno.SUCCESS;
    },

    clock_res_get(id: number, resultPtr: number): number {
      const resolution = clockResolution(id);
      if (resolution === undefined) fail(Errno.INVAL, `unknown clock ${id}`);
      memory.setU64(resultPtr, resolution);
      return Errno.SUCCESS;
    },
    clock_time_get(id: number, _precision: bigint, resultPtr: number): number {
      const now = clockNow(id);
      if (now === undefined) fail(Errno.INVAL, `unknown clock ${id}`);
      memory.setU64(resultPtr, now);
      return Errno.SUCCESS;
    },

    random_get(buf: number, len: number): number {
      randomFillSync(memory.bytes(buf, len >>> 0));
      return Errno.SUCCESS;
    },

    proc_exit(code: number): void {
      throw new WasiExit(code >>> 0);
    },
    proc_raise(_signal: number): number {
      // Delivering a signal to the guest needs signal handlers that preview1 cannot express;
      // wasmtime also answers ENOSYS here.
      return Errno.NOSYS;
    },
    sched_yield: (): number => Errno.SUCCESS,

    // Preview1 has no way to create sockets, and none are preopened, so every socket call meets
    // a descriptor that is not a socket: EBADF for a closed fd, ENOTSUP otherwise.
    sock_accept(fd: number, _flags: number, _fdPtr: number): number {
      fds.get(fd);
      return Errno.NOTSUP;
    },
    sock_recv(fd: number): number {
      fds.get(fd);
      return Errno.NOTSUP;
    },
    sock_send(fd: number): number {
      fds.get(fd);
      return Errno.NOTSUP;
    },
    sock_shutdown(fd: number): number {
      fds.get(fd);
      return Errno.NOTSUP;
    },
  };
}
