// suites/mnt: mount namespaces: isolation, /proc, propagation types, locked mounts — mount_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { changesStayInside, destroyUnmounts, mountsPollable, procFilesDescribeTarget, removeForeignMountPoint, startsWithCopy } from './isolation.ts';
import { lockedFlags, lockedMounts, lockedSubtree, sharedBecomesSlave } from './locked.ts';
import { procShowsOwnPids } from './procfs.ts';
import {
  bindTakesSourceType,
  destroyLeavesPeerGroup,
  moveUnderSharedParent,
  propagateFrom,
  sharedPeers,
  slaveOneWay,
  typeTransitions,
  unbindable,
} from './propagation.ts';

export const mntSuite = specSuite('mnt', 'mount namespaces: isolation, /proc, propagation types, locked mounts — mount_namespaces(7)', [
  startsWithCopy,
  changesStayInside,
  procFilesDescribeTarget,
  procShowsOwnPids,
  removeForeignMountPoint,
  mountsPollable,
  sharedPeers,
  slaveOneWay,
  unbindable,
  typeTransitions,
  bindTakesSourceType,
  moveUnderSharedParent,
  propagateFrom,
  destroyLeavesPeerGroup,
  destroyUnmounts,
  sharedBecomesSlave,
  lockedMounts,
  lockedSubtree,
  lockedFlags,
]);
