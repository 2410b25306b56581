// Which clocks a time namespace shifts, for whom, and how deadlines are read — time_namespaces(7).
import { CLOCK, CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { DAY_S, OFFSETS_FILE, WEEK_S, clockBase, newTimeNamespaceForChildren, offsetRecords, shift } from './steps.ts';

const { at } = expect;

export const unshareMovesOnlyChildren: SpecClaim = {
  key: 'unshare-moves-children',
  kinds: ['time'],
  claim:
    'unshare(CLONE_NEWTIME) leaves the caller in its time namespace; time_for_children names the new one and a child starts in it',
  specIds: ['TIME-01'],
  manPage: 'time_namespaces(7); unshare(2) CLONE_NEWTIME',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.stat('before', '/proc/self/ns/time');
    s.sys('unshare', 'unshare', CLONE.NEWTIME);
    s.stat('after', '/proc/self/ns/time');
    s.stat('forChildren', '/proc/self/ns/time_for_children');
    s.fork('child', 'clone3', 0, (c) => {
      c.stat('childTime', '/proc/self/ns/time');
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.same(at('before', 'ino'), at('after', 'ino'), 'the caller is not moved'),
    expect.differ(at('after', 'ino'), at('forChildren', 'ino'), 'time_for_children is the new namespace'),
    expect.same(at('forChildren', 'ino'), at('childTime', 'ino'), 'the child starts in time_for_children'),
  ],
};

export const offsetsShiftChildrenOnly: SpecClaim = {
  key: 'offsets-shift-children',
  kinds: ['time'],
  claim:
    "offsets written (and rewritten) to timens_offsets before anyone enters shift a child's CLOCK_MONOTONIC and CLOCK_BOOTTIME, through the vDSO and the system call alike; CLOCK_REALTIME and the creator's clocks stay as they were",
  specIds: ['TIME-04', 'TIME-10'],
  manPage: 'time_namespaces(7) "/proc/PID/timens_offsets", NOTES',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    clockBase(s, 'monoBase', CLOCK.MONOTONIC);
    clockBase(s, 'bootBase', CLOCK.BOOTTIME);
    clockBase(s, 'realBase', CLOCK.REALTIME);
    s.sys('unshare', 'unshare', CLONE.NEWTIME);
    s.write('firstWrite', OFFSETS_FILE, offsetRecords(1, 2));
    s.write('secondWrite', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    s.fork('child', 'clone3', 0, (c) => {
      shift(c, 'childMono', CLOCK.MONOTONIC, 'monoBase');
      shift(c, 'childBoot', CLOCK.BOOTTIME, 'bootBase');
      shift(c, 'childReal', CLOCK.REALTIME, 'realBase');
    });
    s.wait('childExit', 'child');
    shift(s, 'parentMono', CLOCK.MONOTONIC, 'monoBase');
    shift(s, 'parentBoot', CLOCK.BOOTTIME, 'bootBase');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ok('firstWrite'),
    expect.ok('secondWrite', 'records may be written again until a process enters'),
    expect.equals(
      at('childMono', 'offsetS'),
      DAY_S,
      "the child's CLOCK_MONOTONIC (vDSO) carries the last monotonic offset",
    ),
    expect.equals(at('childMono', 'sysOffsetS'), DAY_S, 'the raw clock_gettime system call agrees'),
    expect.equals(at('childBoot', 'offsetS'), WEEK_S, "the child's CLOCK_BOOTTIME carries the boottime offset"),
    expect.equals(at('childBoot', 'sysOffsetS'), WEEK_S),
    expect.equals(at('childReal', 'offsetS'), 0, 'CLOCK_REALTIME is not virtualised (TIME-10)'),
    expect.equals(at('childReal', 'sysOffsetS'), 0),
    expect.equals(at('parentMono', 'offsetS'), 0, "the creator's own CLOCK_MONOTONIC is unchanged"),
    expect.equals(at('parentBoot', 'offsetS'), 0, "the creator's own CLOCK_BOOTTIME is unchanged"),
  ],
};

/** Ten and twenty years: no uptime reaches them, so an absolute reading above them can only come from the offset. */
const TEN_YEARS_S = 315360000;
const TWENTY_YEARS_S = 2 * TEN_YEARS_S;

export const offsetsSurviveExec: SpecClaim = {
  key: 'offsets-survive-exec',
  kinds: ['time'],
  claim:
    'a child in a time namespace with offsets still sees the shifted CLOCK_MONOTONIC and CLOCK_BOOTTIME after execve, while its creator does not',
  specIds: ['TIME-04'],
  manPage: 'time_namespaces(7) "/proc/PID/timens_offsets"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    newTimeNamespaceForChildren(s, who);
    s.write('offsets', OFFSETS_FILE, offsetRecords(TEN_YEARS_S, TWENTY_YEARS_S));
    s.fork('child', 'clone3', 0, (c) => {
      c.exec('childExec');
    });
    s.wait('childExit', 'child');
    s.clocks('parentClocks');
    return s;
  },
  checks: () => [
    expect.ok('unshare'),
    expect.ok('offsets'),
    expect.exitCode('childExit', 0),
    expect.compare(
      at('childExec', 'monoMs'),
      '>=',
      TEN_YEARS_S * 1000,
      'CLOCK_MONOTONIC after execve carries the ten-year offset',
    ),
    expect.compare(at('childExec', 'monoMs'), '<', TWENTY_YEARS_S * 1000, 'and not the boottime offset'),
    expect.compare(
      at('childExec', 'bootMs'),
      '>=',
      TWENTY_YEARS_S * 1000,
      'CLOCK_BOOTTIME after execve carries the twenty-year offset',
    ),
    expect.compare(
      at('parentClocks', 'monoMs'),
      '<',
      TEN_YEARS_S * 1000,
      "the creator's CLOCK_MONOTONIC is not shifted",
    ),
    expect.compare(
      at('parentClocks', 'bootMs'),
      '<',
      TEN_YEARS_S * 1000,
      "the creator's CLOCK_BOOTTIME is not shifted",
    ),
  ],
};

export const derivedClocksCarryOffsets: SpecClaim = {
  key: 'derived-clocks',
  kinds: ['time'],
  claim:
    'CLOCK_MONOTONIC_COARSE and CLOCK_MONOTONIC_RAW carry the monotonic offset and CLOCK_BOOTTIME_ALARM the boottime offset, through the vDSO and the system call alike (the alarm clock only where clock_getres accepts it: it needs an RTC)',
  specIds: ['TIME-11'],
  manPage: 'time_namespaces(7)',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    clockBase(s, 'coarseBase', CLOCK.MONOTONIC_COARSE);
    clockBase(s, 'rawBase', CLOCK.MONOTONIC_RAW);
    // Fails with EINVAL without an RTC (spec note 9); the child's step then reports "unavailable".
    clockBase(s, 'alarmBase', CLOCK.BOOTTIME_ALARM);
    s.sys('unshare', 'unshare', CLONE.NEWTIME);
    s.write('offsets', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    s.fork('child', 'clone3', 0, (c) => {
      shift(c, 'coarse', CLOCK.MONOTONIC_COARSE, 'coarseBase');
      shift(c, 'raw', CLOCK.MONOTONIC_RAW, 'rawBase');
      shift(c, 'alarm', CLOCK.BOOTTIME_ALARM, 'alarmBase');
    });
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('offsets'),
    expect.equals(at('coarse', 'offsetS'), DAY_S, 'CLOCK_MONOTONIC_COARSE through the vDSO'),
    expect.equals(at('coarse', 'sysOffsetS'), DAY_S, 'CLOCK_MONOTONIC_COARSE through the system call'),
    expect.equals(at('raw', 'offsetS'), DAY_S, 'CLOCK_MONOTONIC_RAW through the vDSO'),
    expect.equals(at('raw', 'sysOffsetS'), DAY_S, 'CLOCK_MONOTONIC_RAW through the system call'),
    expect.matches(
      at('alarm', 'offsetS'),
      new RegExp(`^(${WEEK_S}|unavailable)$`),
      'CLOCK_BOOTTIME_ALARM: the boottime offset, or no RTC (spec note 9)',
    ),
    expect.matches(at('alarm', 'sysOffsetS'), new RegExp(`^(${WEEK_S}|unavailable)$`)),
  ],
};

export const uptimeCarriesBoottimeOffset: SpecClaim = {
  key: 'uptime',
  kinds: ['time'],
  claim: "/proc/uptime read in a time namespace includes its boottime offset; the creator's does not",
  specIds: ['TIME-12'],
  manPage: 'time_namespaces(7); proc(5) /proc/uptime',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.op.time_uptime('uptimeBase');
    s.sys('unshare', 'unshare', CLONE.NEWTIME);
    s.write('offsets', OFFSETS_FILE, offsetRecords(DAY_S, WEEK_S));
    s.fork('child', 'clone3', 0, (c) => {
      c.op.time_uptime('childUptime', '$uptimeBase');
    });
    s.wait('childExit', 'child');
    s.op.time_uptime('parentUptime', '$uptimeBase');
    return s;
  },
  checks: () => [
    expect.ok('offsets'),
    // Whole seconds of two readings: the difference may gain one second by crossing a boundary.
    expect.compare(at('childUptime', 'diffS'), '>=', WEEK_S),
    expect.compare(at('childUptime', 'diffS'), '<=', WEEK_S + 1),
    expect.compare(at('parentUptime', 'diffS'), '<=', 1, "the creator's /proc/uptime has no offset"),
  ],
};

