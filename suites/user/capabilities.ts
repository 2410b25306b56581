// Capabilities on entering a user namespace, across execve, and toward parent and descendant namespaces — user_namespaces(7) "Capabilities".
import { hostname } from 'node:os';
import {
  CAP_NET_RAW,
  CLONE,
  expect,
  PR_CAPBSET_DROP,
  Script,
  type ScriptIdentity,
  type SpecClaim,
  str,
} from '../../harness/kit.ts';
import { capOf, EUID, fullMask, STATUS } from './steps.ts';

const { at } = expect;
const PR_GET_SECUREBITS = 27;
const PR_SET_SECUREBITS = 28;
/** SECBIT_NOROOT | SECBIT_KEEP_CAPS: two unlocked bits a privileged process may set. */
const SOME_SECUREBITS = 0x11;
const NO_CAPS = '0000000000000000';

export const fullSetOnEntry: SpecClaim = {
  key: 'full-caps-on-entry',
  kinds: ['user'],
  claim:
    'a process entering a new user namespace by clone, unshare or setns has the full permitted and effective capability sets there, although its bounding set was reduced before',
  specIds: ['USER-20'],
  manPage: 'user_namespaces(7) "Capabilities"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    fullMask(s, 'full');
    s.sys('dropBnd', 'prctl', PR_CAPBSET_DROP, CAP_NET_RAW);
    s.read('reduced', STATUS);
    s.fork('viaClone', 'clone3', CLONE.NEWUSER, (c) => {
      c.read('cloneStatus', STATUS);
      c.post('cloneReady', 0);
      c.await('cloneRelease', 1);
    });
    s.await('ready', 0);
    s.open('childNs', '/proc/{viaClone}/ns/user');
    s.fork('viaSetns', 'clone3', 0, (c) => {
      c.setns('join', 'childNs', CLONE.NEWUSER);
      c.read('setnsStatus', STATUS);
    });
    s.wait('setnsExit', 'viaSetns');
    s.post('release', 1);
    s.wait('cloneExit', 'viaClone');
    s.fork('viaUnshare', 'clone3', 0, (c) => {
      c.sys('unshare', 'unshare', CLONE.NEWUSER);
      c.read('unshareStatus', STATUS);
    });
    s.wait('unshareExit', 'viaUnshare');
    return s;
  },
  checks: () => [
    expect.ok('dropBnd'),
    expect.differ(at('full', 'full'), capOf('reduced', 'CapBnd'), 'the bounding set lacks CAP_NET_RAW before entering'),
    expect.ok('viaClone'),
    expect.same(at('full', 'full'), capOf('cloneStatus', 'CapEff'), 'CapEff after clone(CLONE_NEWUSER)'),
    expect.same(at('full', 'full'), capOf('cloneStatus', 'CapPrm'), 'CapPrm after clone(CLONE_NEWUSER)'),
    expect.ok('join'),
    expect.same(at('full', 'full'), capOf('setnsStatus', 'CapEff'), 'CapEff after setns into a child user namespace'),
    expect.ok('unshare'),
    expect.same(at('full', 'full'), capOf('unshareStatus', 'CapEff'), 'CapEff after unshare(CLONE_NEWUSER)'),
    expect.same(at('full', 'full'), capOf('unshareStatus', 'CapPrm')),
  ],
};

export const noCapabilityInParent: SpecClaim = {
  key: 'no-caps-in-parent',
  kinds: ['user', 'uts'],
  claim:
    "uid 0 with every capability in a child user namespace has none in the parent's: sethostname and setns on the parent's UTS namespace give EPERM",
  specIds: ['USER-21'],
  manPage: 'user_namespaces(7) "Capabilities"; gethostname(2) ERRORS',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.open('parentUts', '/proc/self/ns/uts');
    s.becomeRoot('p', who);
    fullMask(s, 'full');
    s.sys('uid', 'getuid');
    s.read('status', STATUS);
    // The current name: should a regression let this through, nothing changes (spec note 11).
    const current = hostname();
    s.sys('sethost', 'sethostname', str(current), Buffer.byteLength(current));
    s.setns('joinParentUts', 'parentUts', CLONE.NEWUTS);
    return s;
  },
  checks: () => [
    expect.ok('pUidMap'),
    expect.ret('uid', 0),
    expect.same(at('full', 'full'), capOf('status'), 'every capability inside the child'),
    expect.errno('sethost', 'EPERM'),
    expect.errno(
      'joinParentUts',
      'EPERM',
      'setns to a namespace owned by the parent user namespace needs CAP_SYS_ADMIN there',
    ),
  ],
};

