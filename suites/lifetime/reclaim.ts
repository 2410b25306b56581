// When an unpinned namespace is freed, and how long its counter slot takes to come back — namespaces(7) "Namespace lifetime".
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { freedAgain, setLimit } from './slots.ts';

const MAN = 'namespaces(7) "Namespace lifetime"';

export const freedWhenLastMemberGoes: SpecClaim = {
  key: 'freed-with-last-member',
  kinds: ['user', 'uts'],
  claim: 'with nothing else holding it, a UTS namespace is freed when its last member leaves it by setns() or exits',
  specIds: ['LIFE-01'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    setLimit(s, 'limit', 'uts', 2);
    // The leaver: first namespace A (kept, to return to), then B, which it leaves by setns() back to A.
    s.fork('leaver', 'clone3', 0, (c) => {
      c.sys('intoA', 'unshare', CLONE.NEWUTS);
      c.open('fdA', '/proc/self/ns/uts');
      c.sys('intoB', 'unshare', CLONE.NEWUTS);
      c.post('inB', 0);
      c.await('goBack', 1);
      c.setns('backToA', 'fdA', CLONE.NEWUTS);
      c.post('inA', 2);
      c.await('leaverDone', 3);
    });
    s.await('waitInB', 0);
    s.probe('bothHeld', CLONE.NEWUTS);
    s.post('leave', 1);
    s.await('waitInA', 2);
    freedAgain(s, 'freedByLeaving', 'uts');
    s.fork('member', 'clone3', CLONE.NEWUTS, (c) => {
      c.post('memberReady', 4);
      c.await('memberGo', 5);
    });
    s.await('waitMember', 4);
    s.probe('memberHeld', CLONE.NEWUTS);
    s.post('letGo', 5);
    s.wait('memberExit', 'member');
    freedAgain(s, 'freedByExit', 'uts');
    s.post('finish', 3);
    s.wait('leaverExit', 'leaver');
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.ok('intoB'),
    expect.errno('bothHeld', 'ENOSPC', 'A and B fill the limit of 2'),
    expect.ok('backToA'),
    expect.ok('freedByLeaving', 'B is freed once its only member left it'),
    expect.errno('memberHeld', 'ENOSPC', "A and the member's namespace fill the limit"),
    expect.exitCode('memberExit', 0),
    expect.ok('freedByExit', "the member's namespace is freed once it exited"),
    expect.exitCode('leaverExit', 0),
  ],
};

/**
 * `fastestMs`: the shortest teardown measured. A slot asked for sooner after the member was let go must still be taken
 * on a kernel that tears down asynchronously; asked later, a free slot may only mean the teardown was over.
 */
function teardownIsAsynchronous(kind: 'net' | 'user', flag: number, fastestMs: number, measured: string): SpecClaim {
  return {
    key: `${kind}-teardown-async`,
    kinds: kind === 'user' ? ['user'] : ['user', kind],
    claim: `a ${kind} namespace's counter slot is not free at once when its last member has been reaped, and comes back within a bounded poll (teardown is asynchronous; tests must poll)`,
    specIds: ['LIFE-10'],
    manPage: `${MAN} (suite timing contract, spec §2 note 2)`,
    priv: 'U',
    script: (who) => {
      const s = new Script();
      s.becomeRoot('p', who);
      setLimit(s, 'limit', kind, 1);
      s.fork('member', 'clone3', flag, (c) => {
        c.post('ready', 0);
        c.await('release', 1);
      });
      s.await('waitReady', 0);
      s.op.instant('released');
      s.post('letGo', 1);
      s.wait('memberExit', 'member');
      s.probe('atOnce', flag);
      s.op.instant('probed');
      freedAgain(s, 'freed', kind);
      return s;
    },
    timely: {
      from: 'released',
      to: 'probed',
      withinMs: fastestMs,
      readings: ['atOnce'],
      over: `a ${kind} namespace's teardown can be over (measured ${measured})`,
    },
    checks: () => [
      expect.ok('limit'),
      expect.exitCode('memberExit', 0),
      expect.errno(
        'atOnce',
        'ENOSPC',
        `${kind} teardown runs after the last reference, from a workqueue (measured ${measured})`,
      ),
      expect.ok('freed', 'the slot comes back within the poll budget'),
    ],
  };
}

export const netTeardownIsAsynchronous = teardownIsAsynchronous('net', CLONE.NEWNET, 27, '27–83 ms');
export const userTeardownIsAsynchronous = teardownIsAsynchronous('user', CLONE.NEWUSER, 47, '47–67 ms');
