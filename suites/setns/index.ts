// suites/setns: setns(2) by fd and pidfd, and unshare(2): rules and errors.
import { specSuite } from '../../harness/script/spec-claim.ts';

export const setnsSuite = specSuite('setns', 'setns(2) by fd and pidfd, and unshare(2): rules and errors', []);
