// Opening ns entries, and how the pid and *_for_children links move — namespaces(7), pid_namespaces(7) "setns(2) and unshare(2) semantics".
import { AT_FDCWD, CLONE, expect, MS, O, Script, type SpecClaim, str } from '../../harness/kit.ts';

const { at } = expect;

export const openGivesNamespaceDescriptor: SpecClaim = {
  key: 'open-and-bind-mount',
  kinds: ['mnt', 'uts'],
  claim:
    'open() on an ns entry, or on a bind mount of it, gives a descriptor whose fstat matches the link and that setns() accepts',
  specIds: ['NS-04'],
  manPage: 'namespaces(7) "The /proc/[pid]/ns/ directory"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who, CLONE.NEWNS);
    s.sys('utsNs', 'unshare', CLONE.NEWUTS);
    s.stat('link', '/proc/self/ns/uts');
    s.open('fd', '/proc/self/ns/uts');
    s.fstat('fdStat', 'fd');
    s.setns('enter', 'fd', CLONE.NEWUTS);
    s.sys('target', 'openat', AT_FDCWD, str('{scratch}/uts-pin'), O.CREAT | O.WRONLY | O.CLOEXEC, 0o600);
    s.sys('bind', 'mount', str('/proc/self/ns/uts'), str('{scratch}/uts-pin'), 0, MS.BIND, 0);
    s.open('boundFd', '{scratch}/uts-pin');
    s.fstat('boundStat', 'boundFd');
    s.setns('enterBound', 'boundFd', CLONE.NEWUTS);
    return s;
  },
  checks: () => [
    expect.ok('utsNs'),
    expect.same(at('link', 'ino'), at('fdStat', 'ino')),
    expect.same(at('link', 'dev'), at('fdStat', 'dev')),
    expect.ok('enter'),
    expect.ok('bind'),
    expect.same(at('link', 'ino'), at('boundStat', 'ino'), 'the bind mount is the same namespace'),
    expect.ok('enterBound'),
  ],
};

export const pidLinkNeverChanges: SpecClaim = {
  key: 'pid-link-stays',
  kinds: ['pid'],
  claim:
    '/proc/self/ns/pid does not change on unshare(CLONE_NEWPID) nor on setns into another PID namespace; pid_for_children does',
  specIds: ['NS-05', 'NS-06'],
  manPage: 'namespaces(7) /proc/pid/ns/pid; pid_namespaces(7) "setns(2) and unshare(2) semantics"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.stat('before', '/proc/self/ns/pid');
    s.fork('other', 'clone3', CLONE.NEWPID, (c) => {
      c.await('hold', 0);
    });
    s.sys('unshare', 'unshare', CLONE.NEWPID);
    s.stat('afterUnshare', '/proc/self/ns/pid');
    s.open('otherFd', '/proc/{other}/ns/pid');
    s.setns('enter', 'otherFd', CLONE.NEWPID);
    s.stat('afterSetns', '/proc/self/ns/pid');
    s.stat('forChildren', '/proc/self/ns/pid_for_children');
    s.stat('otherPid', '/proc/{other}/ns/pid');
    s.post('release', 0);
    s.wait('otherExit', 'other');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.same(at('before', 'ino'), at('afterUnshare', 'ino')),
    expect.ok('enter'),
    expect.same(at('before', 'ino'), at('afterSetns', 'ino')),
    expect.same(at('otherPid', 'ino'), at('forChildren', 'ino'), 'pid_for_children names the namespace entered'),
  ],
};

export const forChildrenBeforeFirstChild: SpecClaim = {
  key: 'for-children-links',
  kinds: ['pid', 'time'],
  claim:
    "after unshare(CLONE_NEWPID) pid_for_children names the first child's namespace once it exists (before it: ENOENT, spec D1, or that namespace at once, D15; the man page says an empty buffer); time_for_children names the new time namespace at once",
  specIds: ['NS-06', 'TIME-01'],
  manPage: 'namespaces(7) "/proc/[pid]/ns/pid_for_children"; time_namespaces(7)',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.readlink('timeBefore', '/proc/self/ns/time');
    s.sys('unshare', 'unshare', CLONE.NEWPID | CLONE.NEWTIME);
    s.readlink('empty', '/proc/self/ns/pid_for_children');
    s.readlink('timeNow', '/proc/self/ns/time');
    s.readlink('timeChildren', '/proc/self/ns/time_for_children');
    s.fork('first', 'clone3', 0, (c) => {
      c.readlink('childPid', '/proc/self/ns/pid');
      c.await('hold', 0);
    });
    s.readlink('filled', '/proc/self/ns/pid_for_children');
    s.post('release', 0);
    s.wait('firstExit', 'first');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.same(at('childPid', 'text'), at('filled', 'text')),
    expect.same(at('timeBefore', 'text'), at('timeNow', 'text'), 'the caller itself stays in its time namespace'),
    expect.differ(at('timeNow', 'text'), at('timeChildren', 'text'), 'time_for_children names the new one'),
  ],
  // The page says an empty buffer; no kernel seen gives one.
  variants: [
    {
      id: 'D1: ENOENT until the first child',
      kernels: ['6.1', '6.18'],
      checks: () => [expect.errno('empty', 'ENOENT', 'spec D1: the page says an empty buffer')],
    },
    {
      id: 'D15: the new namespace at once',
      kernels: ['7.2.13'],
      checks: () => [
        expect.same(
          at('empty', 'text'),
          at('filled', 'text'),
          'spec D15: it names the namespace the first child then lands in',
        ),
      ],
    },
  ],
};
