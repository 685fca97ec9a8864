// Numeric values and struct layouts of wasi_snapshot_preview1, exactly as the preview1 witx
// (typenames.witx) defines them. Kept in one place so every call site agrees on them.

/** errno: the preview1 error codes (not the host's). */
export const Errno = {
  SUCCESS: 0, TOOBIG: 1, ACCES: 2, ADDRINUSE: 3, ADDRNOTAVAIL: 4, AFNOSUPPORT: 5, AGAIN: 6,
  ALREADY: 7, BADF: 8, BADMSG: 9, BUSY: 10, CANCELED: 11, CHILD: 12, CONNABORTED: 13,
  CONNREFUSED: 14, CONNRESET: 15, DEADLK: 16, DESTADDRREQ: 17, DOM: 18, DQUOT: 19, EXIST: 20,
  FAULT: 21, FBIG: 22, HOSTUNREACH: 23, IDRM: 24, ILSEQ: 25, INPROGRESS: 26, INTR: 27, INVAL: 28,
  IO: 29, ISCONN: 30, ISDIR: 31, LOOP: 32, MFILE: 33, MLINK: 34, MSGSIZE: 35, MULTIHOP: 36,
  NAMETOOLONG: 37, NETDOWN: 38, NETRESET: 39, NETUNREACH: 40, NFILE: 41, NOBUFS: 42, NODEV: 43,
  NOENT: 44, NOEXEC: 45, NOLCK: 46, NOLINK: 47, NOMEM: 48, NOMSG: 49, NOPROTOOPT: 50, NOSPC: 51,
  NOSYS: 52, NOTCONN: 53, NOTDIR: 54, NOTEMPTY: 55, NOTRECOVERABLE: 56, NOTSOCK: 57, NOTSUP: 58,
  NOTTY: 59, NXIO: 60, OVERFLOW: 61, OWNERDEAD: 62, PERM: 63, PIPE: 64, PROTO: 65,
  PROTONOSUPPORT: 66, PROTOTYPE: 67, RANGE: 68, ROFS: 69, SPIPE: 70, SRCH: 71, STALE: 72,
  TIMEDOUT: 73, TXTBSY: 74, XDEV: 75, NOTCAPABLE: 76,
} as const;

/** Host (libuv/POSIX) error code names → preview1 errno, for errors thrown by node:fs. */
export const HOST_ERRNO: Readonly<Record<string, number>> = {
  E2BIG: Errno.TOOBIG, EACCES: Errno.ACCES, EAGAIN: Errno.AGAIN, EWOULDBLOCK: Errno.AGAIN,
  EBADF: Errno.BADF, EBUSY: Errno.BUSY, EEXIST: Errno.EXIST, EFAULT: Errno.FAULT, EFBIG: Errno.FBIG,
  EINTR: Errno.INTR, EINVAL: Errno.INVAL, EIO: Errno.IO, EISDIR: Errno.ISDIR, ELOOP: Errno.LOOP,
  EMFILE: Errno.MFILE, EMLINK: Errno.MLINK, ENAMETOOLONG: Errno.NAMETOOLONG, ENFILE: Errno.NFILE,
  ENODEV: Errno.NODEV, ENOENT: Errno.NOENT, ENOMEM: Errno.NOMEM, ENOSPC: Errno.NOSPC,
  ENOSYS: Errno.NOSYS, ENOTDIR: Errno.NOTDIR, ENOTEMPTY: Errno.NOTEMPTY, ENOTSUP: Errno.NOTSUP,
  EOPNOTSUPP: Errno.NOTSUP, ENOTTY: Errno.NOTTY, ENXIO: Errno.NXIO, EOVERFLOW: Errno.OVERFLOW,
  EPERM: Errno.PERM, EPIPE: Errno.PIPE, ERANGE: Errno.RANGE, EROFS: Errno.ROFS, ESPIPE: Errno.SPIPE,
  ETXTBSY: Errno.TXTBSY, EXDEV: Errno.XDEV, ENOTSOCK: Errno.NOTSOCK, ENOTCONN: Errno.NOTCONN,
  ECANCELED: Errno.CANCELED, EILSEQ: Errno.ILSEQ, EDQUOT: Errno.DQUOT, ESTALE: Errno.STALE,
};

