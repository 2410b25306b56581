// Mounts made in a new mount namespace stay there — mount_namespaces(7).
import { expectText, onCreated, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal } from '../variant.ts';

export const mntClaim: MatrixClaim = {
  key: 'mnt',
  appliesTo: (variant) => !expectsRefusal(variant) && createsKind(variant, 'mnt'),
  sentence: () => 'a tmpfs the child mounts after making / private is invisible to the parent',
  specIds: () => ['MNT-01', 'MNT-02'],
  manPage: () => 'mount_namespaces(7) "Shared subtrees"; spec §2 note 11 (/ made recursively private first)',
  judge: onCreated(({ parent, child, outside }) => {
    const rprivate = child.ops.rprivate;
    const mount = child.ops['mount-tmpfs'];
    const result = (op: typeof mount): string => (op?.ok ? 'ok' : (op?.errno ?? 'not run'));
    const childSees = mount?.ok && mount.value !== parent.scratchDev ? 'a new filesystem' : 'the old filesystem';
    const parentSees = outside.scratchDev === parent.scratchDev ? 'the old filesystem' : 'a new filesystem';
    return expectText(
      'rprivate ok, mount ok; the child sees a new filesystem on the scratch dir, the parent the old filesystem',
      `rprivate ${result(rprivate)}, mount ${result(mount)}; the child sees ${childSees} on the scratch dir, the parent ${parentSees}`,
    );
  }),
};
