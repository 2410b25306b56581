// reboot(2) inside a PID namespace: it ends the namespace, never the host — reboot(2) "Behavior inside PID namespaces".
import { CLONE, expect, REBOOT, Script, type ScriptIdentity, type SpecClaim, str } from '../../harness/kit.ts';
import { dropAllCaps } from './steps.ts';

const HALT = 0xcdef0123;
const RESTART2 = 0xa1b2c3d4;
/** The uid the reboot callers have inside their user namespace: not root (spec note 11). */
const INNER_UID = 1000;

function reboot(s: Script, label: string, command: number): void {
  s.sys(label, 'reboot', REBOOT.MAGIC1, REBOOT.MAGIC2, command, command === RESTART2 ? str('nsconform') : 0);
}

/** Both modes: a new user namespace where the caller has every capability but uid 1000, so reboot() can only reach a namespace. */
function nonRootInOwnUserNs(s: Script, who: ScriptIdentity): void {
  s.sys('uUnshare', 'unshare', CLONE.NEWUSER);
  s.mapIds('u', 'self', who.uid, who.gid, INNER_UID);
  s.sys('euid', 'geteuid');
}

export const rebootEndsNamespace: SpecClaim = {
  key: 'reboot-kills-init',
  kinds: ['user', 'pid'],
  claim:
    'reboot() in a PID namespace kills its init: RESTART and RESTART2 show the parent SIGHUP, POWER_OFF (even from a member) and HALT show SIGINT',
  specIds: ['PID-17'],
  manPage: 'reboot(2) "Behavior inside PID namespaces"; pid_namespaces(7)',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    nonRootInOwnUserNs(s, who);
    s.fork('restart', 'clone3', CLONE.NEWPID, (c) => reboot(c, 'rebootRestart', REBOOT.RESTART));
    s.wait('restartExit', 'restart');
    s.fork('restart2', 'clone3', CLONE.NEWPID, (c) => reboot(c, 'rebootRestart2', RESTART2));
    s.wait('restart2Exit', 'restart2');
    s.fork('halt', 'clone3', CLONE.NEWPID, (c) => reboot(c, 'rebootHalt', HALT));
    s.wait('haltExit', 'halt');
    s.fork('powerOff', 'clone3', CLONE.NEWPID, (c) => {
      c.fork('member', 'clone3', 0, (m) => reboot(m, 'rebootPowerOff', REBOOT.POWER_OFF));
      c.wait('memberExit', 'member');
    });
    s.wait('powerOffExit', 'powerOff');
    return s;
  },
  checks: () => [
    expect.ret('euid', INNER_UID, 'the callers are not root in their user namespace'),
    expect.killedBy('restartExit', 'SIGHUP', 'LINUX_REBOOT_CMD_RESTART'),
    expect.killedBy('restart2Exit', 'SIGHUP', 'LINUX_REBOOT_CMD_RESTART2'),
    expect.killedBy('haltExit', 'SIGINT', 'LINUX_REBOOT_CMD_HALT'),
    expect.killedBy('powerOffExit', 'SIGINT', 'LINUX_REBOOT_CMD_POWER_OFF from a member kills the init'),
  ],
};

export const rebootErrors: SpecClaim = {
  key: 'reboot-einval-eperm',
  kinds: ['user', 'pid'],
  claim:
    'reboot() in a PID namespace gives EINVAL for a command other than restart, halt or power-off, and EPERM to a caller without CAP_SYS_BOOT in its user namespace',
  specIds: ['PID-17'],
  manPage: 'reboot(2) "Behavior inside PID namespaces", ERRORS',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    nonRootInOwnUserNs(s, who);
    s.fork('init', 'clone3', CLONE.NEWPID, (c) => {
      // With the capability first (spec note 6), then without it.
      reboot(c, 'cadOff', REBOOT.CAD_OFF);
      dropAllCaps(c, 'dropCaps');
      reboot(c, 'noCap', REBOOT.RESTART);
    });
    s.wait('initExit', 'init');
    return s;
  },
  checks: () => [
    expect.ret('euid', INNER_UID, 'the caller is not root in its user namespace'),
    expect.errno('cadOff', 'EINVAL', 'LINUX_REBOOT_CMD_CAD_OFF inside a PID namespace'),
    expect.ok('dropCaps'),
    expect.errno('noCap', 'EPERM', 'without CAP_SYS_BOOT'),
    expect.exitCode('initExit', 0, 'neither call touched the init'),
  ],
};
