// Builds the step lines of a script (native/PROTOCOL.md "script"): the child gathers facts, nothing else.
import { AT_FDCWD, CLONE, O } from './constants.ts';
import { num, str, token, type Arg } from './encode.ts';
import { opSteps, type OpSteps, type Step } from './op-steps.ts';
import {
  OPS,
  type Expect,
  type Int,
  type OpArgs,
  type OpName,
  type PollableOp,
  type Syscall,
} from './ops.generated.ts';
import { NAMESPACES, type NamespaceName } from '../namespaces.ts';
import type { Need } from '../needs/index.ts';

export type ForkMode = 'clone' | 'clone3';

/** The ids a script's first process runs as, and the mode it stands for. */
export interface ScriptIdentity {
  readonly mode: 'root' | 'unprivileged';
  readonly uid: number;
  readonly gid: number;
}

/** What the observer accepts as a label (native/src/script_parse.c); "end" alone closes a fork block. */
/** setuid-family calls to a non-zero uid: the process is no longer root of the initial user namespace. */
function givesUpRoot(name: string, callArgs: readonly Arg[]): boolean {
  return (
    ['setuid', 'setreuid', 'setresuid'].includes(name) &&
    callArgs.some((arg) => typeof arg === 'number' && arg !== 0 && arg !== -1)
  );
}

const LABEL = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;
/** The set-user-ID mode bit (inode(7)). */
const S_ISUID = 0o4000;

/** System calls a script can make that a seccomp filter or an old kernel may refuse (harness/env/kernel-probes.ts canaries). */
export type ScriptCall = 'unshare' | 'setns' | 'clone3' | 'cloneNamespaceFlags' | 'reboot';

/** Filesystems the kernel lets a user namespace mount only where the runner sees all of one already (mount_too_revealing). */
export type RevealingFs = 'proc' | 'sysfs';

const NAMESPACE_BITS = NAMESPACES.reduce((bits, kind) => bits | kind.flag, 0);
/** clone(2) takes CLONE_NEWTIME's bit as part of the exit signal, so it is no namespace flag there. */
const CLONE_NAMESPACE_BITS = NAMESPACE_BITS & ~CLONE.NEWTIME;

export class Script {
  readonly #lines: string[] = [];
  readonly #described = new Map<string, string>();
  readonly #calls = new Set<ScriptCall>();
  readonly #kinds = new Set<NamespaceName>();
  readonly #ops = new Set<OpName>();
  readonly #machines = new Set<string>();
  /** One typed builder per op of the observer (ops.generated.ts): `s.op.cg_mountline('own', '{scratch}/cg')`. */
  readonly op: OpSteps = opSteps((label, op, ...args) => this.step(label, op, ...args));
  /** Outer ids the script's first process maps, which the creator's user namespace must map (uid, gid, projid). */
  readonly #outerIds = { uid: new Set<number>(), gid: new Set<number>(), projid: new Set<number>() };
  /** Fork blocks entered: steps inside run in a child, whose maps are relative to namespaces the script made. */
  #forkDepth = 0;
  /** User namespaces the first process has unshared into. */
  #userLevel = 0;
  /**
   * Per process (the top is the one steps run in): it is inside a user namespace the script made, or dropped its
   * ids or capabilities. A user namespace it creates then is an unprivileged creation even in the root mode —
   * what Debian's kernel.unprivileged_userns_clone=0 and user.max_user_namespaces restrictions refuse.
   */
  readonly #unprivileged: boolean[] = [false];
  #createsUserUnprivileged = false;
  /** proc and sysfs mounts, and whether one was made from inside a user namespace the script made. */
  readonly #revealingMounts = new Map<RevealingFs, boolean>();
  /** Needs of what a step does that its op alone does not show (declared by the helper that adds it), and derived ones. */
  readonly #required: Need[] = [];
  /** Files the script made set-user-ID or gave file capabilities: execve of one needs a mount that honours both. */
  readonly #privilegedOnExec = new Set<string>();

  /** A map written by the first process: "/proc/{child}/…" before it left the creator's namespace, "/proc/self/…" just after. */
  #recordMapWrite(path: string, data: string): void {
    const which = /^\/proc\/(self|\{\w+\})\/(uid|gid|projid)_map$/.exec(path);
    if (!which || this.#forkDepth > 0 || this.#userLevel !== (which[1] === 'self' ? 1 : 0)) return;
    const ids = this.#outerIds[which[2] as 'uid' | 'gid' | 'projid'];
    for (const line of data.split('\n')) {
      const [, outside, count] = line.trim().split(/\s+/).map(Number);
      if (Number.isInteger(outside) && Number.isInteger(count) && count! > 0)
        ids.add(outside!).add(outside! + count! - 1);
    }
  }

