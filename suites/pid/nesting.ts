// How deep PID namespaces nest — pid_namespaces(7) "Nesting PID namespaces"; clone(2) and unshare(2) ERRORS ENOSPC.
import { expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { pidNest } from './steps.ts';

const { at } = expect;

export const nestingStopsAt32: SpecClaim = {
  key: 'nesting-limit-32',
  kinds: ['pid'],
  claim:
    'PID namespaces nest to 32 levels below the root counted from wherever the runner starts, and one more gives ENOSPC from unshare(CLONE_NEWPID) and clone(CLONE_NEWPID)',
  specIds: ['PID-13'],
  manPage: 'pid_namespaces(7) "Nesting PID namespaces"; clone(2) and unshare(2) ERRORS ENOSPC',
  priv: 'U',
  needs: [{ kind: 'pid-depth-known' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    // The chain starts at the current depth (spec note 3); the deepest process reads its own depth from NSpid.
    pidNest(s, 'nest');
    return s;
  },
  checks: () => [
    expect.ok('nest'),
    expect.compare(at('nest', 'created'), '>=', 1, 'at least one level could be made below the start'),
    expect.equals(at('nest', 'depth'), 32, 'the deepest PID namespace is 32 levels below the root'),
    expect.equals(at('nest', 'unshareErrno'), 'ENOSPC', 'unshare(CLONE_NEWPID) at depth 32'),
    expect.equals(at('nest', 'cloneErrno'), 'ENOSPC', 'clone(CLONE_NEWPID) at depth 32'),
  ],
};