export const execveDropsCapsOfNonRoot: SpecClaim = {
  key: 'execve-caps',
  kinds: ['user'],
  claim:
    'execve of a program without file capabilities clears every capability of a non-zero uid inside a user namespace, and uid 0 inside keeps the full set',
  specIds: ['USER-22'],
  manPage: 'user_namespaces(7) "Capabilities"; capabilities(7) "Transformation of capabilities during execve()"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    fullMask(s, 'full');
    s.fork('asRoot', 'clone3', 0, (c) => {
      c.sys('rootUnshare', 'unshare', CLONE.NEWUSER);
      c.mapIds('root', 'self', who.uid, who.gid, 0);
      c.exec('rootExec');
    });
    s.wait('rootExit', 'asRoot');
    s.fork('asFive', 'clone3', 0, (c) => {
      c.sys('fiveUnshare', 'unshare', CLONE.NEWUSER);
      c.mapIds('five', 'self', who.uid, who.gid, 5);
      c.read('fiveBefore', STATUS);
      c.exec('fiveExec');
    });
    s.wait('fiveExit', 'asFive');
    return s;
  },
  checks: () => [
    expect.ok('rootUidMap'),
    expect.equals(at('rootExec', 'text', EUID), 0, 'the exec of uid 0 inside'),
    expect.same(at('full', 'full'), capOf('rootExec'), 'uid 0 keeps the full set across execve'),
    expect.ok('fiveUidMap'),
    expect.same(at('full', 'full'), capOf('fiveBefore'), 'uid 5 holds every capability before execve'),
    expect.equals(at('fiveExec', 'text', EUID), 5),
    expect.equals(capOf('fiveExec'), NO_CAPS, 'uid 5 has none after execve'),
    expect.equals(capOf('fiveExec', 'CapPrm'), NO_CAPS),
  ],
};

export const securebitsReset: SpecClaim = {
  key: 'securebits-reset',
  kinds: ['user'],
  claim: 'creating a user namespace (clone, unshare) or joining one (setns) resets the securebits to 0',
  specIds: ['USER-23'],
  manPage: 'user_namespaces(7) "Capabilities"; capabilities(7) "The securebits flags"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('setBits', 'prctl', PR_SET_SECUREBITS, SOME_SECUREBITS);
    s.sys('bitsBefore', 'prctl', PR_GET_SECUREBITS);
    s.fork('created', 'clone3', CLONE.NEWUSER, (c) => {
      c.sys('bitsCloned', 'prctl', PR_GET_SECUREBITS);
      c.post('createdReady', 0);
      c.await('createdRelease', 1);
    });
    s.await('ready', 0);
    s.open('childNs', '/proc/{created}/ns/user');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.sys('bitsJoinerBefore', 'prctl', PR_GET_SECUREBITS);
      c.setns('join', 'childNs', CLONE.NEWUSER);
      c.sys('bitsJoined', 'prctl', PR_GET_SECUREBITS);
    });
    s.wait('joinerExit', 'joiner');
    s.post('release', 1);
    s.wait('createdExit', 'created');
    s.fork('unsharer', 'clone3', 0, (c) => {
      c.sys('unshare', 'unshare', CLONE.NEWUSER);
      c.sys('bitsUnshared', 'prctl', PR_GET_SECUREBITS);
    });
    s.wait('unsharerExit', 'unsharer');
    return s;
  },
  checks: () => [
    expect.ok('setBits'),
    expect.ret('bitsBefore', SOME_SECUREBITS),
    expect.ret('bitsCloned', 0, 'after clone(CLONE_NEWUSER)'),
    expect.ret('bitsJoinerBefore', SOME_SECUREBITS, 'a fork keeps the bits'),
    expect.ok('join'),
    expect.ret('bitsJoined', 0, 'after setns into a user namespace'),
    expect.ok('unshare'),
    expect.ret('bitsUnshared', 0, 'after unshare(CLONE_NEWUSER)'),
  ],
};

const OWNER = 2000;
const STRANGER = 3000;

/** A forked process that gives up root for `uid` (and so every capability) in the initial namespace. */
function asUid(s: Script, prefix: string, uid: number): void {
  s.sys(`${prefix}Gid`, 'setresgid', uid, uid, uid);
  s.sys(`${prefix}Uid`, 'setresuid', uid, uid, uid);
}

