// /proc mounted inside a new PID and mount namespace shows that namespace only — pid_namespaces(7) "/proc and PID namespaces".
import { CLONE, expect, MS, Script, type SpecClaim, str } from '../../harness/kit.ts';
import { mounts } from './steps.ts';

const { at } = expect;
/** The PIDs /proc lists: readdir gives the fixed entries first, then "self", "thread-self" and one entry per process. */
const PIDS = /\bthread-self ((?:\d+ ?)*)$/;

export const procShowsOwnPids: SpecClaim = {
  key: 'proc-shows-own-pids',
  kinds: ['mnt', 'pid'],
  claim:
    "/proc mounted in a new PID and mount namespace lists only that namespace's processes and /proc/self is the caller's PID there, while the /proc outside is unchanged",
  specIds: ['PID-14', 'PID-15', 'MNT-02'],
  manPage: 'pid_namespaces(7) "/proc and PID namespaces"; mount_namespaces(7)',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    mounts(s, 'procBefore', '/proc/self/mountinfo', '/proc');
    s.fork('init', 'clone3', CLONE.NEWPID | CLONE.NEWNS, (c) => {
      c.fork('member', 'clone3', 0, (m) => {
        m.await('released', 1);
      });
      c.sys('mountProc', 'mount', str('proc'), str('/proc'), str('proc'), MS.NOSUID | MS.NODEV | MS.NOEXEC, 0);
      c.readdir('inside', '/proc');
      c.readlink('self', '/proc/self');
      c.post('looked', 0);
      c.post('release', 1);
      c.wait('memberExit', 'member');
    });
    s.await('waitLooked', 0);
    s.stat('outsideInit', '/proc/{init}');
    mounts(s, 'procAfter', '/proc/self/mountinfo', '/proc');
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('init'),
    expect.ok('mountProc'),
    expect.equals(at('inside', 'names', PIDS), '1 2', 'only init (1) and its child (2)'),
    expect.equals(at('self', 'text'), '1', "/proc/self is the caller's PID in the namespace"),
    expect.ok(
      'outsideInit',
      "the /proc outside still lists processes by their outer PIDs, the namespace's init among them",
    ),
    expect.same(at('procBefore', 'at.@.id'), at('procAfter', 'at.@.id'), 'and is still the same mount'),
    expect.same(at('procBefore', 'list'), at('procAfter', 'list'), 'no new mount appeared on /proc outside'),
  ],
};
