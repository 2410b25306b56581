// Builds the step lines of a script (native/PROTOCOL.md "script"): the child gathers facts, nothing else.
import { AT_FDCWD, CLONE, O } from './constants.ts';
import { num, str, token, type Arg } from './encode.ts';

export type ForkMode = 'clone' | 'clone3';

/** The ids a script's first process runs as, and the mode it stands for. */
export interface ScriptIdentity {
  readonly mode: 'root' | 'unprivileged';
  readonly uid: number;
  readonly gid: number;
}

/** What the observer accepts as a label (native/src/script_parse.c); "end" alone closes a fork block. */
const LABEL = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;

export class Script {
  readonly #lines: string[] = [];
  readonly #described = new Map<string, string>();

  /** Adds one step; labels name its result for later steps ($label, {label}) and for the judge. */
  step(label: string, op: string, ...args: Arg[]): string {
    if (!LABEL.test(label) || label === 'end') throw new Error(`script label must be a short identifier other than "end": ${JSON.stringify(label)}`);
    if (this.#described.has(label)) throw new Error(`script label used twice: ${label}`);
    const words = args.map((arg) => (typeof arg === 'number' ? num(arg) : token(arg)));
    const line = [label, op, ...words].join(' ');
    this.#described.set(label, [op, ...args.map((arg) => (typeof arg === 'number' ? num(arg) : arg))].join(' '));
    this.#lines.push(line);
    return label;
  }

  sys(label: string, name: string, ...args: Arg[]): string {
    return this.step(label, 'sys', name, ...args);
  }

  /** A child made by clone3 or raw clone; `body` runs in it, and it exits 0 at the end of the block. */
  fork(label: string, mode: ForkMode, flags: number, body: (child: Script) => void, exitSignal?: number): string {
    const rawFlags = mode === 'clone' ? flags | (exitSignal ?? 17) : flags;
    this.step(label, 'fork', mode, rawFlags, ...(exitSignal === undefined || mode === 'clone' ? [] : [exitSignal]));
    body(this);
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
