// Joining through a PID file descriptor: nstype is a mask, applied all or nothing — setns(2) "fd is a PID file descriptor"; pidfd_open(2).
import { CLONE, expect, ref, Script, type SpecClaim } from '../../harness/kit.ts';
import { holdNamespaces, releaseHolder } from './steps.ts';

const { at } = expect;
const ns = (kind: string) => `facts.ns.${kind}.ino`;

export const maskJoinsListedKinds: SpecClaim = {
  key: 'pidfd-mask',
  kinds: ['ipc', 'pid', 'net', 'uts'],
  claim:
    "setns(pidfd, CLONE_NEWUTS|CLONE_NEWNET) enters exactly the target's UTS and network namespaces and keeps the caller's others; pidfd_open of a child in a new PID namespace, by the caller's PID for it, works",
  specIds: ['SETNS-14', 'SETNS-19'],
  manPage: 'setns(2) "fd is a PID file descriptor"; pidfd_open(2)',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    holdNamespaces(s, 'target', CLONE.NEWUTS | CLONE.NEWNET | CLONE.NEWIPC | CLONE.NEWPID, 0, (t) => {
      t.facts('targetFacts');
    });
    s.sys('pidfd', 'pidfd_open', ref('target'), 0);
    s.fork('joiner', 'clone3', 0, (c) => {
      c.facts('before');
      c.setns('join', 'pidfd', CLONE.NEWUTS | CLONE.NEWNET);
      c.facts('after');
    });
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'target', 0);
    return s;
  },
  checks: () => [
    expect.ok('pidfd', 'pidfd_open of a PID from a descendant namespace, in the caller numbering'),
    expect.ok('join'),
    expect.differ(at('before', ns('uts')), at('targetFacts', ns('uts')), 'the joiner started in other namespaces'),
    expect.same(at('targetFacts', ns('uts')), at('after', ns('uts')), 'the UTS namespace was joined'),
    expect.same(at('targetFacts', ns('net')), at('after', ns('net')), 'the network namespace was joined'),
    expect.same(at('before', ns('ipc')), at('after', ns('ipc')), 'the IPC namespace, not in the mask, was kept'),
    expect.differ(at('targetFacts', ns('ipc')), at('after', ns('ipc'))),
    expect.same(
      at('before', ns('pid_for_children')),
      at('after', ns('pid_for_children')),
      'the PID namespace, not in the mask, was kept',
    ),
    expect.same(at('before', ns('mnt')), at('after', ns('mnt'))),
  ],
};

export const maskIsAllOrNothing: SpecClaim = {
  key: 'pidfd-atomic',
  kinds: ['user', 'uts', 'time'],
  claim:
    "setns with a PID file descriptor is all or nothing: when CLONE_NEWUSER (the caller's own user namespace, EINVAL) or CLONE_NEWTIME (from a multithreaded caller: undocumented, EUSERS on 6.18 per spec D10, EINVAL on 6.1) cannot be joined, the UTS namespace in the same mask is not joined either",
  specIds: ['SETNS-15'],
  manPage: 'setns(2) "fd is a PID file descriptor"',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }, { kind: 'clone3-time' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    holdNamespaces(s, 'target', CLONE.NEWUTS | CLONE.NEWTIME | CLONE.PIDFD, 0);
    s.stat('targetUts', '/proc/{target}/ns/uts');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.stat('utsBefore', '/proc/self/ns/uts');
      c.setns('withUser', 'target_pidfd', CLONE.NEWUTS | CLONE.NEWUSER);
      c.stat('utsAfterUser', '/proc/self/ns/uts');
      c.thread('secondThread');
      c.setns('withTime', 'target_pidfd', CLONE.NEWUTS | CLONE.NEWTIME);
      c.stat('utsAfterTime', '/proc/self/ns/uts');
      c.setns('utsAlone', 'target_pidfd', CLONE.NEWUTS);
      c.stat('utsJoined', '/proc/self/ns/uts');
    });
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'target', 0);
    return s;
  },
  checks: () => [
    expect.differ(at('targetUts', 'ino'), at('utsBefore', 'ino'), 'the joiner started in another UTS namespace'),
    expect.errno('withUser', 'EINVAL'),
    expect.same(
      at('utsBefore', 'ino'),
      at('utsAfterUser', 'ino'),
      'UTS namespace unchanged after the failed CLONE_NEWUSER mask',
    ),
    expect.ok('secondThread'),
    // Undocumented (spec D10): 6.18 says EUSERS, 6.1 EINVAL; what the claim is about is that nothing was joined.
    expect.errno('withTime', ['EUSERS', 'EINVAL']),
    expect.same(
      at('utsBefore', 'ino'),
      at('utsAfterTime', 'ino'),
      'UTS namespace unchanged after the failed CLONE_NEWTIME mask',
    ),
    expect.ok('utsAlone', 'the UTS namespace alone can be joined from the same caller'),
    expect.same(at('targetUts', 'ino'), at('utsJoined', 'ino')),
  ],
};

export const pidfdSetnsErrors: SpecClaim = {
  key: 'pidfd-setns-errors',
  kinds: ['uts'],
  claim:
    'setns with a PID file descriptor gives EINVAL for an nstype of 0 or with a bit that names no namespace, and ESRCH once the process has exited and been reaped',
  specIds: ['SETNS-16', 'SETNS-17'],
  manPage: 'setns(2) ERRORS EINVAL, ESRCH',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    holdNamespaces(s, 'live', CLONE.NEWUTS | CLONE.PIDFD, 0);
    s.fork('gone', 'clone3', CLONE.NEWUTS | CLONE.PIDFD, () => {});
    s.wait('goneExit', 'gone');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('zero', 'live_pidfd', 0);
      c.setns('notNamespace', 'live_pidfd', CLONE.NEWUTS | CLONE.VM);
      c.setns('reaped', 'gone_pidfd', CLONE.NEWUTS);
      c.setns('liveUts', 'live_pidfd', CLONE.NEWUTS);
    });
    s.wait('joinerExit', 'joiner');
    releaseHolder(s, 'live', 0);
    return s;
  },
  checks: () => [
    expect.errno('zero', 'EINVAL'),
    expect.errno('notNamespace', 'EINVAL'),
    expect.ok('goneExit'),
    expect.errno('reaped', 'ESRCH'),
    expect.ok('liveUts', "the same caller may join the live process's UTS namespace"),
  ],
};

export const pidfdOpenErrors: SpecClaim = {
  key: 'pidfd-open-errors',
  kinds: [],
  claim:
    'pidfd_open gives EINVAL for an unknown flag or a pid of 0 or -1, and ESRCH for a process that has exited and been reaped',
  specIds: ['SETNS-19'],
  manPage: 'pidfd_open(2) ERRORS',
  priv: 'A',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: () => {
    const s = new Script();
    s.sys('self', 'getpid');
    s.sys('own', 'pidfd_open', ref('self'), 0);
    s.sys('unknownFlag', 'pidfd_open', ref('self'), 1);
    s.sys('zero', 'pidfd_open', 0, 0);
    s.sys('negative', 'pidfd_open', -1, 0);
    s.fork('gone', 'clone3', 0, () => {});
    s.wait('goneExit', 'gone');
    s.sys('reaped', 'pidfd_open', ref('gone'), 0);
    return s;
  },
  checks: () => [
    expect.ok('own'),
    expect.errno('unknownFlag', 'EINVAL'),
    expect.errno('zero', 'EINVAL'),
    expect.errno('negative', 'EINVAL'),
    expect.ok('goneExit'),
    expect.errno('reaped', 'ESRCH'),
  ],
};
