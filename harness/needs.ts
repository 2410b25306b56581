// Needs are data: a case lists them, and this module turns an unmet one into a skip reason.
import { getNamespace, type NamespaceName } from './namespaces.ts';
import type { PrivilegeModeName } from './privilege-mode.ts';
import type { Environment } from './env/environment.ts';
import { no, yes, type Probe } from './env/probe.ts';
import { findTool, type Tool } from './vm/tools.ts';
import { probeFilesystem, probeRootBlockDevice } from './env/filesystems.ts';

export type Need =
  | { kind: 'real-root' }
  | { kind: 'kernel-has'; ns: NamespaceName }
  | { kind: 'can-create'; ns: NamespaceName; mode: PrivilegeModeName }
  | { kind: 'clone3' }
  | { kind: 'clone3-time' }
  /** The runner is in the initial user namespace: claims about "the initial namespace" only hold there (spec §2 note 4). */
  | { kind: 'initial-user-ns' }
  /** A host program a scenario runs inside the namespaces, and how to install it. */
  | { kind: 'tool'; tool: Tool }
  | { kind: 'busybox' }
  | { kind: 'veth' }
  /** Ops whose children run without a stack are written in this architecture's assembly. */
  | { kind: 'machine'; machine: string }
  | { kind: 'filesystem'; name: string }
  | { kind: 'root-block-device' };

export type NeedAnswer = { met: true } | { met: false; reason: string } | { met: 'unknown'; reason: string };

/** A plain sentence for what the need asks, used in skip messages and in `nsconform list`. */
export function describeNeed(need: Need): string {
  switch (need.kind) {
    case 'real-root':
      return 'needs real root (uid 0 with CAP_SYS_ADMIN in the initial user namespace)';
    case 'kernel-has': {
      const kind = getNamespace(need.ns);
      return `needs a kernel with ${need.ns} namespaces (${kind.kconfig ?? 'always built in'}, since ${kind.firstKernel})`;
    }
    case 'can-create': {
      const kind = getNamespace(need.ns);
      return need.mode === 'root'
        ? `needs to create ${need.ns} namespaces as root (${kind.flagName})`
        : `needs to create ${need.ns} namespaces unprivileged (${need.ns === 'user' ? 'unprivileged user namespaces' : `CLONE_NEWUSER|${kind.flagName}`})`;
    }
    case 'clone3':
      return 'needs clone3(2) (since Linux 5.3)';
    case 'clone3-time':
      return 'needs clone3(2) to create time namespaces (since Linux 5.8)';
    case 'initial-user-ns':
      return 'needs to run in the initial user namespace (uid_map "0 0 4294967295")';
    case 'tool':
      return `needs the host tool ${need.tool.command} (${need.tool.install})`;
    case 'busybox':
      return "needs a static BusyBox (Debian's busybox-static package)";
    case 'veth':
      return 'needs veth pairs (CONFIG_VETH)';
    case 'machine':
      return `needs a ${need.machine} machine (its child runs register-only code without a stack)`;
    case 'filesystem':
      return `needs the ${need.name} filesystem`;
    case 'root-block-device':
      return 'needs a root filesystem on a block device';
  }
}

function probeTool(tool: Tool): Probe {
  try {
    return yes(findTool(tool));
  } catch {
    return no(`${tool.command} is not in PATH`);
  }
}

function probeFor(need: Need, env: Environment): Probe {
  switch (need.kind) {
    case 'real-root':
      return env.realRoot;
    case 'kernel-has':
      return env.built[need.ns];
    case 'can-create':
      return env.creatable[need.mode][need.ns];
    case 'clone3':
      return env.clone3;
    case 'clone3-time':
      return env.clone3Time;
    case 'initial-user-ns':
      return env.initialUserNs;
    case 'tool':
      return probeTool(need.tool);
    case 'busybox':
      return env.busybox;
    case 'veth':
      return env.veth;
    case 'machine':
      return env.host.machine === need.machine ? yes(env.host.machine) : no(`this machine is ${env.host.machine}`);
    case 'filesystem':
      return probeFilesystem(need.name);
    case 'root-block-device':
      return probeRootBlockDevice();
  }
}

export function evaluateNeed(need: Need, env: Environment): NeedAnswer {
  const probe = probeFor(need, env);
  if (probe.state === 'yes') return { met: true };
  const sentence = `${describeNeed(need)}: ${probe.detail}`;
  return probe.state === 'no' ? { met: false, reason: sentence } : { met: 'unknown', reason: `probe could not tell — ${sentence}` };
}

/** The first unmet or undecidable need decides: unknown is an error, unmet is a skip. */
export function evaluateNeeds(needs: readonly Need[], env: Environment): NeedAnswer {
  for (const need of needs) {
    const answer = evaluateNeed(need, env);
    if (answer.met !== true) return answer;
  }
  return { met: true };
}
