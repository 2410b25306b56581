// NS_GET_NSTYPE and NS_GET_OWNER_UID, and what any of these ioctls does on a file that is not a namespace — ioctl_ns(2).
import {
  type Check,
  CLONE,
  expect,
  NAMESPACES,
  NS_IOCTL,
  out,
  ref,
  Script,
  type ScriptIdentity,
  type SpecClaim,
} from '../../harness/kit.ts';
import { NS_ENTRIES } from './entries.ts';

const { at } = expect;

const flagOf = (type: string): number => NAMESPACES.find((kind) => kind.procEntry === type)!.flag;

/** A uid_t as NS_GET_OWNER_UID writes it: four bytes, little-endian, as hex. */
const uidHex = (uid: number): string => Buffer.from(new Uint32Array([uid]).buffer).toString('hex');

export const typeOfEveryEntry: SpecClaim = {
  key: 'nstype',
  kinds: [],
  claim:
    'NS_GET_NSTYPE returns the CLONE_NEW* constant of each entry, CLONE_NEWPID for pid_for_children and CLONE_NEWTIME for time_for_children',
  specIds: ['IOC-08'],
  manPage: 'ioctl_ns(2) "Discovering the namespace type"',
  priv: 'A',
  script: () => {
    const s = new Script();
    for (const { entry } of NS_ENTRIES) {
      s.open(`fd_${entry}`, `/proc/self/ns/${entry}`);
      s.sys(`type_${entry}`, 'ioctl', ref(`fd_${entry}`), NS_IOCTL.GET_NSTYPE);
    }
    return s;
  },
  checks: () => NS_ENTRIES.map(({ entry, type }): Check => expect.ret(`type_${entry}`, flagOf(type), `entry ${entry}`)),
};

export const ownerUidInCallersView: SpecClaim = {
  key: 'owner-uid',
  kinds: ['user'],
  claim:
    "NS_GET_OWNER_UID gives the creator's effective uid as the caller's user namespace sees it: the creator's uid outside, 0 inside with the map 0 → creator",
  specIds: ['IOC-09'],
  manPage: 'ioctl_ns(2) "Discovering the owner of a user namespace"',
  priv: 'U',
  script: (who: ScriptIdentity) => {
    const s = new Script();
    s.fork('child', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      c.open('ownUser', '/proc/self/ns/user');
      c.sys('inside', 'ioctl', ref('ownUser'), NS_IOCTL.GET_OWNER_UID, out(4));
      c.await('hold', 1);
    });
    s.mapIds('map', '{child}', who.uid, who.gid);
    s.post('go', 0);
    s.open('childUser', '/proc/{child}/ns/user');
    s.sys('outside', 'ioctl', ref('childUser'), NS_IOCTL.GET_OWNER_UID, out(4));
    s.post('release', 1);
    s.wait('childExit', 'child');
    return s;
  },
  checks: (who) => [
    expect.ok('mapUidMap'),
    expect.ok('outside'),
    expect.equals(at('outside', 'b.0'), uidHex(who.uid), `the creator's uid ${who.uid}`),
    expect.ok('inside'),
    expect.equals(at('inside', 'b.0'), uidHex(0)),
  ],
};

export const ownerUidNeedsUserNamespace: SpecClaim = {
  key: 'owner-uid-einval',
  kinds: ['uts'],
  claim: 'NS_GET_OWNER_UID on a descriptor that is not a user namespace gives EINVAL',
  specIds: ['IOC-10'],
  manPage: 'ioctl_ns(2) ERRORS',
  priv: 'A',
  script: () => {
    const s = new Script();
    s.open('uts', '/proc/self/ns/uts');
    s.sys('owner', 'ioctl', ref('uts'), NS_IOCTL.GET_OWNER_UID, out(4));
    return s;
  },
  checks: () => [expect.errno('owner', 'EINVAL')],
};

const REQUESTS = Object.entries(NS_IOCTL);

export const notNsfsIsEnotty: SpecClaim = {
  key: 'not-nsfs-enotty',
  kinds: [],
  claim: 'every ioctl_ns request on a regular file or on /dev/null gives ENOTTY',
  specIds: ['IOC-11'],
  manPage: 'ioctl_ns(2) ERRORS',
  priv: 'A',
  script: () => {
    const s = new Script();
    s.open('file', '/proc/self/status');
    s.open('null', '/dev/null');
    for (const [name, request] of REQUESTS) {
      s.sys(`file_${name}`, 'ioctl', ref('file'), request, out(4));
      s.sys(`null_${name}`, 'ioctl', ref('null'), request, out(4));
    }
    return s;
  },
  checks: () =>
    REQUESTS.flatMap(([name]): Check[] => [
      expect.errno(`file_${name}`, 'ENOTTY'),
      expect.errno(`null_${name}`, 'ENOTTY'),
    ]),
};
