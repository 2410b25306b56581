// Builds the step lines of a script (native/PROTOCOL.md "script"): the child gathers facts, nothing else.
import { AT_FDCWD, CLONE, O } from './constants.ts';
import { num, str, token, type Arg } from './encode.ts';
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
function givesUpRoot(name: string, args: readonly Arg[]): boolean {
  return ['setuid', 'setreuid', 'setresuid'].includes(name) && args.slice(1).some((arg) => typeof arg === 'number' && arg !== 0 && arg !== -1);
}

const LABEL = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;

/** System calls a script can make that a seccomp filter or an old kernel may refuse (harness/env/kernel-probes.ts canaries). */
export type ScriptCall = 'unshare' | 'setns' | 'clone3' | 'cloneNamespaceFlags' | 'reboot';

/** Filesystems the kernel lets a user namespace mount only where the runner sees all of one already (mount_too_revealing). */
export type RevealingFs = 'proc' | 'sysfs';

const NAMESPACE_BITS = NAMESPACES.reduce((bits, kind) => bits | kind.flag, 0);
/** clone(2) takes CLONE_NEWTIME's bit as part of the exit signal, so it is no namespace flag there. */
const CLONE_NAMESPACE_BITS = NAMESPACE_BITS & ~CLONE.NEWTIME;

/** Ops of native/src that make one of those calls, and which argument holds their flags (-1: none). */
const OP_CALLS: Readonly<Record<string, { call: ScriptCall; flagsArg: number; kinds?: readonly NamespaceName[] }>> = {
  probe: { call: 'unshare', flagsArg: 0 },
  nestuser: { call: 'unshare', flagsArg: -1, kinds: ['user'] },
  pidnest: { call: 'unshare', flagsArg: -1, kinds: ['pid'] },
  bareclone3: { call: 'clone3', flagsArg: 0 },
  settid: { call: 'clone3', flagsArg: -1 },
  settiddeep: { call: 'clone3', flagsArg: -1 },
  setns_clockmark: { call: 'setns', flagsArg: -1 },
  setns_clockshift: { call: 'setns', flagsArg: -1 },
};

export class Script {
  readonly #lines: string[] = [];
  readonly #described = new Map<string, string>();
  readonly #calls = new Set<ScriptCall>();
  readonly #kinds = new Set<NamespaceName>();
  readonly #ops = new Set<string>();
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

  /** A map written by the first process: "/proc/{child}/…" before it left the creator's namespace, "/proc/self/…" just after. */
  #recordMapWrite(path: string, data: string): void {
    const which = /^\/proc\/(self|\{\w+\})\/(uid|gid|projid)_map$/.exec(path);
    if (!which || this.#forkDepth > 0 || this.#userLevel !== (which[1] === 'self' ? 1 : 0)) return;
    const ids = this.#outerIds[which[2] as 'uid' | 'gid' | 'projid'];
    for (const line of data.split('\n')) {
      const [, outside, count] = line.trim().split(/\s+/).map(Number);
      if (Number.isInteger(outside) && Number.isInteger(count) && count! > 0) ids.add(outside!).add(outside! + count! - 1);
    }
  }

