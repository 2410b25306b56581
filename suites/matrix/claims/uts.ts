// Hostname and domain name in a new UTS namespace — uts_namespaces(7).
import { expectText, onCreated, withOrWithout, type MatrixClaim } from '../claim.ts';
import { CHILD_HOSTNAME } from '../observation.ts';
import { createsKind, expectsRefusal, type MatrixVariant } from '../variant.ts';

const hasUts = (variant: MatrixVariant): boolean => createsKind(variant, 'uts');

export const utsClaim: MatrixClaim = {
  key: 'uts',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence: withOrWithout(
    hasUts,
    "the hostname starts as the parent's and sethostname changes only the child's",
    "the child sees the parent's hostname and domain name",
  ),
  specIds: (variant) => (hasUts(variant) ? ['UTS-01', 'UTS-02'] : ['CLONE-01']),
  manPage: () => 'uts_namespaces(7); sethostname(2)',
  judge: onCreated(({ variant, parent, child, outside }) => {
    const names = `hostname ${JSON.stringify(child.hostname)}, domain name ${JSON.stringify(child.domainname)}`;
    const expectedNames = `hostname ${JSON.stringify(parent.hostname)}, domain name ${JSON.stringify(parent.domainname)}`;
    if (!hasUts(variant)) return expectText(expectedNames, names);
    const set = child.ops.sethostname;
    const setText = set?.ok ? 'ok' : (set?.errno ?? 'not run');
    const get = child.ops.gethostname;
    const readBack = get?.ok ? JSON.stringify(get.text ?? '') : `unread (${get?.errno ?? 'not run'})`;
    return expectText(
      `${expectedNames} at first; sethostname(${CHILD_HOSTNAME}) ok, and uname() then gives ${JSON.stringify(CHILD_HOSTNAME)}; parent's hostname still ${JSON.stringify(parent.hostname)}`,
      `${names} at first; sethostname(${CHILD_HOSTNAME}) ${setText}, and uname() then gives ${readBack}; parent's hostname still ${JSON.stringify(outside.hostname)}`,
    );
  }),
};
