// suites/lifetime: namespace lifetime and reclaim, and the /proc/sys/user/max_*_namespaces limits — namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { fdPinClaims } from './fd-pin.ts';
import {
  ancestorLimitsApply,
  countsArePerUser,
  descendantDefaultsAreMaxint,
  initialDefaultsAreHalfThreadsMax,
  limitFilesExist,
  limitsAreScopedToTheirNamespace,
  onlyCapSysResourceWrites,
  zeroUserLimit,
} from './limits.ts';
import {
  bindMountPinClaims,
  childUserNsPinsParent,
  mqueueMountDoesNotPin,
  ownerStaysWithOwned,
  pidForChildrenPins,
  procMountPins,
  timeForChildrenPins,
} from './pins.ts';
import { freedWhenLastMemberGoes, netTeardownIsAsynchronous, userTeardownIsAsynchronous } from './reclaim.ts';

export const lifetimeSuite = specSuite('lifetime', 'namespace lifetime and reclaim, and the /proc/sys/user/max_*_namespaces limits — namespaces(7)', [
  freedWhenLastMemberGoes,
  ...fdPinClaims,
  ...bindMountPinClaims,
  childUserNsPinsParent,
  ownerStaysWithOwned,
  pidForChildrenPins,
  timeForChildrenPins,
  mqueueMountDoesNotPin,
  procMountPins,
  netTeardownIsAsynchronous,
  userTeardownIsAsynchronous,
  limitFilesExist,
  initialDefaultsAreHalfThreadsMax,
  descendantDefaultsAreMaxint,
  limitsAreScopedToTheirNamespace,
  onlyCapSysResourceWrites,
  countsArePerUser,
  ancestorLimitsApply,
  zeroUserLimit,
]);
