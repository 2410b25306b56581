// The /proc/<pid>/ns directory: which entries exist, what they link to, and when two match — namespaces(7) "The /proc/[pid]/ns/ directory".
import { type Check, expect, NAMESPACES, Script, type SpecClaim } from '../../harness/kit.ts';

const { at } = expect;

/** Every entry the table says a process has: one per kind, plus the *_for_children ones. */
export const NS_ENTRIES: readonly { entry: string; type: string }[] = NAMESPACES.flatMap((kind) => [
  { entry: kind.procEntry, type: kind.procEntry },
  ...(kind.forChildrenEntry ? [{ entry: kind.forChildrenEntry, type: kind.procEntry }] : []),
]);

const S_IFLNK = 0o120000;
const S_IFMT_NEXT = 0o130000;
const INO = /:\[(\d+)\]$/;

export const entriesPresent: SpecClaim = {
  key: 'entries-present',
  kinds: [],
  claim: '/proc/self/ns holds an entry for every namespace kind, pid_for_children and time_for_children',
  specIds: ['NS-01'],
  manPage: 'namespaces(7) "The /proc/[pid]/ns/ directory"; proc(5) /proc/pid/ns',
  priv: 'A',
  script: () => {
    const s = new Script();
    s.readdir('dir', '/proc/self/ns');
    return s;
  },
  checks: () =>
    NS_ENTRIES.map(({ entry }): Check =>
      expect.matches(at('dir', 'names'), new RegExp(`(^| )${entry}( |$)`), `entry ${entry}`),
    ),
};

export const linksNameTypeAndInode: SpecClaim = {
  key: 'link-format',
  kinds: [],
  claim: 'every /proc/self/ns entry is a symbolic link reading TYPE:[INODE], whose inode is the st_ino stat() gives',
  specIds: ['NS-02'],
  manPage: 'namespaces(7) "The /proc/[pid]/ns/ directory"',
  priv: 'A',
  script: () => {
    const s = new Script();
    for (const { entry } of NS_ENTRIES) {
      s.lstat(`l_${entry}`, `/proc/self/ns/${entry}`);
      s.readlink(`r_${entry}`, `/proc/self/ns/${entry}`);
      s.stat(`s_${entry}`, `/proc/self/ns/${entry}`);
    }
    return s;
  },
  checks: () =>
    NS_ENTRIES.flatMap(({ entry, type }): Check[] => [
      expect.compare(at(`l_${entry}`, 'mode'), '>=', S_IFLNK, 'S_ISLNK'),
      expect.compare(at(`l_${entry}`, 'mode'), '<', S_IFMT_NEXT, 'S_ISLNK'),
      expect.matches(at(`r_${entry}`, 'text'), new RegExp(`^${type}:\\[\\d+\\]$`)),
      expect.same(at(`s_${entry}`, 'ino'), at(`r_${entry}`, 'text', INO)),
    ]),
};

export const sameNamespaceSameIdentity: SpecClaim = {
  key: 'same-namespace-same-identity',
  kinds: [],
  claim: 'a parent and a child in the same namespaces see identical (st_dev, st_ino) for every /proc/self/ns entry',
  specIds: ['NS-03'],
  manPage: 'namespaces(7) "The /proc/[pid]/ns/ directory"',
  priv: 'A',
  script: () => {
    const s = new Script();
    for (const { entry } of NS_ENTRIES) s.stat(`p_${entry}`, `/proc/self/ns/${entry}`);
    s.fork('child', 'clone3', 0, (c) => {
      for (const { entry } of NS_ENTRIES) c.stat(`c_${entry}`, `/proc/self/ns/${entry}`);
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () =>
    NS_ENTRIES.flatMap(({ entry }): Check[] => [
      expect.same(at(`p_${entry}`, 'dev'), at(`c_${entry}`, 'dev')),
      expect.same(at(`p_${entry}`, 'ino'), at(`c_${entry}`, 'ino')),
    ]),
};
