// Probes through the observer, for information and as evidence: syscall canaries, creation tries, one privileged act.
import { NAMESPACES, getNamespace, type NamespaceKind, type NamespaceName } from '../namespaces.ts';
import type { PrivilegeModeName } from '../privilege-mode.ts';
import type { CreationPathName } from '../creation-path.ts';
import type { ObserverPool } from '../observer/pool.ts';
import type { DropIds } from '../observer/request.ts';
import type { RunRecord } from '../observer/record.ts';
import { Script } from '../script/builder.ts';
import { CLONE } from '../script/constants.ts';
import { str } from '../script/encode.ts';
import { ScriptRun } from '../script/run.ts';
import { no, unknown, yes, type Probe } from './probe.ts';

const PROBE_TIMEOUT_MS = 10000;

/** What a syscall answered: "ok", an errno name, or why nothing could be told. */
export type CallAnswer = { readonly errno: string | null; readonly detail: string };

/**
 * Calls that reach the kernel only to be refused for their arguments, so they create nothing: the
 * kernel answers unshare(0) with 0, setns(-1, 0) with EBADF, clone3(NULL, 0) with EINVAL and
 * clone(CLONE_NEWNS|CLONE_FS) with EINVAL. Anything else (EPERM, ENOSYS) is a filter in the way.
 * reboot() checks CAP_SYS_BOOT before its magic numbers, so it is asked by the init of a fresh USER|PID
 * namespace, which holds that capability there: the kernel says EINVAL, Docker's default profile EPERM.
 */
export const CANARIES = {
  unshare: { expect: 'ok', call: 'unshare(0)' },
  setns: { expect: 'EBADF', call: 'setns(-1, 0)' },
  clone3: { expect: 'EINVAL', call: 'clone3(NULL, 0)' },
  cloneNamespaceFlags: { expect: 'EINVAL', call: 'clone(CLONE_NEWNS|CLONE_FS)' },
  reboot: { expect: 'EINVAL', call: 'reboot(0, 0, 0, 0) in a new USER|PID namespace' },
} as const;
export type CanaryName = keyof typeof CANARIES;

export async function probeCanaries(pool: ObserverPool): Promise<Record<CanaryName, CallAnswer>> {
  const s = new Script();
  s.sys('unshare', 'unshare', 0);
  s.sys('setns', 'setns', -1, 0);
  s.sys('clone3', 'clone3', 0, 0);
  s.sys('cloneNamespaceFlags', 'clone', CLONE.NEWNS | CLONE.FS, 0, 0, 0, 0);
  s.fork('rebootInit', 'clone', CLONE.NEWUSER | CLONE.NEWPID, (c) => void c.sys('reboot', 'reboot', 0, 0, 0, 0));
  s.wait('rebootInitExit', 'rebootInit');
  const answers = {} as Record<CanaryName, CallAnswer>;
  try {
    const run = new ScriptRun(
      await pool.script({ drop: null, timeoutMs: PROBE_TIMEOUT_MS, scratch: null, lines: s.lines }),
    );
    for (const name of Object.keys(CANARIES) as CanaryName[]) {
      const step = run.step(name);
      const errno = step ? (step.r < 0 ? (step.e ?? `r=${step.r}`) : 'ok') : null;
      const init = run.step('rebootInit');
      const untried =
        name === 'reboot' && init && init.r < 0
          ? `not tried: clone(CLONE_NEWUSER|CLONE_NEWPID) gives ${init.e}`
          : 'no result';
      answers[name] = {
        errno,
        detail: errno ? `${CANARIES[name].call} gives ${errno}` : `${CANARIES[name].call}: ${untried}`,
      };
    }
  } catch (error) {
    for (const name of Object.keys(CANARIES) as CanaryName[])
      answers[name] = { errno: null, detail: `canary script: ${(error as Error).message}` };
  }
  return answers;
}

/** A canary that answered otherwise than the kernel does: the call is filtered. */
export function canaryRefused(answer: CallAnswer, name: CanaryName): boolean {
  return answer.errno !== null && answer.errno !== CANARIES[name].expect;
}

function describeCall(path: CreationPathName, flags: string): string {
  return `${path}(${flags})`;
}

function judgeCreation(record: RunRecord, call: string): Probe {
  if (record.outcome !== 'observed')
    return unknown(`${call}: ${record.outcome}${'reason' in record && record.reason ? `: ${record.reason}` : ''}`);
  if (!record.creation.ok) return no(`${call} failed with ${record.creation.errno}`);
  if (!record.child) return unknown(`${call} succeeded but the child died before reporting`);
  return yes(`${call} succeeded`);
}

/** Tries the real call: for information and for naming a filter, never alone the reason for a skip. */
export async function probeCreation(
  pool: ObserverPool,
  path: CreationPathName,
  kinds: readonly NamespaceKind[],
  drop: DropIds | null,
): Promise<Probe> {
  const flags = kinds.reduce((bits, kind) => (bits | kind.flag) >>> 0, 0);
  const call = describeCall(path, kinds.map((kind) => kind.flagName).join('|') || '0');
  try {
    const record = await pool.run({
      path,
      cloneFlags: flags,
      drop,
      timeoutMs: PROBE_TIMEOUT_MS,
      scratch: null,
      hostname: null,
      ops: [],
    });
    return judgeCreation(record, call);
  } catch (error) {
    return unknown(`${call}: ${(error as Error).message}`);
  }
}

export async function probeCreatable(
  pool: ObserverPool,
  mode: PrivilegeModeName,
  asRoot: boolean,
  drop: DropIds | null,
): Promise<Record<NamespaceName, Probe>> {
  const user = getNamespace('user');
  const entries = await Promise.all(
    NAMESPACES.map(async (kind) => {
      if (mode === 'root' && !asRoot) return [kind.name, no('not tried: the runner is not root')] as const;
      const kinds = mode === 'root' || kind === user ? [kind] : [user, kind];
      return [kind.name, await probeCreation(pool, 'unshare', kinds, mode === 'root' ? null : drop)] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<NamespaceName, Probe>;
}

/**
 * One privileged act inside a fresh user namespace, as the unprivileged mode's creator: sethostname in
 * USER|UTS. A policy that lets creation succeed but withholds capabilities (AppArmor's
 * restrict_unprivileged_userns) shows here as EPERM after a successful unshare.
 */
export async function probePrivilegedAct(pool: ObserverPool, drop: DropIds | null): Promise<Probe> {
  const s = new Script();
  s.sys('unshare', 'unshare', CLONE.NEWUSER | CLONE.NEWUTS);
  s.sys('sethostname', 'sethostname', str('nsconform-probe'), 15);
  try {
    const run = new ScriptRun(await pool.script({ drop, timeoutMs: PROBE_TIMEOUT_MS, scratch: null, lines: s.lines }));
    const made = run.step('unshare'),
      act = run.step('sethostname');
    if (!made) return unknown('unshare(CLONE_NEWUSER|CLONE_NEWUTS): no result');
    if (made.r < 0) return unknown(`not tried: unshare(CLONE_NEWUSER|CLONE_NEWUTS) failed with ${made.e}`);
    if (!act) return unknown('sethostname in the new namespace: no result');
    return act.r < 0
      ? no(`unshare(CLONE_NEWUSER|CLONE_NEWUTS) succeeds, then sethostname there fails with ${act.e}`)
      : yes('sethostname in a new USER|UTS namespace succeeds');
  } catch (error) {
    return unknown(`privileged act: ${(error as Error).message}`);
  }
}
