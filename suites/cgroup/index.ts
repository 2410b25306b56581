// suites/cgroup: cgroup namespaces: paths relative to the namespace root — cgroup_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const cgroupSuite = specSuite('cgroup', 'cgroup namespaces: paths relative to the namespace root — cgroup_namespaces(7)', []);
