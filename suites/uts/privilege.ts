// Who may change UTS names: CAP_SYS_ADMIN in the user namespace that owns the UTS namespace — gethostname(2) ERRORS.
import { hostname } from 'node:os';
import { CLONE, expect, Script, type SpecClaim, str } from '../../harness/kit.ts';

const NEW_NAME = 'nsconform-owned';

export const needsCapabilityOverOwner: SpecClaim = {
  key: 'needs-owner-capability',
  kinds: ['user', 'uts'],
  claim:
    'root in a new user namespace gets EPERM from sethostname on the UTS namespace it does not own, and may change the one it creates',
  specIds: ['UTS-04', 'USER-21'],
  manPage: 'gethostname(2) ERRORS; user_namespaces(7) "Interaction of user namespaces and other types of namespaces"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    // The current name: should a regression let this through, nothing changes (spec note 11).
    const current = hostname();
    s.sys('foreign', 'sethostname', str(current), Buffer.byteLength(current));
    s.sys('unshare', 'unshare', CLONE.NEWUTS);
    s.sys('own', 'sethostname', str(NEW_NAME), NEW_NAME.length);
    return s;
  },
  checks: () => [expect.ok('pUnshare'), expect.errno('foreign', 'EPERM'), expect.ok('unshare'), expect.ok('own')],
};

export const unprivilegedGetsEperm: SpecClaim = {
  key: 'eperm-without-capability',
  kinds: ['uts'],
  claim: 'a process without CAP_SYS_ADMIN gets EPERM from sethostname and setdomainname',
  specIds: ['UTS-04'],
  manPage: 'gethostname(2) ERRORS; getdomainname(2) ERRORS',
  priv: 'N',
  script: () => {
    const s = new Script();
    const current = hostname();
    s.sys('host', 'sethostname', str(current), Buffer.byteLength(current));
    s.read('domain', '/proc/sys/kernel/domainname');
    return s;
  },
  checks: () => [expect.errno('host', 'EPERM')],
};
