// suites/pid: PID namespaces: pid 1, init, orphans, signals, nesting — pid_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { credentialPidsTranslated } from './credentials.ts';
import { cloneChildIsInit, setnsChildrenSeeNoParent, unshareFirstChildIsInit } from './first-process.ts';
import { initExitKillsMembers, killedInitKillsMembers, noForkAfterInitDied, noForkAfterUnshareInitDied } from './init-death.ts';
import { nestingStopsAt32 } from './nesting.ts';
import { orphanGoesToInit, subreaperBeforeInit } from './orphans.ts';
import { nsLastPidPerNamespace, procListsOwnPids, procLocksOwnNamespace } from './proc-files.ts';
import { rebootEndsNamespace, rebootErrors } from './reboot.ts';
import { ancestorSignalsToInit, ancestorsAreInvisible, membersCannotKillInit } from './signals.ts';

export const pidSuite = specSuite('pid', 'PID namespaces: pid 1, init, orphans, signals, nesting — pid_namespaces(7)', [
  cloneChildIsInit,
  unshareFirstChildIsInit,
  setnsChildrenSeeNoParent,
  orphanGoesToInit,
  subreaperBeforeInit,
  initExitKillsMembers,
  killedInitKillsMembers,
  noForkAfterInitDied,
  noForkAfterUnshareInitDied,
  membersCannotKillInit,
  ancestorSignalsToInit,
  ancestorsAreInvisible,
  nestingStopsAt32,
  procListsOwnPids,
  nsLastPidPerNamespace,
  procLocksOwnNamespace,
  rebootEndsNamespace,
  rebootErrors,
  credentialPidsTranslated,
]);