  /**
   * Notes the calls a step makes and the kinds it asks to create, so a script's needs are derived, never declared
   * by hand: from the needs the observer's op table gives each op (native/src/script_internal.h).
   */
  #record(op: OpName, args: readonly Arg[]): void {
    this.#recordPrivilegedExec(op, args);
    const names = OPS[op].args;
    const argument = (name: string): Arg | undefined => args[names.indexOf(name)];
    const flagsOf = (name: string): number => {
      const value = argument(name);
      return typeof value === 'number' ? value : 0;
    };
    for (const need of OPS[op].needs) {
      const [what, first = '', second = ''] = need.split(':');
      if (what === 'machine') this.#machines.add(first);
      else if (what === 'call') this.#calls.add(first as ScriptCall);
      else if (what === 'creates') this.#creates(flagsOf(first));
      else if (what === 'kind') this.#kinds.add(first as NamespaceName);
      // It creates user namespaces inside the ones it made: every level past the first is unprivileged.
      else if (what === 'nested-user') this.#createsUserUnprivileged = true;
      else if (what === 'clones') this.#viaClone(first ? argument(first) : 'clone', flagsOf(second));
      else if (what === 'map-write') {
        this.#recordTimeOffsetsWrite(String(argument(first)));
        this.#recordMapWrite(String(argument(first)), String(argument(second)));
      } else if (what === 'sys') this.#recordSys(String(argument(first)), args.slice(names.indexOf(first) + 1));
      else if (what === 'polls') this.#record(argument(first) as OpName, args.slice(names.indexOf(first) + 1));
      else throw new Error(`op ${op} has a need the script builder does not know: ${need}`);
    }
  }

  #creates(flags: number, bits = NAMESPACE_BITS): void {
    for (const kind of NAMESPACES) if (flags & bits & kind.flag) this.#kinds.add(kind.name);
    if (flags & bits & CLONE.NEWUSER && this.#unprivileged.at(-1)) this.#createsUserUnprivileged = true;
  }

  #viaClone(mode: Arg | undefined, flags: number): void {
    if (mode === 'clone3') {
      this.#calls.add('clone3');
      this.#creates(flags);
    } else {
      if (flags & CLONE_NAMESPACE_BITS) this.#calls.add('cloneNamespaceFlags');
      this.#creates(flags, CLONE_NAMESPACE_BITS);
    }
  }

  /** A raw system call: the ones that create or enter namespaces, or give up root. */
  #recordSys(name: string, callArgs: readonly Arg[]): void {
    const flags = typeof callArgs[0] === 'number' ? callArgs[0] : 0;
    if (name === 'unshare') {
      this.#calls.add('unshare');
      this.#creates(flags);
      if (this.#forkDepth === 0 && flags & CLONE.NEWUSER) this.#userLevel += 1;
      if (flags & CLONE.NEWUSER) this.#unprivileged[this.#unprivileged.length - 1] = true;
    } else if (name === 'setns') this.#calls.add('setns');
    else if (name === 'reboot') this.#calls.add('reboot');
    else if (name === 'mount' && (callArgs[2] === 's:proc' || callArgs[2] === 's:sysfs')) {
      const fs = callArgs[2] === 's:proc' ? 'proc' : 'sysfs';
      this.#revealingMounts.set(fs, Boolean(this.#revealingMounts.get(fs)) || Boolean(this.#unprivileged.at(-1)));
    } else if (givesUpRoot(name, callArgs)) this.#unprivileged[this.#unprivileged.length - 1] = true;
    else if (name === 'clone' || name === 'clone3') this.#viaClone(name, flags);
  }

  /** A file made set-user-ID (chmod) or given security.capability (setxattr), then executed: nosuid would void both. */
  #recordPrivilegedExec(op: OpName, args: readonly Arg[]): void {
    const path = String(args[op === 'sys' ? 1 : 0]).replace(/^s:/, '');
    const mode = args[2];
    if (op === 'sys' && args[0] === 'chmod' && typeof mode === 'number' && mode & S_ISUID)
      this.#privilegedOnExec.add(path);
    else if (op === 'setxattr' && args[1] === 'security.capability') this.#privilegedOnExec.add(path);
    else if (op === 'execfile' && this.#privilegedOnExec.has(path)) this.require({ kind: 'suid-exec' });
  }

  /** Outside every user namespace the script made, writing timens_offsets needs CAP_SYS_TIME in the runner's own (time_namespaces(7)). */
  #recordTimeOffsetsWrite(path: string): void {
    if (!/\/timens_offsets$/.test(path) || this.#unprivileged.at(-1)) return;
    this.require({ kind: 'capability', cap: 'SYS_TIME', for: 'writing timens_offsets of a time namespace it owns' });
  }

  /** Declares a need of what the script does that its steps alone do not show. */
  require(need: Need): void {
    if (!this.#required.some((known) => JSON.stringify(known) === JSON.stringify(need))) this.#required.push(need);
  }

  get required(): readonly Need[] {
    return this.#required;
  }

  /** proc and sysfs mounts: true where one is made inside a user namespace the script made. */
  get revealingMounts(): ReadonlyMap<RevealingFs, boolean> {
    return this.#revealingMounts;
  }

  /** Ids the first process writes into maps as outer ids: the creator's user namespace must map each. */
  get outerIds(): {
    readonly uid: ReadonlySet<number>;
    readonly gid: ReadonlySet<number>;
    readonly projid: ReadonlySet<number>;
  } {
    return this.#outerIds;
  }

  /** Every op the script uses. */
  get ops(): ReadonlySet<OpName> {
    return this.#ops;
  }

  /** Machines the script's ops run on only (their needs in the op table): elsewhere the claim is a skip. */
  get machines(): ReadonlySet<string> {
    return this.#machines;
  }

  /** The refusable system calls the script makes. */
  get calls(): ReadonlySet<ScriptCall> {
    return this.#calls;
  }

  /** It creates a user namespace from inside one it made, or after dropping ids or capabilities: unprivileged even as root. */
  get createsUserUnprivileged(): boolean {
    return this.#createsUserUnprivileged;
  }

  /** The kinds the script asks the kernel to create (whether it expects success or a refusal). */
  get createdKinds(): ReadonlySet<NamespaceName> {
    return this.#kinds;
  }

  /**
   * Adds one step; labels name its result for later steps ($label, {label}) and for the judge. Claims use the typed
   * builders (`op`) instead; this untyped form is for tests that send the observer malformed steps on purpose.
   */
  step(label: string, op: OpName, ...args: Arg[]): string {
    if (!LABEL.test(label) || label === 'end')
      throw new Error(`script label must be a short identifier other than "end": ${JSON.stringify(label)}`);
    if (this.#described.has(label)) throw new Error(`script label used twice: ${label}`);
    const words = args.map((arg) => (typeof arg === 'number' ? num(arg) : token(arg)));
    const line = [label, op, ...words].join(' ');
    this.#described.set(label, [op, ...args.map((arg) => (typeof arg === 'number' ? num(arg) : arg))].join(' '));
    this.#lines.push(line);
    this.#ops.add(op);
    this.#record(op, args);
    return label;
  }

  /** One raw system call of the observer's allow-list (native/src/script_sys.c). */
  sys(label: string, name: Syscall, ...args: Arg[]): Step<'sys'> {
    return this.op.sys(label, name, ...args);
  }

  /** A child made by clone3 or raw clone; `body` runs in it, and it exits 0 at the end of the block. */
  fork(label: string, mode: ForkMode, flags: number, body: (child: Script) => void, exitSignal?: number): Step<'fork'> {
    const rawFlags = mode === 'clone' ? flags | (exitSignal ?? 17) : flags;
    this.op.fork(label, mode, rawFlags, mode === 'clone' ? undefined : exitSignal);
    this.#forkDepth += 1;
    this.#unprivileged.push(Boolean(this.#unprivileged.at(-1)) || Boolean(flags & CLONE.NEWUSER));
    body(this);
    this.#unprivileged.pop();
    this.#forkDepth -= 1;
    this.#lines.push('end');
    return label as Step<'fork'>;
  }

  wait(label: string, pid: string | number, options = 0): Step<'wait'> {
    return this.op.wait(label, typeof pid === 'number' ? pid : `$${pid}`, options);
  }

  read(label: string, path: string): Step<'read'> {
    return this.op.read(label, path);
  }

  readlink(label: string, path: string): Step<'readlink'> {
    return this.op.readlink(label, path);
  }

  stat(label: string, path: string): Step<'stat'> {
    return this.op.stat(label, path);
  }

  lstat(label: string, path: string): Step<'lstat'> {
    return this.op.lstat(label, path);
  }

  fstat(label: string, fd: string): Step<'fstat'> {
    return this.op.fstat(label, `$${fd}`);
  }

  readdir(label: string, path: string): Step<'readdir'> {
    return this.op.readdir(label, path);
  }

  /** open + (lseek to offset) + one write; the host guard refuses paths outside the script's own namespaces. */
  write(label: string, path: string, data: string, offset?: number): Step<'write'> {
    return this.op.write(label, path, data, offset);
  }

  pwrite(label: string, path: string, data: string, offset: number): Step<'pwrite'> {
    return this.op.pwrite(label, path, data, offset);
  }

  open(label: string, path: string, flags: number = O.RDONLY | O.CLOEXEC): Step<'sys'> {
    return this.sys(label, 'openat', AT_FDCWD, str(path), flags, 0);
  }

  setns(label: string, fd: string, nstype = 0): Step<'sys'> {
    return this.sys(label, 'setns', `$${fd}`, nstype);
  }

  clocks(label: string): Step<'clocks'> {
    return this.op.clocks(label);
  }

  facts(label: string): Step<'facts'> {
    return this.op.facts(label);
  }

  /** A throw-away child calls unshare(flags): the step's result is that call's. */
  probe(label: string, flags: number): Step<'probe'> {
    return this.op.probe(label, flags);
  }

  /** Repeats probe(flags) until its outcome is `expect` ("ok" or an errno name) or `withinMs` passed. */
  pollProbe(label: string, expect: Expect, withinMs: number, flags: number): Step<'poll'> {
    return this.poll(label, expect, withinMs, 'probe', flags);
  }

  /** Repeats an op until its outcome is `expect` ("ok", an errno name, or "r=N") or `withinMs` passed. */
  poll<O extends PollableOp>(label: string, expect: Expect, withinMs: Int, op: O, ...args: OpArgs[O]): Step<'poll'> {
    return this.op.poll(label, expect, withinMs, op, ...(args.filter((arg) => arg !== undefined) as Arg[]));
  }

  /**
   * An ordinary tool started as a runtime starts one: clone(flags), then execve(path, [argv0, ...args]);
   * output in `text`, exit status in `code`. With `mapTo`, the parent writes "0 uid 1" maps first.
   */
  run(
    label: string,
    flags: number,
    mapTo: { uid: number; gid: number } | null,
    path: string,
    argv0: string,
    ...args: string[]
  ): Step<'run'> {
    if (mapTo && this.#forkDepth === 0 && this.#userLevel === 0) {
      this.#outerIds.uid.add(mapTo.uid);
      this.#outerIds.gid.add(mapTo.gid);
    }
    return this.op.run(label, flags, mapTo ? `${mapTo.uid}:${mapTo.gid}` : '-', path, argv0, ...args);
  }

  post(label: string, event: number): Step<'post'> {
    return this.op.post(label, event);
  }

  await(label: string, event: number): Step<'await'> {
    return this.op.await(label, event);
  }

  thread(label: string): Step<'thread'> {
    return this.op.thread(label);
  }

  /** execve of the observer, which reports its /proc/self/status identity lines and clocks under this label. */
  exec(label: string): Step<'exec'> {
    return this.op.exec(label);
  }

  exit(code: number): void {
    this.#lines.push(`x${this.#lines.length} exit ${code}`);
  }

  /** Writes a one-line id map for pid ("self" or "{label}") mapping `inside` to the given outer ids. */
  mapIds(prefix: string, pid: string, uid: number, gid: number, inside = 0): void {
    this.write(`${prefix}SetGroups`, `/proc/${pid}/setgroups`, 'deny');
    this.write(`${prefix}UidMap`, `/proc/${pid}/uid_map`, `${inside} ${uid} 1`);
    this.write(`${prefix}GidMap`, `/proc/${pid}/gid_map`, `${inside} ${gid} 1`);
  }

  /** unshare(CLONE_NEWUSER | extra) and map the caller's own ids to 0: root in a user namespace it owns. */
  becomeRoot(prefix: string, who: ScriptIdentity, extraFlags = 0): Step<'sys'> {
    const label = this.sys(`${prefix}Unshare`, 'unshare', CLONE.NEWUSER | extraFlags);
    this.mapIds(prefix, 'self', who.uid, who.gid);
    return label;
  }

  /** In the unprivileged mode, become root in a new user namespace first; real root acts as itself. */
  privileged(prefix: string, who: ScriptIdentity, extraFlags = 0): void {
    if (who.mode === 'unprivileged') this.becomeRoot(prefix, who, extraFlags);
    else if (extraFlags) this.sys(`${prefix}Unshare`, 'unshare', extraFlags);
  }

  get lines(): readonly string[] {
    return this.#lines;
  }

  /** "op args" of a labelled step, for failure messages. */
  describe(label: string): string {
    return this.#described.get(label) ?? label;
  }

  has(label: string): boolean {
    return this.#described.has(label);
  }
}
