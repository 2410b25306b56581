// The environment as report properties (name → value) and as the `nsconform env` diagnosis.
import { NAMESPACES } from '../namespaces.ts';
import { PRIVILEGE_MODES } from '../privilege-mode.ts';
import type { Environment } from './environment.ts';
import { CANARIES, type CanaryName } from './kernel-probes.ts';
import type { Probe } from './probe.ts';
import { containmentRestriction, creationRestriction, explain, type Restriction } from './restrictions.ts';
import { detectRestrictions, syscallRestriction } from './restriction-list.ts';
import { describeCgroupPlace } from '../run/run-cgroup.ts';

const probe = (value: Probe): string => `${value.state}: ${value.detail}`;

export function describeEnvironment(env: Environment): Array<[string, string]> {
  const { host } = env;
  const uncontainedBy = containmentRestriction(env);
  return [
    ['kernel.release', host.kernelRelease],
    ['kernel.version', host.kernelVersion],
    ['kernel.config', env.kernelConfig?.source ?? '(not published)'],
    ...(env.otherKernel ? [['kernel.implementation', env.otherKernel] as [string, string]] : []),
    ['machine', host.machine],
    ['node', host.nodeVersion],
    ['runner.uid', String(host.euid)],
    ['runner.capEff', host.effectiveCaps],
    ['runner.capLastCap', `${host.capLastCap} (${host.capLastCapSource})`],
    ['runner.seccomp', `mode ${host.seccomp.mode ?? 'unknown'}, filters ${host.seccomp.filters ?? 'unknown'}`],
    ['runner.lsm', host.lsms?.join(',') ?? '(unreadable)'],
    ['runner.apparmorLabel', host.apparmorLabel ?? '(none)'],
    ['runner.chrooted', `${host.chrooted ?? 'unknown'} (${host.chrootEvidence})`],
    ['runner.pidNamespaceDepth', `${host.pidNamespaceDepth.exact ? '' : 'at least '}${host.pidNamespaceDepth.value}`],
    ['runner.userNamespaceDepth', probe(env.userNamespaceDepth)],
    [
      'probe.realRoot',
      env.initialUserNs.state === 'yes' && host.euid === 0
        ? 'yes: uid 0 in the initial user namespace'
        : `no: ${env.initialUserNs.detail}`,
    ],
    // The observer contains cases when it runs as uid 0 (native/PROTOCOL.md "Containment").
    [
      'runner.containment',
      host.euid !== 0
        ? 'none: a non-root runner cannot create those namespaces; cases run uncontained with the host guard only'
        : uncontainedBy
          ? `none: ${explain(uncontainedBy)}; cases run uncontained with the host guard only`
          : "each case in its own PID, mount, UTS and IPC namespaces, the host's mounts read-only but its scratch dir",
    ],
    ['runner.cgroup', describeCgroupPlace()],
    ['probe.unprivilegedIds', env.unprivilegedIds],
    ['probe.clone3', probe(env.clone3)],
    ['probe.clone3Time', probe(env.clone3Time)],
    ['probe.privilegedAct', probe(env.privilegedAct)],
    ['probe.initialUserNs', probe(env.initialUserNs)],
    ['probe.busybox', probe(env.busybox)],
    ['probe.veth', probe(env.veth)],
    ...(Object.keys(CANARIES) as CanaryName[]).map((name): [string, string] => [
      `probe.canary.${name}`,
      env.canaries[name].detail,
    ]),
    ...NAMESPACES.map((kind): [string, string] => [`probe.built.${kind.name}`, probe(env.built[kind.name])]),
    ...PRIVILEGE_MODES.flatMap((mode) =>
      NAMESPACES.map((kind): [string, string] => [
        `probe.creatable.${mode.name}.${kind.name}`,
        probe(env.creatable[mode.name][kind.name]),
      ]),
    ),
    ...Object.entries(host.sysctls).map(([name, value]): [string, string] => [`sysctl.${name}`, value ?? '(absent)']),
    ...detectRestrictions(env).map((restriction, index): [string, string] => [
      `restriction.${index + 1}`,
      `${restriction.name} (${restriction.evidence}) — ${restriction.lift}`,
    ]),
  ];
}

const CALL_WIDTH = Math.max(...Object.values(CANARIES).map((canary) => canary.call.length));

const CREATING_CALLS: readonly CanaryName[] = ['unshare', 'clone3', 'cloneNamespaceFlags'];

function verdict(env: Environment, restriction: Restriction | null): string {
  if (restriction) return `missing — ${restriction.name}`;
  const open = CREATING_CALLS.filter((name) => !syscallRestriction(env, name)).map((name) =>
    CANARIES[name].call.replace(/\(.*/, ''),
  );
  if (open.length === 0) return 'missing — no call that creates namespaces reaches the kernel (see System calls)';
  return open.length === CREATING_CALLS.length ? 'available' : `available through ${open.join(', ')} only`;
}

/** In the manner of lxc-checkconfig: each kind and mode, available or not and why, then each restriction with its fix. */
export function diagnose(env: Environment): string {
  const { host } = env;
  const lines = [
    `Kernel: Linux ${host.kernelRelease} ${host.kernelVersion} (${host.machine})${env.otherKernel ? ` — ${env.otherKernel}` : ''}`,
    `Kernel config: ${env.kernelConfig?.source ?? 'not published (no /proc/config.gz or /boot/config-<release>)'}`,
    `Runner: uid ${host.euid}, CapEff ${host.effectiveCaps}, ${env.initialUserNs.state === 'yes' ? 'initial user namespace' : 'nested user namespace'}, PID namespace depth ${host.pidNamespaceDepth.exact ? '' : '≥ '}${host.pidNamespaceDepth.value}`,
    `Seccomp: mode ${host.seccomp.mode ?? 'unknown'}${host.seccomp.filters === null ? '' : `, ${host.seccomp.filters} filter${host.seccomp.filters === 1 ? '' : 's'}`}; LSMs: ${host.lsms?.join(',') ?? 'unreadable'}; AppArmor label: ${host.apparmorLabel ?? 'none'}; chroot: ${host.chrooted === null ? 'unknown' : host.chrooted ? 'yes' : 'no'} (${host.chrootEvidence})`,
    `Unprivileged mode runs as: ${env.unprivilegedIds}`,
    `Case cgroups: ${describeCgroupPlace()}`,
    '',
    'Namespaces:',
    ...NAMESPACES.flatMap((kind) =>
      PRIVILEGE_MODES.map(
        (mode) =>
          `  ${kind.name.padEnd(7)} ${mode.name.padEnd(13)} ${verdict(env, creationRestriction(env, kind.name, mode.name))}`,
      ),
    ),
    '',
    'System calls:',
    ...(Object.keys(CANARIES) as CanaryName[]).map(
      (name) =>
        `  ${CANARIES[name].call.padEnd(CALL_WIDTH)} ${syscallRestriction(env, name) ? `refused — ${env.canaries[name].detail}` : `reaches the kernel (${env.canaries[name].detail})`}`,
    ),
    '',
  ];
  const restrictions = detectRestrictions(env);
  if (restrictions.length === 0) lines.push('Restrictions: none found; every case can run.');
  else {
    lines.push('Restrictions (cases they stop are skipped, naming them):');
    for (const restriction of restrictions)
      lines.push(
        `  - ${restriction.name}`,
        `      evidence: ${restriction.evidence}`,
        `      fix: ${restriction.lift}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
