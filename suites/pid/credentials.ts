// SCM_CREDENTIALS PIDs across PID namespaces — pid_namespaces(7) "Miscellaneous"; unix(7) SCM_CREDENTIALS.
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';

const { at } = expect;

export const credentialPidsTranslated: SpecClaim = {
  key: 'scm-credentials-pid',
  kinds: ['pid'],
  claim:
    "an SCM_CREDENTIALS PID is translated into the receiver's PID namespace: the parent gets the member's PID in its own namespace, the member gets 0 for the invisible parent",
  specIds: ['PID-18'],
  manPage: 'pid_namespaces(7) "Miscellaneous"; unix(7) SCM_CREDENTIALS',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.op.socketpair('pair');
    s.fork('inside', 'clone3', CLONE.NEWPID, (c) => {
      c.sys('insidePid', 'getpid');
      c.op.sendcred('insideSend', '$pair_1');
      c.op.recvcred('insideRecv', '$pair_1');
    });
    s.op.recvcred('outsideRecv', '$pair_0');
    s.op.sendcred('outsideSend', '$pair_0');
    s.wait('insideExit', 'inside');
    return s;
  },
  checks: () => [
    expect.ok('pair'),
    expect.ret('insidePid', 1, 'the sender inside sends its own PID, 1'),
    expect.ok('insideSend'),
    expect.same(
      at('inside', 'r'),
      at('outsideRecv', 'pid'),
      "the parent receives the member's PID in the parent's namespace",
    ),
    expect.ok('outsideSend'),
    expect.equals(at('insideRecv', 'pid'), 0, 'the member receives 0: the sender is not visible in its namespace'),
    expect.exitCode('insideExit', 0),
  ],
};
