// Unprivileged creation without CLONE_NEWUSER — clone(2) and unshare(2) ERRORS, EPERM.
import type { MatrixClaim } from '../claim.ts';
import { PASS } from '../claim.ts';
import { describeCall, expectsRefusal } from '../variant.ts';

export const refusalClaim: MatrixClaim = {
  key: 'refusal',
  appliesTo: expectsRefusal,
  sentence: () => 'creation without CLONE_NEWUSER is refused with EPERM',
  specIds: () => ['CLONE-02'],
  manPage: () => 'clone(2) ERRORS (EPERM); unshare(2) ERRORS (EPERM)',
  judge: (observation) => {
    const expected = `${describeCall(observation.variant)} to fail with EPERM`;
    if (observation.kind === 'created') return { pass: false, expected, actual: `it created a child (pid ${observation.childPid})` };
    return observation.errno === 'EPERM' ? PASS : { pass: false, expected, actual: `it failed with ${observation.errno}` };
  },
};
