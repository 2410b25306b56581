// UTS names: what a new UTS namespace starts with and who sees a change — uts_namespaces(7).
import { CLONE, expect, Script, type SpecClaim, str } from '../../harness/kit.ts';

const HOSTNAME = '/proc/sys/kernel/hostname';
const DOMAINNAME = '/proc/sys/kernel/domainname';
const INSIDE_HOST = 'nsconform-uts';
const INSIDE_DOMAIN = 'nsconform-domain';
const { at } = expect;

export const startsWithCallersNames: SpecClaim = {
  key: 'initial-copy',
  kinds: ['uts'],
  claim: "a new UTS namespace starts with the caller's hostname and NIS domain name",
  specIds: ['UTS-01'],
  manPage: 'uts_namespaces(7)',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.read('hostBefore', HOSTNAME);
    s.read('domainBefore', DOMAINNAME);
    s.sys('unshare', 'unshare', CLONE.NEWUTS);
    s.read('hostAfter', HOSTNAME);
    s.read('domainAfter', DOMAINNAME);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.same(at('hostBefore', 'text'), at('hostAfter', 'text')),
    expect.same(at('domainBefore', 'text'), at('domainAfter', 'text')),
  ],
};

export const changesSeenByMembersOnly: SpecClaim = {
  key: 'members-see-changes',
  kinds: ['uts'],
  claim:
    'sethostname and setdomainname inside a UTS namespace are seen by every member (uname and /proc/sys/kernel) and by no other UTS namespace',
  specIds: ['UTS-02', 'UTS-03'],
  manPage: 'uts_namespaces(7); proc(5) /proc/sys/kernel/hostname',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.read('outsideBefore', HOSTNAME);
    s.fork('owner', 'clone3', CLONE.NEWUTS, (c) => {
      c.sys('setHost', 'sethostname', str(INSIDE_HOST), INSIDE_HOST.length);
      c.sys('setDomain', 'setdomainname', str(INSIDE_DOMAIN), INSIDE_DOMAIN.length);
      c.facts('ownerFacts');
      c.post('ready', 0);
      c.await('done', 1);
    });
    s.await('waitReady', 0);
    s.open('utsFd', '/proc/{owner}/ns/uts');
    s.fork('member', 'clone3', 0, (c) => {
      c.setns('join', 'utsFd', CLONE.NEWUTS);
      c.read('memberHost', HOSTNAME);
      c.read('memberDomain', DOMAINNAME);
      c.facts('memberFacts');
    });
    s.wait('memberExit', 'member');
    s.read('outsideAfter', HOSTNAME);
    s.read('outsideDomain', DOMAINNAME);
    s.post('release', 1);
    s.wait('ownerExit', 'owner');
    return s;
  },
  checks: () => [
    expect.ok('setHost'),
    expect.ok('setDomain'),
    expect.equals(at('ownerFacts', 'facts.hostname'), INSIDE_HOST, 'uname(2) in the namespace that changed it'),
    expect.ok('join'),
    expect.equals(
      at('memberHost', 'text'),
      `${INSIDE_HOST}\n`,
      '/proc/sys/kernel/hostname of a process that joined by setns',
    ),
    expect.equals(at('memberDomain', 'text'), `${INSIDE_DOMAIN}\n`),
    expect.equals(at('memberFacts', 'facts.domainname'), INSIDE_DOMAIN, 'getdomainname via uname(2) of the member'),
    expect.same(
      at('outsideBefore', 'text'),
      at('outsideAfter', 'text'),
      "the caller's own UTS namespace keeps its hostname",
    ),
    expect.differ(at('memberDomain', 'text'), at('outsideDomain', 'text')),
  ],
};

/** HOST_NAME_MAX: the longest name sethostname accepts, which uname's 65-byte nodename holds in full. */
const LONGEST_NAME = 'nsconform-uname-'.padEnd(64, '0123456789');

export const unameShowsNameSetInside: SpecClaim = {
  key: 'uname-after-sethostname',
  kinds: ['uts'],
  claim:
    'in a new UTS namespace, uname().nodename equals the hostname set inside, all 64 bytes of the longest one allowed',
  specIds: ['UTS-02'],
  manPage: 'uts_namespaces(7); gethostname(2); uname(2)',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('unshare', 'unshare', CLONE.NEWUTS);
    s.sys('setHost', 'sethostname', str(LONGEST_NAME), LONGEST_NAME.length);
    s.facts('names');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ok('setHost'),
    expect.equals(at('names', 'facts.hostname'), LONGEST_NAME, 'uname(2) nodename'),
  ],
};
