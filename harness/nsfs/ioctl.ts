// ioctl_ns(2) requests the harness issues itself, through koffi, on descriptors it opened.
import koffi from 'koffi';
import { errnoName, F_GETFD, F_GETFL, NS_IOCTL } from '../script/constants.ts';

const libc = koffi.load('libc.so.6');
const ioctl = libc.func('int ioctl(int fd, unsigned long request, ...)') as (
  fd: number,
  request: number,
  ...rest: unknown[]
) => number;
const fcntl = libc.func('int fcntl(int fd, int cmd, ...)') as (fd: number, cmd: number, ...rest: unknown[]) => number;

export type IoctlResult<T> = { ok: true; value: T } | { ok: false; errno: string };

function fail<T>(): IoctlResult<T> {
  const errno = koffi.errno();
  return { ok: false, errno: errnoName(errno) };
}

/** fcntl(F_GETFD) and fcntl(F_GETFL): the descriptor flags (FD_CLOEXEC) and the file status flags (access mode). */
export function descriptorFlags(fd: number): IoctlResult<{ fd: number; fl: number }> {
  const fdFlags = fcntl(fd, F_GETFD);
  if (fdFlags < 0) return fail();
  const flFlags = fcntl(fd, F_GETFL);
  return flFlags < 0 ? fail() : { ok: true, value: { fd: fdFlags, fl: flFlags } };
}

/** A request by number, for the error cases: the raw result, or the errno. */
export function rawNamespaceIoctl(fd: number, request: number): IoctlResult<number> {
  const uid = new Uint32Array(1);
  const result = ioctl(fd, request, 'uint32_t *', uid);
  return result < 0 ? fail() : { ok: true, value: result };
}

/** NS_GET_NSTYPE: the CLONE_NEW* constant of the namespace fd refers to. */
export function getNamespaceType(fd: number): IoctlResult<number> {
  const type = ioctl(fd, NS_IOCTL.GET_NSTYPE);
  return type < 0 ? fail() : { ok: true, value: type >>> 0 };
}

/** NS_GET_PARENT: a new descriptor for the parent of a user or PID namespace. */
export function openParentNamespace(fd: number): IoctlResult<number> {
  const parent = ioctl(fd, NS_IOCTL.GET_PARENT);
  return parent < 0 ? fail() : { ok: true, value: parent };
}

/** NS_GET_USERNS: a new descriptor for the user namespace that owns fd's namespace. */
export function openOwningUserNamespace(fd: number): IoctlResult<number> {
  const owner = ioctl(fd, NS_IOCTL.GET_USERNS);
  return owner < 0 ? fail() : { ok: true, value: owner };
}

/** NS_GET_OWNER_UID: the uid that created the user namespace fd refers to, in the caller's user namespace. */
export function getOwnerUid(fd: number): IoctlResult<number> {
  const uid = new Uint32Array(1);
  return ioctl(fd, NS_IOCTL.GET_OWNER_UID, 'uint32_t *', uid) < 0 ? fail() : { ok: true, value: uid[0] ?? 0 };
}
