// suites/uts: UTS namespaces — uts_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { changesSeenByMembersOnly, startsWithCallersNames } from './names.ts';
import { needsCapabilityOverOwner, unprivilegedGetsEperm } from './privilege.ts';

export const utsSuite = specSuite('uts', 'UTS namespaces: initial names, isolation, and who may change them', [
  startsWithCallersNames,
  changesSeenByMembersOnly,
  needsCapabilityOverOwner,
  unprivilegedGetsEperm,
]);
