// Signals to a PID namespace's init, and which processes a member can see — pid_namespaces(7) "The namespace init process", "Nesting PID namespaces".
import { CLONE, expect, Script, SIG, type SpecClaim } from '../../harness/kit.ts';
import { WUNTRACED, catchSignal, caught, visible } from './steps.ts';

const { at } = expect;
/** /proc/[pid]/stat of a stopped process: state T after the command name. */
const STOPPED = /^\d+ \(.*\) T /;

export const membersCannotKillInit: SpecClaim = {
  key: 'member-signals-to-init',
  kinds: ['pid'],
  claim:
    "a member's kill(1, SIGKILL) and kill(1, SIGTERM) return 0 but are dropped, so the init survives; a signal the init handles reaches it with the member's PID",
  specIds: ['PID-10'],
  manPage: 'pid_namespaces(7) "The namespace init process"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      catchSignal(c, 'handleUsr2', SIG.USR2);
      c.fork('member', 'clone3', 0, (m) => {
        m.sys('killKill', 'kill', 1, SIG.KILL);
        m.sys('killTerm', 'kill', 1, SIG.TERM);
        m.sys('killUsr2', 'kill', 1, SIG.USR2);
      });
      c.wait('memberExit', 'member');
      caught(c, 'usr2', SIG.USR2);
      c.sys('initAlive', 'getpid');
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('handleUsr2'),
    expect.ret('killKill', 0, 'kill(1, SIGKILL) from a member succeeds'),
    expect.ret('killTerm', 0),
    expect.ret('killUsr2', 0),
    expect.exitCode('memberExit', 0),
    expect.ok('usr2', 'the handled signal arrived'),
    expect.same(at('member', 'r'), at('usr2', 'siPid'), "si_pid is the sender's PID in the namespace"),
    expect.ret('initAlive', 1, 'the init still runs after SIGKILL and SIGTERM from its member'),
    expect.exitCode('initExit', 0, 'and exits on its own, not killed'),
  ],
};

export const ancestorSignalsToInit: SpecClaim = {
  key: 'ancestor-signals-to-init',
  kinds: ['pid'],
  claim:
    'from the parent namespace, SIGUSR1, SIGTERM and SIGHUP are dropped for an init without handlers, a handled SIGUSR2 arrives with si_pid 0, SIGSTOP stops the init and SIGKILL kills it',
  specIds: ['PID-11'],
  manPage: 'pid_namespaces(7) "The namespace init process"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      catchSignal(c, 'handleUsr2', SIG.USR2);
      c.post('initReady', 0);
      c.await('signalsSent', 1);
      caught(c, 'usr2', SIG.USR2);
      c.post('initSurvived', 2);
      c.await('initNever', 15);
    });
    s.await('ready', 0);
    s.sys('sendUsr1', 'kill', '$init', SIG.USR1);
    s.sys('sendTerm', 'kill', '$init', SIG.TERM);
    s.sys('sendHup', 'kill', '$init', SIG.HUP);
    s.sys('sendUsr2', 'kill', '$init', SIG.USR2);
    s.post('sent', 1);
    s.await('survived', 2);
    s.sys('sendStop', 'kill', '$init', SIG.STOP);
    s.wait('stopped', 'init', WUNTRACED);
    s.read('initStat', '/proc/{init}/stat');
    s.sys('sendKill', 'kill', '$init', SIG.KILL);
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('handleUsr2'),
    expect.ret('sendUsr1', 0),
    expect.ret('sendTerm', 0),
    expect.ret('sendHup', 0),
    expect.ret('sendUsr2', 0),
    expect.ok('usr2', 'the handled SIGUSR2 arrived'),
    expect.equals(at('usr2', 'siPid'), 0, 'si_pid of a sender outside the namespace'),
    expect.ok('survived', 'the init outlived SIGUSR1, SIGTERM and SIGHUP'),
    expect.ret('sendStop', 0),
    expect.same(at('init', 'r'), at('stopped', 'r'), 'waitpid(WUNTRACED) reports the init stopped'),
    expect.matches(at('initStat', 'text'), STOPPED, 'its state is T'),
    expect.ret('sendKill', 0),
    expect.killedBy('initExit', 'SIGKILL'),
  ],
};

export const ancestorsAreInvisible: SpecClaim = {
  key: 'ancestor-pids-invisible',
  kinds: ['pid'],
  claim:
    'a member sees its own namespace but not its ancestor: kill(pid, 0) of a PID that exists only in the parent namespace gives ESRCH, while the parent sees the member',
  specIds: ['PID-12'],
  manPage: 'pid_namespaces(7) "Nesting PID namespaces"; kill(2) ERRORS',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('mainPid', 'getpid');
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      visible(c, 'seeSelf', 1);
      visible(c, 'seeParent', 'mainPid');
      c.post('initReady', 0);
      c.await('initRelease', 1);
    });
    s.await('ready', 0);
    visible(s, 'seeInit', 'init');
    s.post('release', 1);
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ok('seeSelf', 'kill(1, 0) inside the namespace'),
    expect.errno('seeParent', 'ESRCH', "kill(<the parent's PID>, 0) from inside"),
    expect.ok('seeInit', 'the parent namespace sees its descendant'),
    expect.exitCode('initExit', 0),
  ],
};
