// What the death of a PID namespace's init does to its members and to later forks — pid_namespaces(7) "The namespace init process".
import { CLONE, expect, Script, SIG, type SpecClaim } from '../../harness/kit.ts';

/** An event no step posts: a process awaiting it waits until it is killed. */
const NEVER = 15;
const { at } = expect;

export const initExitKillsMembers: SpecClaim = {
  key: 'init-exit-kills-members',
  kinds: ['pid'],
  claim:
    'when the init of a PID namespace exits, every other member gets SIGKILL, including members of a PID namespace nested in it',
  specIds: ['PID-07'],
  manPage: 'pid_namespaces(7) "The namespace init process"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      c.post('initReady', 0);
      c.await('initRelease', 1);
    });
    s.await('ready', 0);
    // Members forked from outside (setns), so this process can wait for them and see how they ended.
    s.open('nsFd', '/proc/{init}/ns/pid');
    s.setns('join', 'nsFd', CLONE.NEWPID);
    s.fork('member', 'clone3', 0, (m) => {
      // A member makes a nested PID namespace (only a process whose own namespace is the init's may) and its init.
      m.sys('nestUnshare', 'unshare', CLONE.NEWPID);
      m.fork('nestedInit', 'clone3', 0, (n) => {
        n.readlink('nestedNs', '/proc/self/ns/pid');
        n.post('nestedInitReady', 3);
        n.await('nestedNever', NEVER);
      });
      m.post('memberReady', 2);
      m.await('memberNever', NEVER);
    });
    s.await('memberUp', 2);
    s.await('nestedInitUp', 3);
    // The member's pid_for_children is the nested namespace (it has an init, so the link opens).
    s.open('nestedFd', '/proc/{member}/ns/pid_for_children');
    s.setns('joinNested', 'nestedFd', CLONE.NEWPID);
    s.fork('deep', 'clone3', 0, (d) => {
      d.readlink('deepNs', '/proc/self/ns/pid');
      d.post('deepReady', 4);
      d.await('deepNever', NEVER);
    });
    s.await('deepUp', 4);
    s.post('release', 1);
    // Members first: an init's exit completes only once its members are reaped (spec note 5).
    s.wait('memberExit', 'member');
    s.wait('deepExit', 'deep');
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('join'),
    expect.ok('nestUnshare'),
    expect.ok('nestedInit'),
    expect.ok('joinNested'),
    expect.same(
      at('nestedNs', 'text'),
      at('deepNs', 'text'),
      'the process forked after the second setns is in the nested namespace',
    ),
    expect.exitCode('initExit', 0, 'the init itself exited normally'),
    expect.killedBy('memberExit', 'SIGKILL', 'a member of the namespace'),
    expect.killedBy('deepExit', 'SIGKILL', 'a member of the nested PID namespace'),
  ],
};

export const killedInitKillsMembers: SpecClaim = {
  key: 'killed-init-kills-members',
  kinds: ['pid'],
  claim:
    'SIGKILL from the parent namespace kills the init, and then every other member of its PID namespace gets SIGKILL',
  specIds: ['PID-07', 'PID-11'],
  manPage: 'pid_namespaces(7) "The namespace init process"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      c.post('initReady', 0);
      c.await('initNever', NEVER);
    });
    s.await('ready', 0);
    s.open('nsFd', '/proc/{init}/ns/pid');
    s.setns('join', 'nsFd', CLONE.NEWPID);
    s.fork('member', 'clone3', 0, (m) => {
      m.post('memberReady', 2);
      m.await('memberNever', NEVER);
    });
    s.await('memberUp', 2);
    s.sys('killInit', 'kill', '$init', SIG.KILL);
    s.wait('memberExit', 'member');
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('join'),
    expect.ret('killInit', 0),
    expect.killedBy('initExit', 'SIGKILL', 'SIGKILL from an ancestor namespace always reaches the init'),
    expect.killedBy('memberExit', 'SIGKILL', 'the member dies with its init'),
  ],
};

export const noForkAfterInitDied: SpecClaim = {
  key: 'fork-after-init-died-enomem',
  kinds: ['pid'],
  claim:
    'after the init has exited, setns() into its PID namespace through a kept descriptor still works but fork() there fails with ENOMEM',
  specIds: ['PID-08'],
  manPage: 'pid_namespaces(7) "The namespace init process"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      c.post('initReady', 0);
      c.await('initRelease', 1);
    });
    s.await('ready', 0);
    s.open('nsFd', '/proc/{init}/ns/pid');
    s.post('release', 1);
    s.wait('initExit', 'init');
    s.setns('join', 'nsFd', CLONE.NEWPID);
    s.fork('late', 'clone3', 0, () => undefined);
    return s;
  },
  checks: () => [
    expect.exitCode('initExit', 0),
    expect.ok('join'),
    expect.errno('late', 'ENOMEM', 'fork into a namespace whose init has died'),
  ],
};

export const noForkAfterUnshareInitDied: SpecClaim = {
  key: 'unshare-fork-after-init-enomem',
  kinds: ['pid'],
  claim:
    'after unshare(CLONE_NEWPID), once the first child (the init) has exited, further fork() calls fail with ENOMEM',
  specIds: ['PID-09'],
  manPage: 'pid_namespaces(7) "The namespace init process"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('unshare', 'unshare', CLONE.NEWPID);
    s.fork('first', 'clone3', 0, (c) => {
      c.sys('firstPid', 'getpid');
    });
    s.wait('firstExit', 'first');
    s.fork('second', 'clone3', 0, () => undefined);
    s.fork('third', 'clone', 0, () => undefined);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ret('firstPid', 1),
    expect.exitCode('firstExit', 0),
    expect.errno('second', 'ENOMEM', 'clone3 after the init exited'),
    expect.errno('third', 'ENOMEM', 'and raw clone (fork) too'),
  ],
};
