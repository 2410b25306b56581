// suites/pid: PID namespaces: pid 1, init, orphans, signals, nesting — pid_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const pidSuite = specSuite('pid', 'PID namespaces: pid 1, init, orphans, signals, nesting — pid_namespaces(7)', []);
