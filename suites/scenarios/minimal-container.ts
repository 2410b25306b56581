// Scenario 1, the minimal container: clone(CLONE_NEWUTS|CLONE_NEWPID), then add CLONE_NEWNS and remount /proc — clone(2), pid_namespaces(7) "/proc and PID namespaces".
import { CLONE, expect, HOST_TOOLS, MS, needsTools, Script, type SpecClaim, str, toolPath } from '../../harness/kit.ts';

const { at } = expect;
const NAME = 'container';

export const utsAndPid: SpecClaim = {
  key: 'minimal-uts-pid',
  kinds: ['uts', 'pid'],
  claim:
    'minimal container, step 1 (host tools): a child cloned with CLONE_NEWUTS|CLONE_NEWPID is pid 1, `hostname container` changes the name inside only',
  specIds: ['PID-01', 'UTS-02'],
  manPage: 'clone(2) CLONE_NEWUTS, CLONE_NEWPID; uts_namespaces(7); pid_namespaces(7)',
  priv: 'U',
  needs: needsTools(HOST_TOOLS.hostname),
  script: (who) => {
    const s = new Script();
    const hostname = toolPath(HOST_TOOLS.hostname);
    s.privileged('p', who);
    s.run('hostBefore', 0, null, hostname, 'hostname');
    s.fork('child', 'clone3', CLONE.NEWUTS | CLONE.NEWPID, (c) => {
      c.sys('childPid', 'getpid');
      c.run('setName', 0, null, hostname, 'hostname', NAME);
      c.run('nameInside', 0, null, hostname, 'hostname');
    });
    s.wait('childExit', 'child');
    s.run('hostAfter', 0, null, hostname, 'hostname');
    return s;
  },
  checks: () => [
    expect.ret('childPid', 1, 'getpid() in the child'),
    expect.equals(at('setName', 'code'), 0, '`hostname container` exits 0'),
    expect.equals(at('nameInside', 'text'), `${NAME}\n`, '`hostname` inside'),
    expect.same(at('hostBefore', 'text'), at('hostAfter', 'text'), '`hostname` outside is unchanged'),
    expect.exitCode('childExit', 0),
  ],
};

export const procRemounted: SpecClaim = {
  key: 'minimal-proc',
  kinds: ['mnt', 'uts', 'pid'],
  claim:
    "minimal container, step 2 (host ps): with CLONE_NEWNS added and /proc remounted, `ps` inside lists exactly the container's own two processes, and the host's /proc is untouched",
  specIds: ['MNT-01', 'PID-01'],
  manPage: 'pid_namespaces(7) "/proc and PID namespaces"; mount_namespaces(7)',
  priv: 'U',
  needs: needsTools(HOST_TOOLS.ps),
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('me', 'getpid');
    s.stat('procBefore', '/proc');
    s.fork('child', 'clone3', CLONE.NEWUTS | CLONE.NEWPID | CLONE.NEWNS, (c) => {
      c.sys('mountProc', 'mount', str('proc'), str('/proc'), str('proc'), MS.NOSUID | MS.NODEV | MS.NOEXEC, 0);
      c.run('ps', 0, null, toolPath(HOST_TOOLS.ps), 'ps', '-e', '-o', 'pid=,comm=');
    });
    s.wait('childExit', 'child');
    s.stat('procAfter', '/proc');
    s.stat('ownEntry', '/proc/{me}');
    return s;
  },
  checks: () => [
    expect.ok('mountProc'),
    expect.matches(at('ps', 'text'), /^\s*1 \S+\n\s*\d+ ps\n$/, 'pid 1 (the container) and ps itself, nothing else'),
    expect.same(at('procBefore', 'dev'), at('procAfter', 'dev'), "the host's /proc is the same mount afterwards"),
    expect.ok('ownEntry', "the host's /proc still lists the runner's own process"),
  ],
};