export const deadlinesInNamespaceTime: SpecClaim = {
  key: 'absolute-deadlines',
  kinds: ['time'],
  claim:
    "absolute deadlines of clock_nanosleep, timerfd_settime and timer_settime on CLOCK_MONOTONIC and CLOCK_BOOTTIME are read in the namespace's time",
  specIds: ['TIME-13'],
  manPage: 'time_namespaces(7)',
  priv: 'U',
  timeoutMs: 15000,
  script: (who) => {
    const s = new Script();
    newTimeNamespaceForChildren(s, who);
    // Read in host time, these deadlines would lie ten years ahead.
    s.write('offsets', OFFSETS_FILE, offsetRecords(TEN_YEARS_S, TEN_YEARS_S));
    s.fork('child', 'clone3', 0, (c) => {
      // The non-blocking readings first, so a regression shows as a wrong remainder, not a hang.
      c.op.instant('armed');
      c.op.time_timer('timerMono', CLOCK.MONOTONIC, 100);
      c.op.time_timer('timerBoot', CLOCK.BOOTTIME, 100);
      c.op.instant('read');
      c.op.time_timerfd('timerfdBoot', CLOCK.BOOTTIME, 100);
      c.op.time_sleepuntil('sleepMono', CLOCK.MONOTONIC, 200);
    });
    s.wait('childExit', 'child');
    return s;
  },
  // A timer read 100 ms or more after it was armed has expired: a remainder of 0 then says nothing about the deadline.
  timely: {
    from: 'armed',
    to: 'read',
    withinMs: 100,
    readings: ['timerMono', 'timerBoot'],
    over: 'the timers armed at now + 100 ms have expired',
  },
  checks: () => [
    expect.ok('offsets'),
    expect.ok('timerMono'),
    expect.compare(
      at('timerMono', 'remainingMs'),
      '<=',
      100,
      'timer_settime(TIMER_ABSTIME) on CLOCK_MONOTONIC at now + 100 ms',
    ),
    expect.compare(at('timerMono', 'remainingMs'), '>', 0),
    expect.compare(at('timerBoot', 'remainingMs'), '<=', 100, 'timer_settime(TIMER_ABSTIME) on CLOCK_BOOTTIME'),
    expect.compare(at('timerBoot', 'remainingMs'), '>', 0),
    expect.ok('timerfdBoot'),
    expect.compare(at('timerfdBoot', 'remainingMs'), '<=', 100, 'timerfd_settime(TFD_TIMER_ABSTIME) on CLOCK_BOOTTIME'),
    expect.compare(at('timerfdBoot', 'remainingMs'), '>', 0),
    expect.compare(at('timerfdBoot', 'elapsedMs'), '>=', 90, 'the timerfd expires about 100 ms later'),
    expect.compare(at('timerfdBoot', 'elapsedMs'), '<', 2000),
    expect.ok('sleepMono'),
    expect.compare(at('sleepMono', 'elapsedMs'), '>=', 190, 'clock_nanosleep(TIMER_ABSTIME) until now + 200 ms'),
    expect.compare(at('sleepMono', 'elapsedMs'), '<', 2000),
  ],
};
