// Which namespaces are new — namespaces(7) /proc/[pid]/ns, user_namespaces(7), clone(2).
import { NAMESPACES } from '../../../harness/namespaces.ts';
import { isErrno, type NsEntry } from '../../../harness/observer/record.ts';
import { expectText, onCreated, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal, passesFlag, type MatrixVariant } from '../variant.ts';

function specIds(variant: MatrixVariant): string[] {
  const ids = [
    'CLONE-01',
    'NS-03',
    variant.mode === 'unprivileged' || passesFlag(variant, 'user') ? 'COMBO-01' : 'COMBO-03',
  ];
  if (passesFlag(variant, 'time'))
    ids.push({ clone3: 'CLONE-07', unshare: 'TIME-01', clone: 'CLONE-08' }[variant.path.name]);
  return ids;
}

function render(newKinds: readonly string[], sameKinds: readonly string[], absent: readonly string[]): string {
  const missing = absent.length ? `; not in this kernel: ${absent.join(', ')}` : '';
  return `new: ${newKinds.join(', ') || 'none'}; same as the parent's: ${sameKinds.join(', ') || 'none'}${missing}`;
}

function sameNamespace(a: NsEntry, b: NsEntry): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

export const identityClaim: MatrixClaim = {
  key: 'identity',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence: () => "each namespace differs from the parent's exactly when its flag is set",
  specIds,
  manPage: () =>
    'namespaces(7) "The /proc/[pid]/ns/ directory"; user_namespaces(7) "Interaction of user namespaces and other types of namespaces"',
  /**
   * A kind only the environment says the kernel lacks may be absent from /proc/self/ns, and the verdict names it; an
   * entry missing for a kind the kernel has (or may have) is a failure, never a kind quietly left out of the comparison.
   */
  judge: onCreated(({ variant, env, parent, child }) => {
    const expected = { new: [] as string[], same: [] as string[], absent: [] as string[] };
    const actual = { new: [] as string[], same: [] as string[], absent: [] as string[] };
    for (const kind of NAMESPACES) {
      const mine = child.ns[kind.procEntry];
      const theirs = parent.ns[kind.procEntry];
      if (env.built[kind.name].state === 'no') expected.absent.push(kind.name);
      else (createsKind(variant, kind.name) ? expected.new : expected.same).push(kind.name);
      if (mine === undefined && theirs === undefined) actual.absent.push(kind.name);
      else if (!mine || !theirs || isErrno(mine) || isErrno(theirs))
        actual.new.push(`${kind.name} (${!mine || !theirs ? 'missing' : 'unreadable'})`);
      else (sameNamespace(mine, theirs) ? actual.same : actual.new).push(kind.name);
    }
    return expectText(
      render(expected.new, expected.same, expected.absent),
      render(actual.new, actual.same, actual.absent),
    );
  }),
};
