// poll_oneoff: clock subscriptions (relative and absolute) and fd read/write readiness.
// Waiting is Atomics.wait on a private SharedArrayBuffer: a real sleep of the thread, not a
// busy loop, and synchronous as an import function has to be.

import { fstatSync } from 'node:fs';
import { Errno, Eventtype, Layout, Rights, Subclockflags } from './constants.js';
import type { DescriptorTable } from './descriptors.js';
import { errnoOf, fail } from './failure.js';
import type { HostFunction } from './fd-calls.js';
import type { GuestMemory } from './memory.js';
import { clockNow } from './process-calls.js';

interface Event {
  userdata: bigint;
  error: number;
  type: number;
  nbytes: bigint;
}

const scratch = new Int32Array(new SharedArrayBuffer(4));

/** Blocks the calling thread for `ns` nanoseconds without spinning. */
export function sleepNanoseconds(ns: bigint): void {
  if (ns <= 0n) return;
  Atomics.wait(scratch, 0, 0, Number(ns) / 1e6);
}

export function pollCalls(memory: GuestMemory, fds: DescriptorTable): Record<string, HostFunction> {
  const fdEvent = (userdata: bigint, type: number, fd: number): Event => {
    // A closed fd or a directory fails the whole call with EBADF, as in wasmtime
    // (preview1_poll_oneoff_files); a dropped right is reported on the event.
    const descriptor = fds.get(fd);
    if (descriptor.kind === 'directory') fail(Errno.BADF, `fd ${fd} is a directory`);
    try {
      const d = fds.get(fd, Rights.POLL_FD_READWRITE);
      let nbytes = 0n;
      if (type === Eventtype.FD_READ) {
        if (d.kind === 'file') {
          const size = fstatSync(d.hostFd, { bigint: true }).size;
          nbytes = size > d.position ? size - d.position : 0n;
        } else if (d.kind === 'stream') {
          nbytes = BigInt(d.available?.() ?? 0);
        }
      }
      // Files and in-process streams never block; a host stdin is reported ready, and the
      // following read blocks exactly as it would have after a real poll.
      return { userdata, error: Errno.SUCCESS, type, nbytes };
    } catch (error) {
      return { userdata, error: errnoOf(error), type, nbytes: 0n };
    }
  };

  return {
    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number): number {
      const n = count >>> 0;
      if (n === 0) fail(Errno.INVAL, 'no subscriptions');
      memory.bytes(inPtr, n * Layout.SUBSCRIPTION_SIZE);
      memory.bytes(outPtr, n * Layout.EVENT_SIZE);
      memory.bytes(neventsPtr, 4);
      const started = process.hrtime.bigint();
      const clocks: { userdata: bigint; after: bigint }[] = [];
      const events: Event[] = [];
      for (let i = 0; i < n; i++) {
        const sub = inPtr + i * Layout.SUBSCRIPTION_SIZE;
        const userdata = memory.getU64(sub);
        const tag = memory.getU8(sub + 8);
        if (tag === Eventtype.CLOCK) {
          const id = memory.getU32(sub + 16);
          const timeout = memory.getU64(sub + 24);
          const absolute = (memory.getU16(sub + 40) & Subclockflags.SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
          const now = clockNow(id);
          if (now === undefined) events.push({ userdata, error: Errno.INVAL, type: tag, nbytes: 0n });
          else clocks.push({ userdata, after: absolute ? timeout - now : timeout });
        } else if (tag === Eventtype.FD_READ || tag === Eventtype.FD_WRITE) {
          events.push(fdEvent(userdata, tag, memory.getU32(sub + 16)));
        } else {
          fail(Errno.INVAL, `unknown subscription tag ${tag}`);
        }
      }
      if (events.length === 0 && clocks.length > 0) {
        const first = clocks.reduce((min, c) => (c.after < min ? c.after : min), clocks[0]!.after);
        // Atomics.wait may return a little early on some platforms; sleep until really due.
        for (let left = first; left > 0n; left = first - (process.hrtime.bigint() - started)) sleepNanoseconds(left);
      }
      const elapsed = process.hrtime.bigint() - started;
      for (const clock of clocks) {
        if (clock.after <= elapsed) events.push({ userdata: clock.userdata, error: Errno.SUCCESS, type: Eventtype.CLOCK, nbytes: 0n });
      }
      events.forEach((event, i) => {
        const at = outPtr + i * Layout.EVENT_SIZE;
        memory.zero(at, Layout.EVENT_SIZE);
        memory.setU64(at, event.userdata);
        memory.setU16(at + 8, event.error);
        memory.setU8(at + 10, event.type);
        memory.setU64(at + 16, event.nbytes);
      });
      memory.setU32(neventsPtr, events.length);
      return Errno.SUCCESS;
    },
  };
}
