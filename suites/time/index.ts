// suites/time: time namespaces: offsets, the clocks they shift, and who may set them — time_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { CLOCK_CLAIMS } from './clocks.ts';
import { OFFSETS_FILE_CLAIMS } from './offsets-file.ts';

export const timeSuite = specSuite('time', 'time namespaces: offsets, the clocks they shift, and who may set them — time_namespaces(7)', [
  ...OFFSETS_FILE_CLAIMS,
  ...CLOCK_CLAIMS,
]);
