// suites/user: user namespaces: unmapped ids, id maps, setgroups, capabilities, nesting — user_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const userSuite = specSuite('user', 'user namespaces: unmapped ids, id maps, setgroups, capabilities, nesting — user_namespaces(7)', []);
