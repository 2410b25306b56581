// Which namespaces are new — namespaces(7) /proc/[pid]/ns, user_namespaces(7), clone(2).
import { NAMESPACES } from '../../../harness/namespaces.ts';
import { isErrno, type NsEntry } from '../../../harness/observer/record.ts';
import { expectText, onCreated, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal, passesFlag, type MatrixVariant } from '../variant.ts';

function specIds(variant: MatrixVariant): string[] {
  const ids = ['CLONE-01', 'NS-03', variant.mode === 'unprivileged' || passesFlag(variant, 'user') ? 'COMBO-01' : 'COMBO-03'];
  if (passesFlag(variant, 'time')) ids.push({ clone3: 'CLONE-07', unshare: 'TIME-01', clone: 'CLONE-08' }[variant.path.name]);
  return ids;
}

function render(newKinds: readonly string[], sameKinds: readonly string[]): string {
  return `new: ${newKinds.join(', ') || 'none'}; same as the parent's: ${sameKinds.join(', ') || 'none'}`;
}

function sameNamespace(a: NsEntry, b: NsEntry): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

export const identityClaim: MatrixClaim = {
  key: 'identity',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence: () => "each namespace differs from the parent's exactly when its flag is set",
  specIds,
  manPage: () => 'namespaces(7) "The /proc/[pid]/ns/ directory"; user_namespaces(7) "Interaction of user namespaces and other types of namespaces"',
  judge: onCreated(({ variant, parent, child }) => {
    const expected = { new: [] as string[], same: [] as string[] };
    const actual = { new: [] as string[], same: [] as string[] };
    for (const kind of NAMESPACES) {
      const mine = child.ns[kind.procEntry];
      const theirs = parent.ns[kind.procEntry];
      if (mine === undefined && theirs === undefined) continue; // kind not built into this kernel
      (createsKind(variant, kind.name) ? expected.new : expected.same).push(kind.name);
      if (!mine || !theirs || isErrno(mine) || isErrno(theirs)) actual.new.push(`${kind.name} (unreadable)`);
      else (sameNamespace(mine, theirs) ? actual.same : actual.new).push(kind.name);
    }
    return expectText(render(expected.new, expected.same), render(actual.new, actual.same));
  }),
};
