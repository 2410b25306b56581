// suites/cgroup: cgroup namespaces: paths relative to the namespace root — cgroup_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { DELEGATION_CLAIMS } from './delegation.ts';
import { SETNS_CLAIMS } from './setns.ts';
import { VIEW_CLAIMS } from './views.ts';

export const cgroupSuite = specSuite('cgroup', 'cgroup namespaces: paths relative to the namespace root — cgroup_namespaces(7)', [
  ...VIEW_CLAIMS,
  ...SETNS_CLAIMS,
  ...DELEGATION_CLAIMS,
]);
