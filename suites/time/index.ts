// suites/time: time namespaces: monotonic and boottime offsets — time_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const timeSuite = specSuite('time', 'time namespaces: monotonic and boottime offsets — time_namespaces(7)', []);
