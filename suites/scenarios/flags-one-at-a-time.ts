// Scenario 2, a Go-style program adding one flag at a time (UTS → IPC → PID → mount → user → net), checked with host tools at each step — namespaces(7).
import {
  type Check,
  CLONE,
  expect,
  HOST_TOOLS,
  IPC,
  MS,
  type NamespaceName,
  needsTools,
  Script,
  type ScriptIdentity,
  type SpecClaim,
  str,
  toolPath,
} from '../../harness/kit.ts';

const { at } = expect;
const WALK_NAME = 'nsc-walk';

/** Fallback devices a new net namespace may hold when tunnel drivers are loaded (net.core.fb_tunnels_only_for_init_net = 0). */
const FALLBACK_DEVICES = ['tunl0', 'sit0', 'ip6tnl0', 'gre0', 'gretap0', 'erspan0', 'ip_vti0', 'ip6_vti0', 'ip6gre0'];
const LINK_LINE = new RegExp(
  `^\\d+: (lo|${FALLBACK_DEVICES.join('|')})(@\\S+)?: <(?![^>]*\\bUP\\b)[^>]*>[^\\n]*state DOWN[^\\n]*$`,
);

interface Step {
  readonly key: string;
  readonly kinds: readonly NamespaceName[];
  readonly flags: number;
  readonly claim: string;
  readonly specIds: readonly string[];
  readonly manPage: string;
  readonly tools: (keyof typeof HOST_TOOLS)[];
  readonly body: (s: Script, who: ScriptIdentity) => void;
  readonly checks: (who: ScriptIdentity) => Check[];
}

const UTS = CLONE.NEWUTS;
const UTS_IPC = UTS | CLONE.NEWIPC;
const UTS_IPC_PID = UTS_IPC | CLONE.NEWPID;
const UTS_IPC_PID_MNT = UTS_IPC_PID | CLONE.NEWNS;

/** Every step's child starts with the hostname change, so each step keeps what the earlier ones showed. */
function common(c: Script): void {
  c.run('setName', 0, null, toolPath(HOST_TOOLS.hostname), 'hostname', WALK_NAME);
  c.run('nameInside', 0, null, toolPath(HOST_TOOLS.hostname), 'hostname');
}

const commonChecks: Check[] = [
  expect.equals(at('nameInside', 'text'), `${WALK_NAME}\n`, '`hostname` inside'),
  expect.same(at('hostName', 'text'), at('hostNameAfter', 'text'), '`hostname` outside is unchanged'),
];

/**
 * The host's queue is private (IPC_PRIVATE, IPC_EXCL, 0600): no fixed key another run or user could hold or
 * open. `ipcs -q -i <its id>` shows it outside; inside, the new namespace has no queue of that id.
 */
const NOT_FOUND = /^ipcs: id \d+ not found\n$/;

