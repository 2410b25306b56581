// suites/setns: setns(2) by fd and pidfd, and unshare(2): rules and errors.
import { specSuite } from '../../harness/script/spec-claim.ts';
import { cgroupJoinChangesViewOnly } from './cgroup-join.ts';
import { badDescriptors, joinsWhatTheFdNames, ownUserNamespace, pidJoinOnlyForChildren, wrongTypeGivesEinval } from './join-by-fd.ts';
import {
  adminInOwnNamespaceNeeded,
  adminOverOwnerNeeded,
  ancestorPidNamespace,
  mountJoinNeedsChroot,
  userJoinNeedsOwnThreadAndFs,
  userNamespaceDescendantsOnly,
} from './join-permissions.ts';
import { maskIsAllOrNothing, maskJoinsListedKinds, pidfdOpenErrors, pidfdSetnsErrors } from './pidfd.ts';
import { multithreadedTimeJoin, timeJoinTakesEffect } from './time-join.ts';
import { newPidInThreadedCaller, threadSharingFlags, unknownFlags } from './unshare-errors.ts';
import { newIpcDetachesSemadj, newNsImpliesFs, newPidIsForChildren, newUserGivesCapsThereOnly, newUserImpliesFs, unshareZeroChangesNothing } from './unshare-effects.ts';

export const setnsSuite = specSuite('setns', 'setns(2) by fd and pidfd, and unshare(2): rules and errors', [
  joinsWhatTheFdNames,
  wrongTypeGivesEinval,
  badDescriptors,
  ownUserNamespace,
  ancestorPidNamespace,
  pidJoinOnlyForChildren,
  userNamespaceDescendantsOnly,
  userJoinNeedsOwnThreadAndFs,
  mountJoinNeedsChroot,
  adminOverOwnerNeeded,
  adminInOwnNamespaceNeeded,
  cgroupJoinChangesViewOnly,
  timeJoinTakesEffect,
  multithreadedTimeJoin,
  maskJoinsListedKinds,
  maskIsAllOrNothing,
  pidfdSetnsErrors,
  pidfdOpenErrors,
  unshareZeroChangesNothing,
  newUserGivesCapsThereOnly,
  newPidIsForChildren,
  newNsImpliesFs,
  newUserImpliesFs,
  unknownFlags,
  threadSharingFlags,
  newPidInThreadedCaller,
  newIpcDetachesSemadj,
]);
