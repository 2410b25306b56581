// The claims of this part of the user suite, in report order.
import type { SpecClaim } from '../../harness/script/spec-claim.ts';
import { credentialsTranslatedForReceiver, unmappedCredentials, unmappedFileOwners, unmappedInMapFiles } from './a-unmapped-ids.ts';
import { freshMapsEmpty, initialNamespaceMaps, mapFieldsRelativeToReader } from './a-map-files.ts';
import {
  formatCheckedBeforePermission,
  mapFormatRules,
  mappedIdsMustBeMappedInParent,
  mappingParentRootNeedsSetfcap,
  mapsWriteOnce,
  privilegedWriter340Lines,
  unprivilegedWriterOwnIdOnly,
  writerMustBeInNsOrParent,
} from './a-map-writes.ts';
import { gidMapNeedsDeny, setgroupsFileRules, setgroupsNeedsGidMap, setgroupsWorksWithAllowAndMap, setuidNeedsMappedIds } from './a-setgroups.ts';

export const IDENTITY_AND_MAP_CLAIMS: readonly SpecClaim[] = [
  unmappedCredentials,
  unmappedFileOwners,
  credentialsTranslatedForReceiver,
  freshMapsEmpty,
  initialNamespaceMaps,
  mapFieldsRelativeToReader,
  unmappedInMapFiles,
  mapsWriteOnce,
  mapFormatRules,
  formatCheckedBeforePermission,
  privilegedWriter340Lines,
  writerMustBeInNsOrParent,
  mappedIdsMustBeMappedInParent,
  unprivilegedWriterOwnIdOnly,
  gidMapNeedsDeny,
  mappingParentRootNeedsSetfcap,
  setgroupsFileRules,
  setgroupsNeedsGidMap,
  setgroupsWorksWithAllowAndMap,
  setuidNeedsMappedIds,
];
