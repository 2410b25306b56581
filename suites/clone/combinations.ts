// Several CLONE_NEW* flags in one clone3() call: what changes and which user namespace owns the result — user_namespaces(7).
import {
  type Check,
  CLONE,
  expect,
  type NamespaceName,
  NAMESPACES,
  NS_IOCTL,
  ref,
  Script,
  type SpecClaim,
} from '../../harness/kit.ts';
import { readNsLinks } from './ops.ts';

const { at } = expect;
const OTHERS = NAMESPACES.filter(({ name }) => name !== 'user');
const ALL_OTHERS = OTHERS.reduce((flags, { flag }) => flags | flag, 0);

interface FlagSet {
  readonly name: string;
  readonly kinds: readonly NamespaceName[];
  readonly flags: number;
}
/** Each non-user flag alone, and all seven together (the matrix suite tries every subset). */
const SINGLES: readonly FlagSet[] = OTHERS.map(({ name: kind, flag }) => ({ name: kind, kinds: [kind], flags: flag }));
const ALL: readonly FlagSet[] = [{ name: 'all', kinds: OTHERS.map(({ name }) => name), flags: ALL_OTHERS }];

/**
 * For each set: a clone3 child (with `extra` added to the flags) reads its ns links and, when `owners`,
 * for every namespace it was given the user namespace NS_GET_USERNS names (fstat) and its own (stat).
 * (A script keeps at most 128 step results, so the owners are asked in a script of their own.)
 */
function cloneEachSet(s: Script, sets: readonly FlagSet[], extra: number, owners: boolean): void {
  readNsLinks(s, 'parent');
  s.stat('parentUserNs', '/proc/self/ns/user');
  for (const set of sets) {
    s.fork(`c_${set.name}`, 'clone3', extra | set.flags, (c) => {
      readNsLinks(c, set.name);
      c.stat(`${set.name}_userNs`, '/proc/self/ns/user');
      for (const kind of owners ? set.kinds : []) {
        c.open(`${set.name}_fd_${kind}`, `/proc/self/ns/${kind}`);
        c.sys(`${set.name}_owner_${kind}`, 'ioctl', ref(`${set.name}_fd_${kind}`), NS_IOCTL.GET_USERNS);
        c.fstat(`${set.name}_ownst_${kind}`, `${set.name}_owner_${kind}`);
      }
    });
    s.wait(`w_${set.name}`, `c_${set.name}`);
  }
}

/** Exactly `changed` differ from the parent; every namespace made is owned by `owner` ("child" or "parent" user ns). */
function setChecks(
  sets: readonly FlagSet[],
  extraChanged: readonly NamespaceName[],
  owner: 'child' | 'parent' | null,
): Check[] {
  return sets.flatMap((set) => {
    const changed = [...set.kinds, ...extraChanged];
    const ownerRef = owner === 'child' ? at(`${set.name}_userNs`, 'ino') : at('parentUserNs', 'ino');
    return [
      expect.ok(`c_${set.name}`),
      ...NAMESPACES.map(({ name: kind }) =>
        changed.includes(kind)
          ? expect.differ(
              at(`parent_${kind}`, 'text'),
              at(`${set.name}_${kind}`, 'text'),
              `set ${set.name}: a new ${kind} namespace`,
            )
          : expect.same(
              at(`parent_${kind}`, 'text'),
              at(`${set.name}_${kind}`, 'text'),
              `set ${set.name}: the ${kind} namespace is kept`,
            ),
      ),
      ...(owner ? set.kinds : []).flatMap((kind) => [
        expect.ok(`${set.name}_owner_${kind}`),
        expect.same(
          ownerRef,
          at(`${set.name}_ownst_${kind}`, 'ino'),
          `set ${set.name}: the owner of the new ${kind} namespace`,
        ),
      ]),
      expect.exitCode(`w_${set.name}`, 0),
    ];
  });
}

/** The child's own user namespace is a new one. */
const newUserChecks = (sets: readonly FlagSet[]): Check[] =>
  sets.map((set) =>
    expect.differ(
      at('parentUserNs', 'ino'),
      at(`${set.name}_userNs`, 'ino'),
      `set ${set.name}: the child's own user namespace is new`,
    ),
  );

export const newUserWithEachFlag: SpecClaim = {
  key: 'newuser-with-each-flag',
  kinds: ['mnt', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup', 'time'],
  claim:
    'clone3(CLONE_NEWUSER | one other CLONE_NEW* flag) works without privilege: the child differs in exactly that namespace and the user one',
  specIds: ['COMBO-01'],
  manPage: 'user_namespaces(7) "Interaction of user namespaces and other types of namespaces"',
  priv: 'U',
  needs: [{ kind: 'clone3-time' }],
  script: () => {
    const s = new Script();
    cloneEachSet(s, SINGLES, CLONE.NEWUSER, false);
    return s;
  },
  checks: () => [...setChecks(SINGLES, ['user'], null), ...newUserChecks(SINGLES)],
};

export const newUserOwnsTheRest: SpecClaim = {
  key: 'newuser-owns-the-rest',
  kinds: ['mnt', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup', 'time'],
  claim:
    'clone3(CLONE_NEWUSER with all seven other CLONE_NEW* flags) works without privilege: the child differs in all eight namespaces, and NS_GET_USERNS names its new user namespace as the owner of each other one',
  specIds: ['COMBO-01', 'COMBO-02'],
  manPage:
    'user_namespaces(7) "Interaction of user namespaces and other types of namespaces"; ioctl_ns(2) NS_GET_USERNS',
  priv: 'U',
  needs: [{ kind: 'clone3-time' }],
  script: () => {
    const s = new Script();
    cloneEachSet(s, ALL, CLONE.NEWUSER, true);
    return s;
  },
  checks: () => [...setChecks(ALL, ['user'], 'child'), ...newUserChecks(ALL)],
};

export const realRootWithoutNewUser: SpecClaim = {
  key: 'root-without-newuser',
  kinds: ['mnt', 'uts', 'ipc', 'pid', 'net', 'cgroup', 'time'],
  claim:
    "real root may use all seven non-user CLONE_NEW* flags without CLONE_NEWUSER: exactly those namespaces change, and the caller's user namespace owns them",
  specIds: ['COMBO-03'],
  manPage: 'clone(2); user_namespaces(7) "Interaction of user namespaces and other types of namespaces"',
  priv: 'R',
  needs: [{ kind: 'clone3-time' }],
  script: () => {
    const s = new Script();
    cloneEachSet(s, ALL, 0, true);
    return s;
  },
  checks: () => setChecks(ALL, [], 'parent'),
};