  /** Notes the calls a step makes and the kinds it asks to create, so a script's needs are derived, never declared by hand. */
  #record(op: string, args: readonly Arg[]): void {
    const flagsAt = (index: number): number => {
      const value = args[index];
      return typeof value === 'number' ? value : 0;
    };
    const creates = (flags: number, bits = NAMESPACE_BITS): void => {
      for (const kind of NAMESPACES) if (flags & bits & kind.flag) this.#kinds.add(kind.name);
      if (flags & bits & CLONE.NEWUSER && this.#unprivileged.at(-1)) this.#createsUserUnprivileged = true;
    };
    const viaClone = (mode: Arg | undefined, flags: number): void => {
      if (mode === 'clone3') {
        this.#calls.add('clone3');
        creates(flags);
      } else {
        if (flags & CLONE_NAMESPACE_BITS) this.#calls.add('cloneNamespaceFlags');
        creates(flags, CLONE_NAMESPACE_BITS);
      }
    };
    if (op === 'poll') return this.#record(String(args[2]), args.slice(3));
    if ((op === 'write' || op === 'pwrite') && /\/timens_offsets$/.test(String(args[0])) && !this.#unprivileged.at(-1)) {
      // Outside every user namespace the script made, the writer needs CAP_SYS_TIME in the runner's own (time_namespaces(7)).
      this.require({ kind: 'capability', cap: 'SYS_TIME', for: 'writing timens_offsets of a time namespace it owns' });
    }
    if (op === 'write' || op === 'pwrite') return this.#recordMapWrite(String(args[0]), String(args[1]));
    if (op === 'fork' || op === 'bareclone') return viaClone(args[0], flagsAt(1));
    if (op === 'run') return viaClone('clone', flagsAt(0));
    if (op === 'sys') {
      const name = args[0];
      if (name === 'unshare') {
        this.#calls.add('unshare');
        creates(flagsAt(1));
        if (this.#forkDepth === 0 && flagsAt(1) & CLONE.NEWUSER) this.#userLevel += 1;
        if (flagsAt(1) & CLONE.NEWUSER) this.#unprivileged[this.#unprivileged.length - 1] = true;
      } else if (name === 'setns') this.#calls.add('setns');
      else if (name === 'reboot') this.#calls.add('reboot');
      else if (name === 'mount' && (args[3] === 's:proc' || args[3] === 's:sysfs')) {
        const fs = args[3] === 's:proc' ? 'proc' : 'sysfs';
        this.#revealingMounts.set(fs, Boolean(this.#revealingMounts.get(fs)) || Boolean(this.#unprivileged.at(-1)));
      }
      else if (givesUpRoot(String(name), args)) this.#unprivileged[this.#unprivileged.length - 1] = true;
      else if (name === 'clone' || name === 'clone3') viaClone(name, flagsAt(1));
      return;
    }
    const known = OP_CALLS[op];
    if (!known) return;
    this.#calls.add(known.call);
    if (known.flagsArg >= 0) creates(flagsAt(known.flagsArg));
    for (const kind of known.kinds ?? []) this.#kinds.add(kind);
    // nestuser creates user namespaces inside the ones it made: every level past the first is unprivileged.
    if (op === 'nestuser') this.#createsUserUnprivileged = true;
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
  get outerIds(): { readonly uid: ReadonlySet<number>; readonly gid: ReadonlySet<number>; readonly projid: ReadonlySet<number> } {
    return this.#outerIds;
  }

  /** Every op the script uses. */
  get ops(): ReadonlySet<string> {
    return this.#ops;
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

  /** Adds one step; labels name its result for later steps ($label, {label}) and for the judge. */
  step(label: string, op: string, ...args: Arg[]): string {
    if (!LABEL.test(label) || label === 'end') throw new Error(`script label must be a short identifier other than "end": ${JSON.stringify(label)}`);
    if (this.#described.has(label)) throw new Error(`script label used twice: ${label}`);
    const words = args.map((arg) => (typeof arg === 'number' ? num(arg) : token(arg)));
    const line = [label, op, ...words].join(' ');
    this.#described.set(label, [op, ...args.map((arg) => (typeof arg === 'number' ? num(arg) : arg))].join(' '));
    this.#lines.push(line);
    this.#ops.add(op);
    this.#record(op, args);
    return label;
  }

  sys(label: string, name: string, ...args: Arg[]): string {
    return this.step(label, 'sys', name, ...args);
  }

  /** A child made by clone3 or raw clone; `body` runs in it, and it exits 0 at the end of the block. */
  fork(label: string, mode: ForkMode, flags: number, body: (child: Script) => void, exitSignal?: number): string {
    const rawFlags = mode === 'clone' ? flags | (exitSignal ?? 17) : flags;
    this.step(label, 'fork', mode, rawFlags, ...(exitSignal === undefined || mode === 'clone' ? [] : [exitSignal]));
    this.#forkDepth += 1;
    this.#unprivileged.push(Boolean(this.#unprivileged.at(-1)) || Boolean(flags & CLONE.NEWUSER));
    body(this);
    this.#unprivileged.pop();
    this.#forkDepth -= 1;
    this.#lines.push('end');
    return label;
  }

  wait(label: string, pid: string | number, options = 0): string {
    return this.step(label, 'wait', typeof pid === 'number' ? pid : `$${pid}`, options);
  }

  read(label: string, path: string): string {
    return this.step(label, 'read', path);
  }

  readlink(label: string, path: string): string {
    return this.step(label, 'readlink', path);
  }

  stat(label: string, path: string): string {
    return this.step(label, 'stat', path);
  }

  lstat(label: string, path: string): string {
    return this.step(label, 'lstat', path);
  }

  fstat(label: string, fd: string): string {
    return this.step(label, 'fstat', `$${fd}`);
  }

  readdir(label: string, path: string): string {
    return this.step(label, 'readdir', path);
  }

  /** open + (lseek to offset) + one write; the host guard refuses paths outside the script's own namespaces. */
  write(label: string, path: string, data: string, offset?: number): string {
    return this.step(label, 'write', path, data, ...(offset === undefined ? [] : [offset]));
  }

  pwrite(label: string, path: string, data: string, offset: number): string {
    return this.step(label, 'pwrite', path, data, offset);
  }

  open(label: string, path: string, flags: number = O.RDONLY | O.CLOEXEC): string {
    return this.sys(label, 'openat', AT_FDCWD, str(path), flags, 0);
  }

  setns(label: string, fd: string, nstype = 0): string {
    return this.sys(label, 'setns', `$${fd}`, nstype);
  }

  clocks(label: string): string {
    return this.step(label, 'clocks');
  }

  facts(label: string): string {
    return this.step(label, 'facts');
  }

  /** A throw-away child calls unshare(flags): the step's result is that call's. */
  probe(label: string, flags: number): string {
    return this.step(label, 'probe', flags);
  }

  /** Repeats probe(flags) until its outcome is `expect` ("ok" or an errno name) or `withinMs` passed. */
  pollProbe(label: string, expect: string, withinMs: number, flags: number): string {
    return this.step(label, 'poll', expect, withinMs, 'probe', flags);
  }

  /** Repeats any op until its outcome is `expect` ("ok", an errno name, or "r=N") or `withinMs` passed. */
  poll(label: string, expect: string, withinMs: number, op: string, ...args: Arg[]): string {
    return this.step(label, 'poll', expect, withinMs, op, ...args);
  }

  /**
   * An ordinary tool started as a runtime starts one: clone(flags), then execve(path, [argv0, ...args]);
   * output in `text`, exit status in `code`. With `mapTo`, the parent writes "0 uid 1" maps first.
   */
  run(label: string, flags: number, mapTo: { uid: number; gid: number } | null, path: string, argv0: string, ...args: string[]): string {
    if (mapTo && this.#forkDepth === 0 && this.#userLevel === 0) {
      this.#outerIds.uid.add(mapTo.uid);
      this.#outerIds.gid.add(mapTo.gid);
    }
    return this.step(label, 'run', flags, mapTo ? `${mapTo.uid}:${mapTo.gid}` : '-', path, argv0, ...args);
  }

  post(label: string, event: number): string {
    return this.step(label, 'post', event);
  }

  await(label: string, event: number): string {
    return this.step(label, 'await', event);
  }

  thread(label: string): string {
    return this.step(label, 'thread');
  }

  /** execve of the observer, which reports its /proc/self/status identity lines and clocks under this label. */
  exec(label: string): string {
    return this.step(label, 'exec');
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
  becomeRoot(prefix: string, who: ScriptIdentity, extraFlags = 0): string {
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
