// Joining a time namespace: the offsets take effect at once, and only for a single-threaded caller — setns(2) CLONE_NEWTIME; time_namespaces(7).
import { CLONE, expect, Script, type ScriptIdentity, type SpecClaim } from '../../harness/kit.ts';

const OFFSET_S = 3600;
const { at } = expect;

/**
 * A time namespace whose CLOCK_MONOTONIC runs OFFSET_S ahead, held by `member`. Offsets can be written only
 * before a process enters, so a maker unshares, writes them, and forks the member; the maker then posts
 * event 0 itself, so `{member}` is set when the main process reads it. The joiner runs `join`.
 */
function timeNamespaceScript(who: ScriptIdentity, join: (joiner: Script) => void): Script {
  const s = new Script();
  s.privileged('p', who);
  s.fork('maker', 'clone3', 0, (m) => {
    m.sys('unshare', 'unshare', CLONE.NEWTIME);
    m.write('offsets', '/proc/self/timens_offsets', `monotonic ${OFFSET_S} 0`);
    m.fork('member', 'clone3', 0, (member) => {
      member.await('memberHeld', 1);
    });
    m.post('memberUp', 0);
    m.wait('memberExit', 'member');
  });
  s.await('makerUp', 0);
  s.open('timeFd', '/proc/{member}/ns/time');
  s.stat('target', '/proc/{member}/ns/time');
  s.fork('joiner', 'clone3', 0, join);
  s.wait('joinerExit', 'joiner');
  s.post('release', 1);
  s.wait('makerExit', 'maker');
  return s;
}

export const timeJoinTakesEffect: SpecClaim = {
  key: 'time-join-single-threaded',
  kinds: ['time'],
  claim:
    "setns(fd, CLONE_NEWTIME) moves a single-threaded caller into the time namespace: ns/time and time_for_children both name it and the caller's CLOCK_MONOTONIC jumps by the namespace's offset",
  specIds: ['SETNS-13'],
  manPage: 'setns(2) CLONE_NEWTIME; time_namespaces(7)',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) =>
    timeNamespaceScript(who, (c) => {
      c.op.setns_clockmark('mark');
      c.setns('join', 'timeFd', CLONE.NEWTIME);
      c.op.setns_clockshift('shift');
      c.stat('nsAfter', '/proc/self/ns/time');
      c.stat('forChildren', '/proc/self/ns/time_for_children');
    }),
  checks: () => [
    expect.ok('offsets'),
    expect.ok('join'),
    expect.same(at('target', 'ino'), at('nsAfter', 'ino'), 'ns/time is the joined namespace'),
    expect.same(at('target', 'ino'), at('forChildren', 'ino'), 'time_for_children is the joined namespace'),
    expect.equals(
      at('shift', 'shiftS'),
      OFFSET_S,
      'seconds CLOCK_MONOTONIC moved against CLOCK_BOOTTIME across the setns',
    ),
  ],
};

export const multithreadedTimeJoin: SpecClaim = {
  key: 'time-join-multithreaded',
  kinds: ['time'],
  claim:
    'a multithreaded caller cannot join a time namespace: setns fails with EUSERS (man page: not documented; kernel: EUSERS, spec D10)',
  specIds: ['SETNS-18'],
  manPage: 'setns(2) (not documented); time_namespaces(7)',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) =>
    timeNamespaceScript(who, (c) => {
      c.stat('nsBefore', '/proc/self/ns/time');
      c.thread('secondThread');
      c.setns('join', 'timeFd', CLONE.NEWTIME);
      c.stat('nsAfter', '/proc/self/ns/time');
    }),
  checks: () => [
    expect.ok('offsets'),
    expect.ok('secondThread'),
    expect.errno('join', 'EUSERS'),
    expect.same(at('nsBefore', 'ino'), at('nsAfter', 'ino'), 'the caller stays in its time namespace'),
  ],
};
