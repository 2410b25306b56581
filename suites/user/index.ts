// suites/user: user namespaces: unmapped ids, id maps, setgroups, capabilities, nesting — user_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { IDENTITY_AND_MAP_CLAIMS } from './identity-and-maps.ts';
import { CAPABILITY_AND_NESTING_CLAIMS } from './capabilities-and-nesting.ts';

export const userSuite = specSuite('user', 'user namespaces: unmapped ids, id maps, setgroups, capabilities, nesting — user_namespaces(7)', [
  ...IDENTITY_AND_MAP_CLAIMS,
  ...CAPABILITY_AND_NESTING_CLAIMS,
]);
