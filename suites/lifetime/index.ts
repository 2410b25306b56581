// suites/lifetime: namespace lifetime and reclaim, and the /proc/sys/user/max_*_namespaces limits — namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const lifetimeSuite = specSuite('lifetime', 'namespace lifetime and reclaim, and the /proc/sys/user/max_*_namespaces limits — namespaces(7)', []);
