// suites/nsfs: /proc/<pid>/ns links and the ioctl_ns(2) operations — namespaces(7), ioctl_ns(2).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { foreignLinksNeedPtraceRead } from './access.ts';
import { HARNESS_CLAIMS } from './harness-descriptors.ts';
import { forChildrenBeforeFirstChild, openGivesNamespaceDescriptor, pidLinkNeverChanges } from './descriptors.ts';
import { entriesPresent, linksNameTypeAndInode, sameNamespaceSameIdentity } from './entries.ts';
import { answersOutsideScopeAreEperm, initialNamespacesHaveNoParent, noParentForFlatKinds, owningUserNamespace, pidNamespaceParent, userNamespaceParent } from './ioctl-relations.ts';
import { notNsfsIsEnotty, ownerUidInCallersView, ownerUidNeedsUserNamespace, typeOfEveryEntry } from './ioctl-type-and-owner.ts';

export const nsfsSuite = specSuite('nsfs', '/proc/<pid>/ns links and the ioctl_ns(2) operations — namespaces(7), ioctl_ns(2)', [
  entriesPresent,
  linksNameTypeAndInode,
  sameNamespaceSameIdentity,
  openGivesNamespaceDescriptor,
  pidLinkNeverChanges,
  forChildrenBeforeFirstChild,
  foreignLinksNeedPtraceRead,
  owningUserNamespace,
  userNamespaceParent,
  pidNamespaceParent,
  noParentForFlatKinds,
  initialNamespacesHaveNoParent,
  answersOutsideScopeAreEperm,
  typeOfEveryEntry,
  ownerUidInCallersView,
  ownerUidNeedsUserNamespace,
  notNsfsIsEnotty,
], HARNESS_CLAIMS);
