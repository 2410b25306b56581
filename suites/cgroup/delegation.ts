// The nsdelegate mount option outside the initial namespaces — cgroups(7) "Cgroups v2 delegation: nsdelegate and cgroup namespaces".
import { cgroup2Mount, CLONE, expect, Script, type SpecClaim, str } from '../../harness/kit.ts';

const { at } = expect;
/** The superblock options of a cgroup2 mountinfo line (the last field). */
const SUPER_OPTIONS = / - cgroup2 \S+ (\S+)$/;

export const nsdelegateIgnoredOutsideInitial: SpecClaim = {
  key: 'nsdelegate-ignored',
  kinds: ['mnt', 'cgroup'],
  claim:
    'nsdelegate given when mounting cgroup2 from a new mount and cgroup namespace is silently ignored: the mount succeeds and the cgroup2 options stay as they were',
  specIds: ['CG-06'],
  manPage: 'cgroups(7) "Cgroups v2 delegation: nsdelegate and cgroup namespaces"',
  priv: 'R',
  needs: [{ kind: 'cgroup2', writable: false }],
  script: () => {
    const s = new Script();
    const host = cgroup2Mount();
    s.op.cg_mountline('hostBefore', host);
    // Only from a new cgroup namespace: there the kernel leaves the hierarchy-wide root flags alone.
    s.fork('mounter', 'clone3', CLONE.NEWNS | CLONE.NEWCGROUP, (c) => {
      c.sys('mkdir', 'mkdir', str('{scratch}/cg'), 0o755);
      c.sys('mount', 'mount', str('cgroup2'), str('{scratch}/cg'), str('cgroup2'), 0, str('nsdelegate'));
      c.op.cg_mountline('own', '{scratch}/cg');
    });
    s.wait('mounterExit', 'mounter');
    s.op.cg_mountline('hostAfter', host);
    return s;
  },
  checks: () => [
    expect.ok('mount', 'the option is accepted without an error'),
    expect.same(
      at('hostBefore', 'line', SUPER_OPTIONS),
      at('own', 'line', SUPER_OPTIONS),
      'the new mount shows the options the host already had',
    ),
    expect.same(
      at('hostBefore', 'line', SUPER_OPTIONS),
      at('hostAfter', 'line', SUPER_OPTIONS),
      "the host's cgroup2 options did not change",
    ),
  ],
};
