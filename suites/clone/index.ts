// suites/clone: clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors.
import { specSuite } from '../../harness/script/spec-claim.ts';
import { clone3SizeRules } from './clone3-args.ts';
import { newUserOwnsTheRest, newUserWithEachFlag, realRootWithoutNewUser } from './combinations.ts';
import { clone3MakesTimeNamespace, cloneCannotMakeTimeNamespace, eachFlagMakesOneNamespace, newUserNeedsNoPrivilege } from './flags.ts';
import { parentWithNewNamespaces } from './parent.ts';
import { chrootedCallerCannotNest, privilegeCheckedFirst, unmappedCallerCannotNest, unprivilegedNeedsNewUser, unshareWithNewUserUnprivileged } from './privilege.ts';
import {
  initCannotUseParent,
  ipcWithSysvsem,
  newPidWithVm,
  noThreadAfterPidChange,
  nsWithFs,
  pidWithThread,
  userWithFs,
  userWithThread,
} from './rules.ts';
import { chosenTidInUsedNamespace, newPidNeedsTidOne, setTidNeedsCapability, tidSizeBoundedByDepth, usedTidIsEexist } from './set-tid.ts';

export const cloneSuite = specSuite('clone', 'clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors', [
  eachFlagMakesOneNamespace,
  unprivilegedNeedsNewUser,
  newUserNeedsNoPrivilege,
  unmappedCallerCannotNest,
  chrootedCallerCannotNest,
  clone3MakesTimeNamespace,
  cloneCannotMakeTimeNamespace,
  newPidNeedsTidOne,
  usedTidIsEexist,
  tidSizeBoundedByDepth,
  setTidNeedsCapability,
  chosenTidInUsedNamespace,
  newUserWithEachFlag,
  newUserOwnsTheRest,
  realRootWithoutNewUser,
  unshareWithNewUserUnprivileged,
  nsWithFs,
  userWithFs,
  pidWithThread,
  userWithThread,
  parentWithNewNamespaces,
  ipcWithSysvsem,
  privilegeCheckedFirst,
  noThreadAfterPidChange,
  initCannotUseParent,
  newPidWithVm,
  clone3SizeRules,
]);
