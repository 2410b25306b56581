// What a matrix variant needs from the environment, derived from the flag set, path and mode.
import type { Need } from '../../harness/needs/index.ts';
import { createsKind, effectiveKinds, expectsRefusal, type MatrixVariant } from './variant.ts';

/** The call each path makes, as a syscall need: unshare always, clone only with namespace flags. */
function pathCall(variant: MatrixVariant): Need[] {
  if (variant.path.name === 'clone3') return [{ kind: 'syscall', call: 'clone3' }];
  if (variant.path.name === 'unshare') return [{ kind: 'syscall', call: 'unshare' }];
  return effectiveKinds(variant).length > 0 ? [{ kind: 'syscall', call: 'cloneNamespaceFlags' }] : [];
}

export function variantNeeds(variant: MatrixVariant): Need[] {
  const needs: Need[] = [
    variant.mode === 'root' ? { kind: 'root' } : { kind: 'unprivileged-ids' },
    ...pathCall(variant),
  ];
  if (variant.path.name === 'clone3' && createsKind(variant, 'time')) needs.push({ kind: 'clone3-time' });
  const refused = expectsRefusal(variant);
  for (const kind of effectiveKinds(variant)) {
    needs.push(
      refused ? { kind: 'kernel-has', ns: kind.name } : { kind: 'can-create', ns: kind.name, mode: variant.mode },
    );
  }
  return needs;
}
