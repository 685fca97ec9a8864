// The host layout the sandbox fixture (test/fixtures/wasi/sandbox.c) attacks, and the errno
// wasmtime gives for each of its attempts.

import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir } from './harness.js';

export function sandboxLayout(): { root: ReturnType<typeof freshDir>; sandbox: string; outside: string } {
  const root = freshDir('sandbox');
  const sandbox = join(root.path, 'sandbox');
  const outside = join(root.path, 'outside');
  mkdirSync(sandbox);
  mkdirSync(outside);
  mkdirSync(join(sandbox, 'sub'));
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(sandbox, 'inside.txt'), 'inside');
  symlinkSync('..', join(sandbox, 'sub', 'parent_link'));
  symlinkSync('../outside', join(sandbox, 'rel_link'));
  symlinkSync(outside, join(sandbox, 'abs_link'));
  return { root, sandbox, outside };
}

// wasmtime (cap-std) answers EPERM (63) for every escape (its preview1_interesting_paths test);
// ENOTCAPABLE (76) comes from wasi-libc itself for an absolute path no preopen covers; ELOOP (32)
// for a symlink loop; EBADF (8) for writing a read-only descriptor (preview1_path_open_read_write).
export const WASMTIME_ERRNOS = `dotdot open: errno 63
deep dotdot open: errno 63
raw dotdot path_open: errno 63
raw absolute path_open: errno 63
libc absolute open: errno 76
absolute symlink out: errno 63
relative symlink out: errno 63
raw symlink out followed: errno 63
symlink to parent, inside: ALLOWED 0
symlink to parent, then out: errno 63
new symlink to root's parent, then out: errno 63
new absolute symlink, then read: errno 63
rename out: errno 63
rename in: errno 63
rename out through symlink: errno 63
hardlink out: errno 63
hardlink in: errno 63
hardlink in through symlink: errno 63
mkdir out: errno 63
unlink out: errno 63
unlink out through symlink: errno 63
stat out: errno 63
stat through absolute symlink: errno 63
opendir parent: errno 63
chdir then dotdot: errno 63
symlink loop: errno 32
dotdot above a subdirectory fd: errno 63
write on read-only fd: errno 8
`;
