// Script helpers for the clone suite: the clone ops of native/src/script_clone_ops.c and struct clone_args.
import { bytes, type NamespaceName, NAMESPACES, type Script, SIG, u64le } from '../../harness/kit.ts';

/** The first published struct clone_args (CLONE_ARGS_SIZE_VER0) and the largest this kernel knows (VER2). */
export const CLONE_ARGS_SIZE_VER0 = 64;
export const CLONE_ARGS_SIZE_VER2 = 88;

/**
 * struct clone_args as bytes: flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
 * then set_tid, set_tid_size, cgroup, padded with `extra` (u64 words) beyond the known layout.
 */
export function cloneArgs(flags: number, exitSignal: number, extra: readonly number[] = []): Uint8Array {
  return u64le(flags, 0, 0, 0, exitSignal, 0, 0, 0, 0, 0, 0, ...extra);
}

/** A raw clone() that is expected to fail; should it succeed, the observer's copy exits at once. */
export function failingClone(s: Script, label: string, flags: number): string {
  return s.sys(label, 'clone', flags | SIG.CHLD, 0, 0, 0, 0);
}

/** A raw clone3() with exit_signal SIGCHLD (or the one given), expected to fail. */
export function failingClone3(s: Script, label: string, flags: number, exitSignal: number = SIG.CHLD): string {
  return s.sys(label, 'clone3', bytes(cloneArgs(flags, exitSignal)), CLONE_ARGS_SIZE_VER2);
}

/**
 * clone() or clone3() whose child only calls exit(getpid()): safe with CLONE_VM or CLONE_THREAD and no stack.
 * A process child is reaped by the step, which reports its exit status as "code" (its PID in its own PID ns).
 */
export function bareClone(
  s: Script,
  label: string,
  mode: 'clone' | 'clone3',
  flags: number,
  exitSignal: number = SIG.CHLD,
): string {
  return mode === 'clone'
    ? s.op.bareclone(label, 'clone', flags | exitSignal)
    : s.op.bareclone(label, 'clone3', flags, exitSignal);
}

/** clone3 with these struct bytes and size; a child that is made exits at once and is reaped ("code"). */
export function bareClone3Raw(s: Script, label: string, args: Uint8Array, size: number): string {
  return s.op.bareclone3(label, bytes(args), size);
}

/** clone3 with set_tid = tids (set_tid_size = their count); a child exits with its PID and is reaped. */
export function setTid(s: Script, label: string, flags: number, tids: readonly number[]): string {
  return s.op.settid(label, flags, SIG.CHLD, ...tids);
}

/** clone3 with set_tid_size = the caller's PID-ns depth + 1 + over, every entry 1 ("depth" reported). */
export function setTidDeep(s: Script, label: string, flags: number, over: number): string {
  return s.op.settiddeep(label, flags, SIG.CHLD, over);
}

/** readlink of each /proc/self/ns entry, labelled `${prefix}_${kind}`. */
export function readNsLinks(
  s: Script,
  prefix: string,
  kinds: readonly NamespaceName[] = NAMESPACES.map((kind) => kind.name),
): void {
  for (const kind of kinds) s.readlink(`${prefix}_${kind}`, `/proc/self/ns/${kind}`);
}
