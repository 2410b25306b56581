// suites/clone: clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors.
import type { Need } from '../../harness/needs/index.ts';
import { specSuite, type SpecClaim } from '../../harness/script/spec-claim.ts';
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

/** Ops of native/src/script_clone_ops.c whose children are register-only x86-64 code. */
const X86_ONLY_OPS: readonly string[] = ['bareclone', 'bareclone3', 'settid', 'settiddeep'];
const X86_64: Need = { kind: 'machine', machine: 'x86_64' };

/** A claim that uses those ops needs an x86-64 machine; elsewhere it is a skip with that reason, not a failure. */
function withMachineNeed(claim: SpecClaim): SpecClaim {
  const probe = { mode: 'root', uid: 0, gid: 0 } as const;
  // Clone scripts never read the environment, so building one here needs none.
  const { ops } = claim.script(probe, undefined as never);
  const usesX86Ops = X86_ONLY_OPS.some((op) => ops.has(op));
  return usesX86Ops ? { ...claim, needs: [...(claim.needs ?? []), X86_64] } : claim;
}

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
].map(withMachineNeed));