const STEPS: Step[] = [
  {
    key: 'walk-1-uts',
    kinds: ['uts'],
    flags: UTS,
    claim: 'step 1, CLONE_NEWUTS (host hostname): `hostname` inside shows the new name, outside the old one',
    specIds: ['UTS-02'],
    manPage: 'uts_namespaces(7)',
    tools: ['hostname'],
    body: () => {},
    checks: () => [],
  },
  {
    key: 'walk-2-ipc',
    kinds: ['uts', 'ipc'],
    flags: UTS_IPC,
    claim:
      'step 2, + CLONE_NEWIPC (host ipcs): a SysV queue created on the host is listed by `ipcs -q` outside and not inside',
    specIds: ['IPC-01'],
    manPage: 'ipc_namespaces(7)',
    tools: ['hostname', 'ipcs'],
    body: (c) => c.run('ipcsInside', 0, null, toolPath(HOST_TOOLS.ipcs), 'ipcs', '-q', '-i', '{queue}'),
    checks: () => [
      expect.ok('queue'),
      expect.same(at('queue'), at('ipcsHost', 'text', /^Message Queue msqid=(\d+)$/m), 'the host lists its queue'),
      expect.matches(at('ipcsInside', 'text'), NOT_FOUND, 'the new IPC namespace has no queue of that id'),
    ],
  },
  {
    key: 'walk-3-pid',
    kinds: ['uts', 'ipc', 'pid'],
    flags: UTS_IPC_PID,
    claim:
      "step 3, + CLONE_NEWPID (host sh): the first process is pid 1, and a shell started as a namespace's first process prints 1 for `echo $$`",
    specIds: ['PID-01'],
    manPage: 'pid_namespaces(7)',
    tools: ['hostname'],
    body: (c) => c.sys('childPid', 'getpid'),
    checks: () => [
      expect.ret('childPid', 1),
      expect.equals(at('shellPid', 'text'), '1\n', '`sh -c "echo $$"` cloned with the same flags'),
    ],
  },
  {
    key: 'walk-4-mnt',
    kinds: ['mnt', 'uts', 'ipc', 'pid'],
    flags: UTS_IPC_PID_MNT,
    claim:
      "step 4, + CLONE_NEWNS (host ps): after mounting proc on /proc, `ps -e` lists only the namespace's processes",
    specIds: ['PID-01', 'MNT-01'],
    manPage: 'pid_namespaces(7) "/proc and PID namespaces"',
    tools: ['hostname', 'ps'],
    body: (c) => {
      c.sys('mountProc', 'mount', str('proc'), str('/proc'), str('proc'), MS.NOSUID | MS.NODEV | MS.NOEXEC, 0);
      c.run('ps', 0, null, toolPath(HOST_TOOLS.ps), 'ps', '-e', '-o', 'pid=,comm=');
    },
    checks: () => [
      expect.ok('mountProc'),
      expect.matches(at('ps', 'text'), /^\s*1 \S+\n\s*\d+ ps\n$/, 'pid 1 and ps itself'),
    ],
  },
  {
    key: 'walk-5-user',
    kinds: ['mnt', 'uts', 'ipc', 'pid', 'user'],
    flags: UTS_IPC_PID_MNT | CLONE.NEWUSER,
    claim:
      'step 5, + CLONE_NEWUSER (host id): `id` shows nobody (65534) before a mapping exists and root once uid/gid 0 are mapped',
    specIds: ['USER-01'],
    manPage: 'user_namespaces(7) "User and group ID mappings"',
    tools: ['hostname', 'id'],
    body: (c) => {
      // `id` in a further user namespace nobody has mapped yet, then in the child, whose ids the parent mapped.
      c.run('idUnmapped', CLONE.NEWUSER, null, toolPath(HOST_TOOLS.id), 'id');
      c.run('idMapped', 0, null, toolPath(HOST_TOOLS.id), 'id');
    },
    checks: () => [
      expect.matches(at('idUnmapped', 'text'), /^uid=65534\(\w+\) gid=65534\(\w+\)/),
      expect.ok('firstUidMap'),
      expect.matches(at('idMapped', 'text'), /^uid=0\(root\) gid=0\(root\)/),
    ],
  },
  {
    key: 'walk-6-net',
    kinds: ['mnt', 'uts', 'ipc', 'pid', 'net', 'user'],
    flags: UTS_IPC_PID_MNT | CLONE.NEWUSER | CLONE.NEWNET,
    claim: `step 6, + CLONE_NEWNET (host ip): \`ip -o link\` lists lo and, where tunnel drivers are loaded, only their fallback devices (${FALLBACK_DEVICES.join(', ')}), all DOWN`,
    specIds: ['NET-01'],
    manPage: 'network_namespaces(7); clone(2) CLONE_NEWNET',
    tools: ['hostname', 'ip'],
    body: (c) => c.run('links', 0, null, toolPath(HOST_TOOLS.ip), 'ip', '-o', 'link'),
    checks: () => [
      expect.matches(at('links', 'text'), /^1: lo: /, 'lo comes first'),
      expect.matches(
        at('links', 'text'),
        new RegExp(`^(${LINK_LINE.source.slice(1, -1)}\\n)+$`),
        'every line lo or a fallback device, DOWN',
      ),
    ],
  },
];

function scriptOf(step: Step): (who: ScriptIdentity) => Script {
  return (who) => {
    const s = new Script();
    if (step.key === 'walk-2-ipc') {
      s.sys('queue', 'msgget', IPC.PRIVATE, IPC.CREAT | IPC.EXCL | 0o600);
      s.run('ipcsHost', 0, null, toolPath(HOST_TOOLS.ipcs), 'ipcs', '-q', '-i', '{queue}');
    }
    // Unprivileged, the walk runs in a user namespace of its own from the start (as a rootless runtime does).
    if (!(step.flags & CLONE.NEWUSER)) s.privileged('p', who);
    s.run('hostName', 0, null, toolPath(HOST_TOOLS.hostname), 'hostname');
    s.fork('child', 'clone3', step.flags, (c) => {
      if (step.flags & CLONE.NEWUSER) {
        c.await('mappedFirst', 0);
      }
      common(c);
      step.body(c, who);
    });
    if (step.flags & CLONE.NEWUSER) {
      // The child sets its hostname first, so it is mapped to root before it starts.
      s.mapIds('first', '{child}', who.uid, who.gid);
      s.post('goFirst', 0);
    }
    if (step.key === 'walk-3-pid') s.run('shellPid', step.flags, null, '/bin/sh', 'sh', '-c', 'echo $$');
    s.wait('childExit', 'child');
    s.run('hostNameAfter', 0, null, toolPath(HOST_TOOLS.hostname), 'hostname');
    return s;
  };
}

export const walkClaims: SpecClaim[] = STEPS.map((step) => ({
  key: step.key,
  kinds: step.kinds,
  claim: `flags one at a time, ${step.claim}`,
  specIds: step.specIds,
  manPage: step.manPage,
  priv: 'U',
  needs: needsTools(...step.tools.map((tool) => HOST_TOOLS[tool])),
  script: scriptOf(step),
  checks: (who) => [...commonChecks, ...step.checks(who)],
}));
