// Per-flag semantics of clone(2)/clone3(): which namespaces a child gets — clone(2) flag list; namespaces(7).
import { type Check, CLONE, expect, NAMESPACES, Script, type SpecClaim } from '../../harness/kit.ts';
import { readNsLinks } from './ops.ts';

const { at } = expect;
/** Field 38 of /proc/[pid]/stat (exit_signal): the 36th field after the ")" that ends comm (a lookbehind, so the match is the field). */
const EXIT_SIGNAL_FIELD = /(?<=\)\s(?:\S+\s){35})(\d+)/;

export const eachFlagMakesOneNamespace: SpecClaim = {
  key: 'one-flag-one-namespace',
  kinds: ['mnt', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup', 'time'],
  claim:
    "each CLONE_NEW* flag alone gives the clone3 child a new namespace of exactly that type; every other type keeps the parent's",
  specIds: ['CLONE-01'],
  manPage: 'clone(2) flag list; namespaces(7) "The namespaces API"',
  priv: 'U',
  needs: [{ kind: 'clone3-time' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    readNsLinks(s, 'parent');
    for (const { name: kind, flag } of NAMESPACES) {
      s.fork(`new_${kind}`, 'clone3', flag, (c) => readNsLinks(c, kind));
      s.wait(`wait_${kind}`, `new_${kind}`);
    }
    return s;
  },
  checks: () =>
    NAMESPACES.flatMap(({ name: kind }): Check[] => [
      expect.ok(`new_${kind}`),
      ...NAMESPACES.map(({ name: other }) =>
        other === kind
          ? expect.differ(
              at(`parent_${other}`, 'text'),
              at(`${kind}_${other}`, 'text'),
              `CLONE_NEW${kind}: a new ${other} namespace`,
            )
          : expect.same(
              at(`parent_${other}`, 'text'),
              at(`${kind}_${other}`, 'text'),
              `CLONE_NEW${kind} leaves the ${other} namespace`,
            ),
      ),
      expect.exitCode(`wait_${kind}`, 0),
    ]),
};

export const newUserNeedsNoPrivilege: SpecClaim = {
  key: 'newuser-unprivileged',
  kinds: ['user'],
  claim:
    'a caller without capabilities may use CLONE_NEWUSER with clone and clone3: the child is in a new user namespace',
  specIds: ['CLONE-03'],
  manPage: 'clone(2) CLONE_NEWUSER; namespaces(7)',
  priv: 'N',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    s.readlink('parentUser', '/proc/self/ns/user');
    s.fork('viaClone3', 'clone3', CLONE.NEWUSER, (c) => c.readlink('clone3User', '/proc/self/ns/user'));
    s.wait('clone3Exit', 'viaClone3');
    s.fork('viaClone', 'clone', CLONE.NEWUSER, (c) => c.readlink('cloneUser', '/proc/self/ns/user'));
    s.wait('cloneExit', 'viaClone');
    return s;
  },
  checks: () => [
    expect.ok('viaClone3'),
    expect.differ(at('parentUser', 'text'), at('clone3User', 'text')),
    expect.exitCode('clone3Exit', 0),
    expect.ok('viaClone'),
    expect.differ(at('parentUser', 'text'), at('cloneUser', 'text')),
    expect.exitCode('cloneExit', 0),
  ],
};

export const clone3MakesTimeNamespace: SpecClaim = {
  key: 'clone3-newtime',
  kinds: ['time'],
  claim:
    'clone3(CLONE_NEWTIME) starts the child in a new time namespace (man page: only unshare creates one; kernel ≥ 5.8 does it through clone3, spec D8)',
  specIds: ['CLONE-07'],
  manPage: 'time_namespaces(7); namespaces(7) table',
  priv: 'U',
  needs: [{ kind: 'clone3-time' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.readlink('parentTime', '/proc/self/ns/time');
    s.fork('child', 'clone3', CLONE.NEWTIME, (c) => c.readlink('childTime', '/proc/self/ns/time'));
    s.wait('childExit', 'child');
    s.readlink('parentAfter', '/proc/self/ns/time');
    return s;
  },
  checks: () => [
    expect.ok('child'),
    expect.differ(at('parentTime', 'text'), at('childTime', 'text'), "the child's time namespace"),
    expect.same(at('parentTime', 'text'), at('parentAfter', 'text'), "the caller's own time namespace is unchanged"),
    expect.exitCode('childExit', 0),
  ],
};

export const cloneCannotMakeTimeNamespace: SpecClaim = {
  key: 'clone-newtime-is-signal',
  kinds: ['time'],
  claim:
    'raw clone() with CLONE_NEWTIME|SIGCHLD makes no time namespace: 0x80 is read as exit-signal bits (spec D9) or refused with EINVAL (D14), as the kernel decides',
  specIds: ['CLONE-08'],
  manPage: 'clone(2) "The child termination signal"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.readlink('parentTime', '/proc/self/ns/time');
    // The builder adds SIGCHLD (17) to the low byte: 0x80 | 17 = 145.
    s.fork('child', 'clone', CLONE.NEWTIME, (c) => {
      c.readlink('childTime', '/proc/self/ns/time');
      c.post('ready', 0);
      c.await('release', 1);
    });
    s.await('waitReady', 0);
    s.read('childStat', '/proc/{child}/stat');
    s.post('done', 1);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [expect.ok('parentTime')],
  // Either way no time namespace is created (spec D9, D14).
  variants: [
    {
      id: 'D9: 0x80 is exit-signal bits',
      kernels: ['6.1', '6.18'],
      checks: () => [
        expect.ok('child'),
        expect.same(
          at('parentTime', 'text'),
          at('childTime', 'text'),
          "the child stays in the caller's time namespace",
        ),
        expect.equals(
          at('childStat', 'text', EXIT_SIGNAL_FIELD),
          145,
          'exit_signal (field 38 of /proc/[pid]/stat) = 0x80 | SIGCHLD',
        ),
        expect.exitCode('childExit', 0),
      ],
    },
    {
      id: 'D14: refused with EINVAL',
      kernels: ['7.2.13'],
      checks: () => [expect.errno('child', 'EINVAL', 'legacy clone() refuses bit 0x80: no child, no time namespace')],
    },
  ],
};
