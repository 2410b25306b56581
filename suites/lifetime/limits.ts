// The per-user limits in /proc/sys/user: files, defaults, scope, who may write them, and what they count — namespaces(7) "The /proc/sys/user directory".
import { capBit, capsetArgs, CLONE, expect, type NamespaceName, O, Script, type SpecClaim } from '../../harness/kit.ts';
import { limitFile, setLimit } from './slots.ts';

const { at } = expect;
const MAN = 'namespaces(7) "The /proc/sys/user directory"';
const ALL: readonly NamespaceName[] = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];
const MAXINT = 2147483647;
const ROOT_IN_NS = { mode: 'root', uid: 0, gid: 0 } as const;
const label = (prefix: string, kind: NamespaceName): string => `${prefix}${kind[0]!.toUpperCase()}${kind.slice(1)}`;

export const limitFilesExist: SpecClaim = {
  key: 'limit-files',
  kinds: [],
  claim:
    '/proc/sys/user has max_cgroup, max_ipc, max_mnt, max_net, max_pid, max_time, max_user and max_uts _namespaces, each a number',
  specIds: ['LIM-01'],
  manPage: `${MAN}; proc(5) /proc/sys/user`,
  priv: 'A',
  script: () => {
    const s = new Script();
    for (const kind of ALL) s.read(label('read', kind), limitFile(kind));
    return s;
  },
  checks: () => ALL.map((kind) => expect.matches(at(label('read', kind), 'text'), /^\d+\n$/)),
};

export const initialDefaultsAreHalfThreadsMax: SpecClaim = {
  key: 'initial-defaults',
  kinds: [],
  claim: 'in the initial user namespace each max_*_namespaces default is half of /proc/sys/kernel/threads-max',
  specIds: ['LIM-02'],
  manPage: MAN,
  priv: 'A',
  needs: [{ kind: 'initial-user-ns' }],
  script: () => {
    const s = new Script();
    s.read('uidMap', '/proc/self/uid_map');
    s.op.readnum('threadsMax', '/proc/sys/kernel/threads-max');
    for (const kind of ALL) s.op.readnum(label('max', kind), limitFile(kind));
    return s;
  },
  checks: () => [
    expect.matches(
      at('uidMap', 'text'),
      /^\s*0\s+0\s+4294967295\s*$/,
      'only the initial user namespace has these defaults (spec note 4)',
    ),
    expect.ok('threadsMax'),
    ...ALL.map((kind) => expect.same(at('threadsMax', 'half'), at(label('max', kind)))),
  ],
};

export const descendantDefaultsAreMaxint: SpecClaim = {
  key: 'descendant-defaults',
  kinds: ['user'],
  claim: 'in a new user namespace every max_*_namespaces reads 2147483647',
  specIds: ['LIM-03'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    for (const kind of ALL) s.read(label('read', kind), limitFile(kind));
    return s;
  },
  checks: () => [
    expect.ok('pUnshare'),
    ...ALL.map((kind) => expect.equals(at(label('read', kind), 'text'), `${MAXINT}\n`)),
  ],
};

export const limitsAreScopedToTheirNamespace: SpecClaim = {
  key: 'limits-per-userns',
  kinds: ['user'],
  claim:
    "setting max_uts_namespaces inside a child user namespace shows there only: the caller's own value and a sibling user namespace's value are unchanged",
  specIds: ['LIM-04'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.read('outerBefore', limitFile('uts'));
    s.fork('setter', 'clone3', 0, (c) => {
      c.becomeRoot('a', who);
      setLimit(c, 'limit', 'uts', 3);
      c.read('inside', limitFile('uts'));
      c.post('set', 0);
      c.await('done', 1);
    });
    s.await('waitSet', 0);
    s.read('outerAfter', limitFile('uts'));
    s.fork('sibling', 'clone3', 0, (c) => {
      c.becomeRoot('b', who);
      c.read('siblingValue', limitFile('uts'));
    });
    s.wait('siblingExit', 'sibling');
    s.post('finish', 1);
    s.wait('setterExit', 'setter');
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.equals(at('inside', 'text'), '3\n', "the setter reads its own namespace's value"),
    expect.same(at('outerBefore', 'text'), at('outerAfter', 'text'), "the caller's namespace keeps its value"),
    expect.equals(at('siblingValue', 'text'), `${MAXINT}\n`, 'a sibling user namespace keeps the default'),
  ],
};

/** capset(2) v3: keep every capability below 32 except CAP_SYS_RESOURCE (24), drop the rest. */
const LOW_CAPS_WITHOUT_SYS_RESOURCE = 0xffffffffn & ~capBit(24);

export const onlyCapSysResourceWrites: SpecClaim = {
  key: 'write-needs-cap-sys-resource',
  kinds: ['user'],
  claim:
    'root of a user namespace may write its max_*_namespaces files; once it drops CAP_SYS_RESOURCE, open() for writing gives EACCES while reading still works',
  specIds: ['LIM-05'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    setLimit(s, 'limit', 'ipc', 5);
    s.fork('dropper', 'clone3', 0, (c) => {
      c.sys(
        'capset',
        'capset',
        ...capsetArgs({ effective: LOW_CAPS_WITHOUT_SYS_RESOURCE, permitted: LOW_CAPS_WITHOUT_SYS_RESOURCE }),
      );
      c.open('openWrite', limitFile('ipc'), O.WRONLY | O.CLOEXEC);
      c.read('stillReads', limitFile('ipc'));
    });
    s.wait('dropperExit', 'dropper');
    return s;
  },
  checks: () => [
    expect.ok('limit', 'CAP_SYS_RESOURCE in the owning user namespace'),
    expect.ok('capset'),
    expect.errno('openWrite', 'EACCES', 'without CAP_SYS_RESOURCE the file is read-only'),
    expect.equals(at('stillReads', 'text'), '5\n'),
  ],
};

