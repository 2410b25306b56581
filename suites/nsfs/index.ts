// suites/nsfs: /proc/<pid>/ns links and the ioctl_ns(2) operations — namespaces(7), ioctl_ns(2).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const nsfsSuite = specSuite('nsfs', '/proc/<pid>/ns links and the ioctl_ns(2) operations — namespaces(7), ioctl_ns(2)', []);
