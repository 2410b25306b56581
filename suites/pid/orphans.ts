// Who adopts an orphan inside a PID namespace: the init, or a closer child subreaper — pid_namespaces(7) "Adoption of orphaned children".
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { PR_SET_CHILD_SUBREAPER } from './steps.ts';

const { at } = expect;

export const orphanGoesToInit: SpecClaim = {
  key: 'orphan-adopted-by-init',
  kinds: ['pid'],
  claim:
    "a process orphaned inside a PID namespace is reparented to the namespace's init (getppid() 1), which reaps it",
  specIds: ['PID-05'],
  manPage: 'pid_namespaces(7) "Adoption of orphaned children"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      c.fork('mid', 'clone3', 0, (m) => {
        m.fork('orphan', 'clone3', 0, (o) => {
          o.sys('ppidBefore', 'getppid');
          o.post('orphanStarted', 0);
          o.await('midGone', 1);
          o.sys('ppidAfter', 'getppid');
        });
        // mid ends here without waiting: its child becomes an orphan.
        m.await('orphanUp', 0);
      });
      c.wait('midExit', 'mid');
      c.post('midReaped', 1);
      c.wait('orphanExit', 'orphan');
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.same(at('mid', 'r'), at('ppidBefore', 'r'), "before: the orphan's parent is mid"),
    expect.exitCode('midExit', 0),
    expect.ret('ppidAfter', 1, 'after its parent exited: the init'),
    expect.exitCode('orphanExit', 0, 'the init reaps the adopted orphan'),
    expect.exitCode('initExit', 0),
  ],
};

export const subreaperBeforeInit: SpecClaim = {
  key: 'subreaper-before-init',
  kinds: ['pid'],
  claim:
    'a closer ancestor that set PR_SET_CHILD_SUBREAPER adopts an orphan inside a PID namespace instead of the init',
  specIds: ['PID-19'],
  manPage: 'pid_namespaces(7) "Adoption of orphaned children"; prctl(2) PR_SET_CHILD_SUBREAPER',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      c.fork('sub', 'clone3', 0, (r) => {
        r.sys('subreaper', 'prctl', PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        r.fork('mid', 'clone3', 0, (m) => {
          m.fork('orphan', 'clone3', 0, (o) => {
            o.post('orphanStarted', 0);
            o.await('midGone', 1);
            o.sys('ppidAfter', 'getppid');
          });
          m.await('orphanUp', 0);
        });
        r.wait('midExit', 'mid');
        r.post('midReaped', 1);
        r.wait('orphanExit', 'orphan');
      });
      c.wait('subExit', 'sub');
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('subreaper'),
    expect.exitCode('midExit', 0),
    expect.same(at('sub', 'r'), at('ppidAfter', 'r'), "the orphan's new parent is the subreaper"),
    expect.compare(at('ppidAfter', 'r'), '>', 1, 'not the init'),
    expect.exitCode('orphanExit', 0, 'the subreaper reaps it'),
    expect.exitCode('subExit', 0),
    expect.exitCode('initExit', 0),
  ],
};