export const ownerHoldsCapabilities: SpecClaim = {
  key: 'owner-euid-caps',
  kinds: ['user'],
  claim:
    "a capability-less process in the parent namespace whose euid is the child user namespace's owner may setns into it (it holds every capability there); one with another euid gets EPERM",
  specIds: ['USER-24'],
  manPage: 'user_namespaces(7) "Capabilities"',
  priv: 'R',
  needs: [
    { kind: 'capability', cap: 'SYS_PTRACE', for: 'opening /proc/<pid>/ns/user of a process running as another uid' },
  ],
  script: () => {
    const s = new Script();
    fullMask(s, 'full');
    s.fork('owner', 'clone3', 0, (c) => {
      asUid(c, 'owner', OWNER);
      c.sys('unshare', 'unshare', CLONE.NEWUSER);
      c.post('ownerReady', 0);
      c.await('ownerRelease', 1);
    });
    s.await('ready', 0);
    s.open('childNs', '/proc/{owner}/ns/user');
    s.fork('same', 'clone3', 0, (c) => {
      asUid(c, 'same', OWNER);
      c.read('sameBefore', STATUS);
      c.setns('sameJoin', 'childNs', CLONE.NEWUSER);
      c.read('sameAfter', STATUS);
    });
    s.wait('sameExit', 'same');
    s.fork('other', 'clone3', 0, (c) => {
      asUid(c, 'other', STRANGER);
      c.read('otherBefore', STATUS);
      c.setns('otherJoin', 'childNs', CLONE.NEWUSER);
    });
    s.wait('otherExit', 'other');
    s.post('release', 1);
    s.wait('ownerExit', 'owner');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ok('sameUid'),
    expect.equals(capOf('sameBefore'), NO_CAPS, 'the owner-euid process has no capability in the parent'),
    expect.ok('sameJoin'),
    expect.same(at('full', 'full'), capOf('sameAfter')),
    expect.ok('otherUid'),
    expect.equals(capOf('otherBefore'), NO_CAPS),
    expect.errno('otherJoin', 'EPERM'),
  ],
};

/** Real root makes the child namespace as another uid, so only the ancestor's own capability can let it in. */
const creatorUid = (who: ScriptIdentity): number | null => (who.mode === 'root' ? OWNER : null);

export const capabilityReachesDescendants: SpecClaim = {
  key: 'caps-reach-descendants',
  kinds: ['user'],
  claim:
    "a process holding CAP_SYS_ADMIN in a user namespace holds it in every descendant: it writes its child namespace's maps and joins a grandchild namespace by setns",
  specIds: ['USER-36'],
  manPage: 'user_namespaces(7) "Capabilities"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    fullMask(s, 'full');
    const creator = creatorUid(who);
    s.fork('child', 'clone3', 0, (c) => {
      if (creator !== null) asUid(c, 'creator', creator);
      c.sys('childUnshare', 'unshare', CLONE.NEWUSER);
      c.post('childReady', 0);
      c.await('mapsWritten', 1);
      c.fork('grandchild', 'clone3', CLONE.NEWUSER, (g) => {
        g.await('grandchildRelease', 3);
      });
      // Posted by the child once its fork step has stored the grandchild's pid for {grandchild}.
      c.post('grandchildReady', 2);
      c.wait('grandchildExit', 'grandchild');
    });
    s.await('ready', 0);
    // The child's root is its creator, so the creator can make the grandchild (its euid must be mapped).
    s.mapIds('map', '{child}', creator ?? 0, creator ?? 0);
    s.post('mapped', 1);
    s.await('grandReady', 2);
    if (creator !== null)
      s.require({
        kind: 'capability',
        cap: 'SYS_PTRACE',
        for: 'opening /proc/<pid>/ns/user of a process running as another uid',
      });
    s.open('grandNs', '/proc/{grandchild}/ns/user');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('join', 'grandNs', CLONE.NEWUSER);
      c.read('joinedStatus', STATUS);
    });
    s.wait('joinerExit', 'joiner');
    if (creator !== null) {
      s.fork('stranger', 'clone3', 0, (c) => {
        asUid(c, 'stranger', STRANGER);
        c.setns('strangerJoin', 'grandNs', CLONE.NEWUSER);
      });
      s.wait('strangerExit', 'stranger');
    }
    s.post('release', 3);
    s.wait('childExit', 'child');
    return s;
  },
  checks: (who) => [
    expect.ok('childUnshare'),
    expect.ok('mapUidMap', "the parent namespace's root writes the child's uid_map"),
    expect.ok('mapGidMap'),
    expect.ok('grandchild'),
    expect.ok('grandNs'),
    expect.ok('join', 'setns into the grandchild user namespace'),
    expect.same(at('full', 'full'), capOf('joinedStatus')),
    ...(creatorUid(who) !== null
      ? [
          expect.errno(
            'strangerJoin',
            'EPERM',
            'without the capability in the ancestor, and not the owner, setns fails',
          ),
        ]
      : []),
  ],
};