/** rights: one bit per operation (witx `rights`). */
export const Rights = {
  FD_DATASYNC: 1n << 0n, FD_READ: 1n << 1n, FD_SEEK: 1n << 2n, FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n, FD_TELL: 1n << 5n, FD_WRITE: 1n << 6n, FD_ADVISE: 1n << 7n,
  FD_ALLOCATE: 1n << 8n, PATH_CREATE_DIRECTORY: 1n << 9n, PATH_CREATE_FILE: 1n << 10n,
  PATH_LINK_SOURCE: 1n << 11n, PATH_LINK_TARGET: 1n << 12n, PATH_OPEN: 1n << 13n,
  FD_READDIR: 1n << 14n, PATH_READLINK: 1n << 15n, PATH_RENAME_SOURCE: 1n << 16n,
  PATH_RENAME_TARGET: 1n << 17n, PATH_FILESTAT_GET: 1n << 18n, PATH_FILESTAT_SET_SIZE: 1n << 19n,
  PATH_FILESTAT_SET_TIMES: 1n << 20n, FD_FILESTAT_GET: 1n << 21n, FD_FILESTAT_SET_SIZE: 1n << 22n,
  FD_FILESTAT_SET_TIMES: 1n << 23n, PATH_SYMLINK: 1n << 24n, PATH_REMOVE_DIRECTORY: 1n << 25n,
  PATH_UNLINK_FILE: 1n << 26n, POLL_FD_READWRITE: 1n << 27n, SOCK_SHUTDOWN: 1n << 28n,
  SOCK_ACCEPT: 1n << 29n,
} as const;

const R = Rights;
/** Rights that make sense on a regular file (what wasmtime grants files). */
export const FILE_RIGHTS =
  R.FD_DATASYNC | R.FD_READ | R.FD_SEEK | R.FD_FDSTAT_SET_FLAGS | R.FD_SYNC | R.FD_TELL |
  R.FD_WRITE | R.FD_ADVISE | R.FD_ALLOCATE | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_SIZE |
  R.FD_FILESTAT_SET_TIMES | R.POLL_FD_READWRITE;
/**
 * Rights that make sense on a directory. No sync/advise/set_flags: wasmtime answers EBADF for those
 * on a directory (its preview1_dir_fd_op_failures test), and so do we.
 */
export const DIRECTORY_RIGHTS =
  R.PATH_CREATE_DIRECTORY |
  R.PATH_CREATE_FILE | R.PATH_LINK_SOURCE | R.PATH_LINK_TARGET | R.PATH_OPEN | R.FD_READDIR |
  R.PATH_READLINK | R.PATH_RENAME_SOURCE | R.PATH_RENAME_TARGET | R.PATH_FILESTAT_GET |
  R.PATH_FILESTAT_SET_SIZE | R.PATH_FILESTAT_SET_TIMES | R.FD_FILESTAT_GET |
  R.FD_FILESTAT_SET_TIMES | R.PATH_SYMLINK | R.PATH_REMOVE_DIRECTORY | R.PATH_UNLINK_FILE;
/** Standard streams: no seek/tell, which is how wasi-libc's isatty() tells a terminal apart. */
export const STDIO_RIGHTS =
  R.FD_READ | R.FD_WRITE | R.FD_FDSTAT_SET_FLAGS | R.FD_FILESTAT_GET | R.POLL_FD_READWRITE |
  R.FD_SYNC | R.FD_DATASYNC;
export const ALL_RIGHTS = (1n << 30n) - 1n;

export const Filetype = {
  UNKNOWN: 0, BLOCK_DEVICE: 1, CHARACTER_DEVICE: 2, DIRECTORY: 3, REGULAR_FILE: 4,
  SOCKET_DGRAM: 5, SOCKET_STREAM: 6, SYMBOLIC_LINK: 7,
} as const;

export const Fdflags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const Oflags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const Lookupflags = { SYMLINK_FOLLOW: 1 } as const;
export const Fstflags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const Clockid = { REALTIME: 0, MONOTONIC: 1, PROCESS_CPUTIME_ID: 2, THREAD_CPUTIME_ID: 3 } as const;
export const Eventtype = { CLOCK: 0, FD_READ: 1, FD_WRITE: 2 } as const;
export const Subclockflags = { SUBSCRIPTION_CLOCK_ABSTIME: 1 } as const;
export const Eventrwflags = { FD_READWRITE_HANGUP: 1 } as const;
export const PREOPENTYPE_DIR = 0;
export const ADVICE_MAX = 5; // normal, sequential, random, willneed, dontneed, noreuse

/** Struct sizes and field offsets (witx layouts, wasm32). */
export const Layout = {
  IOVEC_SIZE: 8,
  FDSTAT_SIZE: 24, // filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16
  FILESTAT_SIZE: 64, // dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
  PRESTAT_SIZE: 8, // tag u8 @0, pr_name_len u32 @4
  DIRENT_SIZE: 24, // d_next u64 @0, d_ino u64 @8, d_namlen u32 @16, d_type u8 @20
  SUBSCRIPTION_SIZE: 48, // userdata @0, tag u8 @8, clock{id u32 @16, timeout @24, precision @32, flags u16 @40} | fd u32 @16
  EVENT_SIZE: 32, // userdata @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
} as const;
