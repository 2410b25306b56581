// suites/clone: clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors.
import { specSuite } from '../../harness/script/spec-claim.ts';

export const cloneSuite = specSuite('clone', 'clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors', []);
