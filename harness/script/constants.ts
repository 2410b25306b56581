// Numeric constants scripts and the harness pass to raw system calls (linux/sched.h, linux/nsfs.h, sys/mount.h, ...), and errno names.
import { constants } from 'node:os';

export const CLONE = {
  NEWTIME: 0x80,
  VM: 0x100,
  FS: 0x200,
  FILES: 0x400,
  SIGHAND: 0x800,
  PIDFD: 0x1000,
  PARENT: 0x8000,
  THREAD: 0x10000,
  NEWNS: 0x20000,
  SYSVSEM: 0x40000,
  NEWCGROUP: 0x02000000,
  NEWUTS: 0x04000000,
  NEWIPC: 0x08000000,
  NEWUSER: 0x10000000,
  NEWPID: 0x20000000,
  NEWNET: 0x40000000,
} as const;

/** Signal numbers (signal(7); the same on every architecture nsconform runs on). */
export const SIG = { HUP: 1, INT: 2, KILL: 9, USR1: 10, USR2: 12, TERM: 15, CHLD: 17, STOP: 19 } as const;

/** ioctl_ns(2) requests (linux/nsfs.h). */
export const NS_IOCTL = { GET_USERNS: 0xb701, GET_PARENT: 0xb702, GET_NSTYPE: 0xb703, GET_OWNER_UID: 0xb704 } as const;

export const AT_FDCWD = -100;
export const O = {
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  CREAT: 0o100,
  EXCL: 0o200,
  DIRECTORY: 0o200000,
  CLOEXEC: 0o2000000,
  PATH: 0o10000000,
} as const;

export const MS = {
  RDONLY: 1,
  NOSUID: 2,
  NODEV: 4,
  NOEXEC: 8,
  REMOUNT: 32,
  BIND: 4096,
  MOVE: 8192,
  REC: 16384,
  UNBINDABLE: 1 << 17,
  PRIVATE: 1 << 18,
  SLAVE: 1 << 19,
  SHARED: 1 << 20,
} as const;
export const MNT_DETACH = 2;

export const IPC = { PRIVATE: 0, CREAT: 0o1000, EXCL: 0o2000, RMID: 0, SET: 1, STAT: 2 } as const;

export const AF_UNIX = 1;
export const AF_INET = 2;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SIOCGIFFLAGS = 0x8913;
export const SIOCSIFFLAGS = 0x8914;
export const IFF_UP = 0x1;

/** Clock ids of time.h. */
export const CLOCK = {
  REALTIME: 0,
  MONOTONIC: 1,
  MONOTONIC_RAW: 4,
  MONOTONIC_COARSE: 6,
  BOOTTIME: 7,
  BOOTTIME_ALARM: 9,
} as const;

/** fcntl(2) commands and the descriptor flag. */
export const F_GETFD = 1;
export const F_GETFL = 3;
export const FD_CLOEXEC = 1;

/** prctl(2) options. */
export const PR_SET_DUMPABLE = 4;
export const PR_CAPBSET_DROP = 24;

/** Capability numbers (linux/capability.h). */
export const CAP_NET_RAW = 13;

/** waitpid(2) options. */
export const WNOHANG = 1;

/** reboot(2) magic numbers and commands. */
export const REBOOT = {
  MAGIC1: 0xfee1dead,
  MAGIC2: 672274793,
  CAD_OFF: 0,
  POWER_OFF: 0x4321fedc,
  RESTART: 0x1234567,
} as const;

/** The overflow uid and gid unmapped ids show as (/proc/sys/kernel/overflowuid). */
export const OVERFLOW_ID = 65534;

/** Second names of a number, which the observer (native/src/names.c) never writes. */
const ERRNO_ALIASES = new Set(['EWOULDBLOCK', 'ENOTSUP', 'EDEADLOCK']);
/** errno names by number, from node:os's table for this platform. */
const ERRNO_NAMES = new Map(
  Object.entries(constants.errno).flatMap(([name, value]) => (ERRNO_ALIASES.has(name) ? [] : [[value, name] as const])),
);

/** An errno number's name, as the observer writes it ("EPERM"); E<n> for one the table lacks. */
export const errnoName = (errno: number): string => ERRNO_NAMES.get(errno) ?? `E${errno}`;
