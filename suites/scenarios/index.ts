// suites/scenarios: the classic container walkthroughs, replayed end to end with ordinary tools.
import { specSuite } from '../../harness/script/spec-claim.ts';
import { WALK_CLAIMS } from './flags-one-at-a-time.ts';
import { containerMapsReadAsWritten, initialMapsAreIdentity } from './identity-maps.ts';
import { procRemounted, utsAndPid } from './minimal-container.ts';
import { smallContainer } from './small-container.ts';

export const scenariosSuite = specSuite('scenarios', 'the classic container walkthroughs, replayed end to end with ordinary tools', [
  utsAndPid,
  procRemounted,
  ...WALK_CLAIMS,
  smallContainer,
  initialMapsAreIdentity,
  containerMapsReadAsWritten,
]);
