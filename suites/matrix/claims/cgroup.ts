// The cgroup view of a new cgroup namespace — cgroup_namespaces(7).
import { expectText, onCreated, sameText, withOrWithout, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal, type MatrixVariant } from '../variant.ts';

const hasCgroup = (variant: MatrixVariant): boolean => createsKind(variant, 'cgroup');

/** /proc/self/cgroup lines are "hierarchy-ID:controllers:path"; the path may itself hold colons. */
function paths(text: string): string {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(':').slice(2).join(':'))
    .join(' ');
}

export const cgroupClaim: MatrixClaim = {
  key: 'cgroup',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence: withOrWithout(
    hasCgroup,
    '/proc/self/cgroup shows / for every hierarchy',
    "/proc/self/cgroup shows the parent's paths",
  ),
  specIds: (variant) => (hasCgroup(variant) ? ['CG-01'] : ['CLONE-01']),
  manPage: () => 'cgroup_namespaces(7)',
  judge: onCreated(({ variant, parent, child }) => {
    if (!hasCgroup(variant)) return sameText('cgroup paths', parent.cgroup, child.cgroup, paths);
    if (typeof parent.cgroup !== 'string')
      return {
        pass: false,
        expected: "the parent's /proc/self/cgroup read",
        actual: `it could not be read: ${parent.cgroup.errno}`,
      };
    const expected = paths(parent.cgroup)
      .split(' ')
      .map(() => '/')
      .join(' ');
    return expectText(
      expected,
      typeof child.cgroup === 'string' ? paths(child.cgroup) : `unreadable (${child.cgroup.errno})`,
    );
  }),
};