export const countsArePerUser: SpecClaim = {
  key: 'counts-per-uid',
  kinds: ['user', 'uts'],
  claim:
    'within one user namespace each uid has its own count: with max_uts_namespaces at 1, uid 0 holding one gets ENOSPC while uid 5 may still create one',
  specIds: ['LIM-08'],
  manPage: MAN,
  priv: 'R',
  script: () => {
    const s = new Script();
    s.fork('ns', 'clone3', CLONE.NEWUSER, (c) => {
      c.await('mapped', 0);
      setLimit(c, 'limit', 'uts', 1);
      c.fork('holder', 'clone3', CLONE.NEWUTS, (h) => {
        h.post('holding', 2);
        h.await('holderGo', 3);
      });
      c.await('waitHolder', 2);
      c.probe('uid0Again', CLONE.NEWUTS);
      c.probe('uid0Nested', CLONE.NEWUSER | CLONE.NEWUTS);
      c.fork('other', 'clone3', 0, (o) => {
        o.sys('becomeUid5', 'setresuid', 5, 5, 5);
        o.sys('uid5Creates', 'unshare', CLONE.NEWUSER | CLONE.NEWUTS);
      });
      c.wait('otherExit', 'other');
      c.post('holderDone', 3);
      c.wait('holderExit', 'holder');
    });
    // Real root maps 1000 ids (spec: a multi-id map needs real root).
    s.write('uidMap', '/proc/{ns}/uid_map', '0 0 1000');
    s.write('gidMap', '/proc/{ns}/gid_map', '0 0 1000');
    s.post('mappedNow', 0);
    s.wait('nsExit', 'ns');
    return s;
  },
  checks: () => [
    expect.ok('uidMap'),
    expect.ok('limit'),
    expect.ok('holder'),
    expect.errno('uid0Again', 'ENOSPC', 'uid 0 already holds its one UTS namespace'),
    expect.errno('uid0Nested', 'ENOSPC', 'a nested user namespace does not escape the count either'),
    expect.ok('becomeUid5'),
    expect.ok('uid5Creates', 'uid 5 has a count of its own'),
    expect.exitCode('nsExit', 0),
  ],
};

export const ancestorLimitsApply: SpecClaim = {
  key: 'ancestor-limit-applies',
  kinds: ['user', 'uts'],
  claim:
    'a namespace counts in every ancestor user namespace: with max_uts_namespaces at 2 in an ancestor, a grandchild user namespace that reads 2147483647 still gets ENOSPC on its third UTS namespace',
  specIds: ['LIM-09'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    setLimit(s, 'limit', 'uts', 2);
    s.fork('deep', 'clone3', 0, (c) => {
      c.becomeRoot('child', ROOT_IN_NS);
      c.becomeRoot('grand', ROOT_IN_NS);
      c.read('grandLimit', limitFile('uts'));
      c.sys('first', 'unshare', CLONE.NEWUTS);
      c.fork('second', 'clone3', CLONE.NEWUTS, (g) => {
        g.post('secondReady', 0);
        g.await('secondGo', 1);
      });
      c.await('waitSecond', 0);
      c.probe('third', CLONE.NEWUTS);
      c.post('releaseSecond', 1);
      c.wait('secondExit', 'second');
    });
    s.wait('deepExit', 'deep');
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.ok('grandUidMap'),
    expect.equals(at('grandLimit', 'text'), `${MAXINT}\n`, "the grandchild's own limit is the default"),
    expect.ok('first'),
    expect.ok('second'),
    expect.errno('third', 'ENOSPC', "the ancestor's limit of 2 applies"),
    expect.exitCode('deepExit', 0),
  ],
};

export const zeroUserLimit: SpecClaim = {
  key: 'max-user-zero',
  kinds: ['user'],
  claim: 'with max_user_namespaces at 0, creating a user namespace gives ENOSPC from unshare, clone and clone3',
  specIds: ['LIM-10'],
  manPage: `${MAN}; clone(2), unshare(2) ERRORS ENOSPC`,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    setLimit(s, 'limit', 'user', 0);
    s.probe('viaUnshare', CLONE.NEWUSER);
    s.fork('viaClone3', 'clone3', CLONE.NEWUSER, () => undefined);
    s.fork('viaClone', 'clone', CLONE.NEWUSER, () => undefined);
    s.sys('unshareHere', 'unshare', CLONE.NEWUSER);
    return s;
  },
  checks: () => [
    expect.ok('limit'),
    expect.errno('viaUnshare', 'ENOSPC'),
    expect.errno('viaClone3', 'ENOSPC'),
    expect.errno('viaClone', 'ENOSPC'),
    expect.errno('unshareHere', 'ENOSPC'),
  ],
};
