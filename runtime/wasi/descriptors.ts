// The guest's descriptor table: what each preview1 fd number stands for, with the rights it carries.
// Every call names the rights it needs and a descriptor lacking one is refused, whatever the host
// would have allowed. The errno follows wasmtime, which stopped answering ENOTCAPABLE for what is
// really a wrong kind of descriptor (wasmtime PR #4666): reading or writing a descriptor not opened
// for it, or a file operation on a directory, is EBADF (its preview1_path_open_read_write and
// preview1_dir_fd_op_failures tests); a right the descriptor's kind has but the guest dropped with
// fd_fdstat_set_rights is preview1's ENOTCAPABLE.

import { closeSync } from 'node:fs';
import { DIRECTORY_RIGHTS, Errno, FILE_RIGHTS, Rights, STDIO_RIGHTS } from './constants.js';
import { fail } from './failure.js';

interface DescriptorBase {
  rightsBase: bigint;
  rightsInheriting: bigint;
  /** preview1 fdflags (append, nonblock, ...), as last set by path_open or fd_fdstat_set_flags. */
  fdflags: number;
}

/** stdin/stdout/stderr: byte streams that may be host fds or in-process callbacks. */
export interface StreamDescriptor extends DescriptorBase {
  kind: 'stream';
  filetype: number;
  /** Returns up to `max` bytes; an empty array means end of input. */
  read?: (max: number) => Uint8Array;
  /** Bytes still known to be buffered (for poll_oneoff's nbytes); undefined when unknown. */
  available?: () => number | undefined;
  write?: (bytes: Uint8Array) => void;
  /** The host fd behind the stream, when there is one (for fd_filestat_get). */
  hostFd?: number;
}

export interface FileDescriptor extends DescriptorBase {
  kind: 'file';
  filetype: number;
  hostFd: number;
  /** The file offset is kept here, not in the host fd, so append/seek/tell never depend on host flags. */
  position: bigint;
}

export interface DirEntry {
  name: string;
  ino: bigint;
  filetype: number;
}

export interface DirectoryDescriptor extends DescriptorBase {
  kind: 'directory';
  /** Open host directory (O_DIRECTORY); path operations are anchored on it. */
  hostFd: number;
  /** Host path it was opened at (for platforms without /proc/self/fd). */
  hostPath: string;
  /** Real path of the preopen this directory lives under: nothing outside it may ever be touched. */
  root: string;
  /** Guest name, for preopened directories only (fd_prestat_*). */
  preopenName?: string;
  /** Snapshot taken at cookie 0 so cookies stay stable across fd_readdir calls. */
  listing?: DirEntry[];
}

export type Descriptor = StreamDescriptor | FileDescriptor | DirectoryDescriptor;

export class DescriptorTable {
  private readonly entries = new Map<number, Descriptor>();

  /** The descriptor, or EBADF; ENOTCAPABLE when it lacks any of `rights`. */
  get(fd: number, rights: bigint = 0n): Descriptor {
    const entry = this.entries.get(fd);
    if (!entry) return fail(Errno.BADF, `fd ${fd} is not open`);
    checkRights(fd, entry, rights);
    return entry;
  }

  directory(fd: number, rights: bigint = 0n): DirectoryDescriptor {
    const entry = this.get(fd);
    if (entry.kind !== 'directory') return fail(Errno.NOTDIR, `fd ${fd} is not a directory`);
    checkRights(fd, entry, rights);
    return entry;
  }

  /** Puts a descriptor at the lowest free number (POSIX and wasmtime both reuse the lowest). */
  insert(descriptor: Descriptor): number {
    let fd = 0;
    while (this.entries.has(fd)) fd++;
    this.entries.set(fd, descriptor);
    return fd;
  }

  close(fd: number): void {
    const entry = this.get(fd);
    this.entries.delete(fd);
    releaseHost(entry);
  }

  /** fd_renumber: `to` must already be open (as in wasmtime); it is closed and replaced. */
  renumber(from: number, to: number): void {
    const source = this.get(from);
    const target = this.get(to);
    if (from === to) return;
    this.entries.delete(from);
    this.entries.set(to, source);
    releaseHost(target);
  }

  closeAll(): void {
    for (const entry of this.entries.values()) releaseHost(entry);
    this.entries.clear();
  }
}

function checkRights(fd: number, entry: Descriptor, rights: bigint): void {
  const missing = rights & ~entry.rightsBase;
  if (missing === 0n) return;
  const natural = entry.kind === 'directory' ? DIRECTORY_RIGHTS : entry.kind === 'file' ? FILE_RIGHTS : STDIO_RIGHTS;
  if (missing & (Rights.FD_READ | Rights.FD_WRITE) || missing & ~natural) {
    fail(Errno.BADF, `fd ${fd} (${entry.kind}) does not support this operation`);
  }
  fail(Errno.NOTCAPABLE, `fd ${fd} lacks rights 0x${missing.toString(16)}`);
}

function releaseHost(entry: Descriptor): void {
  if (entry.kind === 'stream') return; // never close the process's own stdio
  try {
    closeSync(entry.hostFd);
  } catch {
    // Already closed on the host side; nothing left to release.
  }
}
