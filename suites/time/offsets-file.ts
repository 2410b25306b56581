// What /proc/PID/timens_offsets accepts, from whom and until when — time_namespaces(7) "/proc/PID/timens_offsets".
import { allCapsBut, CLONE, expect, knownCaps, Script, type SpecClaim } from '../../harness/kit.ts';
import { DAY_S, OFFSETS_FILE, WEEK_S, newTimeNamespaceForChildren, offsetRecords } from './steps.ts';

const { at } = expect;
const MAN = 'time_namespaces(7) "/proc/PID/timens_offsets"';

export const initialOffsetsZero: SpecClaim = {
  key: 'initial-offsets-zero',
  kinds: ['time'],
  claim: 'in the initial time namespace timens_offsets reads "monotonic 0 0" and "boottime 0 0"',
  specIds: ['TIME-02'],
  manPage: MAN,
  priv: 'A',
  script: () => {
    const s = new Script();
    s.read('offsets', OFFSETS_FILE);
    return s;
  },
  checks: () => [expect.matches(at('offsets', 'text'), /^monotonic\s+0\s+0\nboottime\s+0\s+0\n$/)],
};

export const newNamespaceCopiesOffsets: SpecClaim = {
  key: 'inherits-offsets',
  kinds: ['time'],
  claim: "a new time namespace starts with the offsets of its creator's time namespace",
  specIds: ['TIME-03'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    newTimeNamespaceForChildren(s, who);
    s.write('offsets', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    s.fork('child', 'clone3', 0, (c) => {
      // timens_offsets shows the namespace of the reader's children: unshare makes it a new one.
      c.sys('childUnshare', 'unshare', CLONE.NEWTIME);
      c.read('childOffsets', OFFSETS_FILE);
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('offsets'),
    expect.ok('childUnshare'),
    expect.matches(
      at('childOffsets', 'text'),
      new RegExp(`^monotonic\\s+${DAY_S}\\s+0\\nboottime\\s+${WEEK_S}\\s+0\\n$`),
    ),
  ],
};

export const clone3CopiesOffsets: SpecClaim = {
  key: 'clone3-inherits-offsets',
  kinds: ['time'],
  claim:
    "a child made by clone3(CLONE_NEWTIME) is in a new time namespace that starts with its creator's offsets (man page: only unshare creates time namespaces; kernel: clone3 does too, spec D8)",
  specIds: ['TIME-03'],
  manPage: 'time_namespaces(7); clone(2) CLONE_NEWTIME',
  priv: 'U',
  needs: [{ kind: 'clone3-time' }],
  script: (who) => {
    const s = new Script();
    newTimeNamespaceForChildren(s, who);
    s.write('offsets', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    s.fork('creator', 'clone3', 0, (c) => {
      c.stat('creatorTime', '/proc/self/ns/time');
      c.fork('child', 'clone3', CLONE.NEWTIME, (g) => {
        g.stat('childTime', '/proc/self/ns/time');
        // The child's own namespace is also its time_for_children.
        g.read('childOffsets', OFFSETS_FILE);
      });
      c.wait('childExit', 'child');
    });
    s.wait('creatorExit', 'creator');
    return s;
  },
  checks: () => [
    expect.ok('offsets'),
    expect.ok('child'),
    expect.differ(
      at('creatorTime', 'ino'),
      at('childTime', 'ino'),
      'the clone3 child is in a time namespace of its own',
    ),
    expect.matches(
      at('childOffsets', 'text'),
      new RegExp(`^monotonic\\s+${DAY_S}\\s+0\\nboottime\\s+${WEEK_S}\\s+0\\n$`),
    ),
  ],
};

export const offsetsFrozenOnEntry: SpecClaim = {
  key: 'frozen-after-entry',
  kinds: ['time'],
  claim:
    'once a process has been created in a time namespace, or has joined it with setns, writes to its timens_offsets fail with EACCES',
  specIds: ['TIME-05'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    newTimeNamespaceForChildren(s, who);
    s.write('beforeChild', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    s.fork('child', 'clone3', 0, () => {});
    s.wait('childExit', 'child');
    s.write('afterChild', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    // A second namespace that a process enters by setns, not by being created in it.
    s.fork('owner', 'clone3', 0, (c) => {
      c.sys('ownerUnshare', 'unshare', CLONE.NEWTIME);
      c.write('beforeJoin', OFFSETS_FILE, offsetRecords(1, 1));
      c.post('unshared', 0);
      c.await('joined', 1);
      c.write('afterJoin', OFFSETS_FILE, offsetRecords(2, 2));
    });
    s.await('waitUnshared', 0);
    s.open('timeFd', '/proc/{owner}/ns/time_for_children');
    s.fork('joiner', 'clone3', 0, (c) => {
      c.setns('join', 'timeFd', CLONE.NEWTIME);
    });
    s.wait('joinerExit', 'joiner');
    s.post('release', 1);
    s.wait('ownerExit', 'owner');
    return s;
  },
  checks: () => [
    expect.ok('beforeChild'),
    expect.errno('afterChild', 'EACCES', 'a process was created in the namespace'),
    expect.ok('beforeJoin'),
    expect.ok('join'),
    expect.errno('afterJoin', 'EACCES', 'a process joined the namespace with setns'),
  ],
};

const CAP_SYS_TIME = 25;

export const writeNeedsCapSysTime: SpecClaim = {
  key: 'needs-cap-sys-time',
  kinds: ['user', 'time'],
  claim:
    'writing timens_offsets needs CAP_SYS_TIME in the user namespace that owns the time namespace: without it in the effective set the write fails with EPERM',
  specIds: ['TIME-06'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    s.sys('unshare', 'unshare', CLONE.NEWTIME);
    // CAP_SYS_TIME out of the effective set only; every other capability of this kernel kept.
    s.sys('dropSysTime', 'capset', ...allCapsBut(CAP_SYS_TIME, knownCaps()));
    s.write('without', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    s.sys('restore', 'capset', ...allCapsBut(undefined, knownCaps()));
    s.write('with', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ok('dropSysTime'),
    expect.errno('without', 'EPERM'),
    expect.ok('restore'),
    expect.ok('with', 'the same write succeeds once CAP_SYS_TIME is effective again'),
  ],
};

export const badRecordsRejected: SpecClaim = {
  key: 'bad-records',
  kinds: ['time'],
  claim:
    'timens_offsets rejects a nanoseconds field above 999999999, an unknown clock name, and CLOCK_REALTIME by name or number with EINVAL',
  specIds: ['TIME-07'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    newTimeNamespaceForChildren(s, who);
    s.write('bigNsec', OFFSETS_FILE, 'monotonic 1 1000000000\n');
    s.write('unknownName', OFFSETS_FILE, 'uptime 1 0\n');
    s.write('realtimeName', OFFSETS_FILE, 'realtime 1 0\n');
    s.write('realtimeId', OFFSETS_FILE, '0 1 0\n');
    s.write('maxNsec', OFFSETS_FILE, 'monotonic 1 999999999\n');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.errno('bigNsec', 'EINVAL'),
    expect.errno('unknownName', 'EINVAL'),
    expect.errno('realtimeName', 'EINVAL'),
    expect.errno('realtimeId', 'EINVAL'),
    expect.ok('maxNsec', '999999999 ns is still accepted, so the namespace was open for writes'),
  ],
};

/** Past KTIME_SEC_MAX / 2 (about 4.61e9 s) but inside KTIME_SEC_MAX. */
const TOO_FAR_S = 4700000000;
/** Further back than any uptime: the clock would be negative in the namespace. */
const TOO_NEGATIVE_S = -3000000000;

export const outOfRangeRejected: SpecClaim = {
  key: 'out-of-range',
  kinds: ['time'],
  claim:
    'an offset that would make CLOCK_MONOTONIC or CLOCK_BOOTTIME negative in the namespace, or push it past KTIME_SEC_MAX / 2, fails with ERANGE',
  specIds: ['TIME-08'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    newTimeNamespaceForChildren(s, who);
    s.write('monoNegative', OFFSETS_FILE, `monotonic ${TOO_NEGATIVE_S} 0\n`);
    s.write('bootNegative', OFFSETS_FILE, `boottime ${TOO_NEGATIVE_S} 0\n`);
    s.write('monoTooFar', OFFSETS_FILE, `monotonic ${TOO_FAR_S} 0\n`);
    s.write('bootTooFar', OFFSETS_FILE, `boottime ${TOO_FAR_S} 0\n`);
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.errno('monoNegative', 'ERANGE'),
    expect.errno('bootNegative', 'ERANGE'),
    expect.errno('monoTooFar', 'ERANGE'),
    expect.errno('bootTooFar', 'ERANGE'),
  ],
};

export const numericClockIds: SpecClaim = {
  key: 'numeric-clock-ids',
  kinds: ['time'],
  claim: 'timens_offsets accepts the clock ids 1 (CLOCK_MONOTONIC) and 7 (CLOCK_BOOTTIME) in place of the names',
  specIds: ['TIME-09'],
  manPage: 'time_namespaces(7) NOTES',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    newTimeNamespaceForChildren(s, who);
    s.write('numeric', OFFSETS_FILE, '1 100 0\n7 200 0\n');
    s.read('readBack', OFFSETS_FILE);
    return s;
  },
  checks: () => [
    expect.ok('numeric'),
    expect.matches(at('readBack', 'text'), /^monotonic\s+100\s+0\nboottime\s+200\s+0\n$/),
  ],
};
