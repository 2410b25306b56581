// What a matrix variant needs from the environment, derived from the flag set, path and mode.
import type { Need } from '../../harness/needs.ts';
import { createsKind, effectiveKinds, expectsRefusal, type MatrixVariant } from './variant.ts';

export function needsOf(variant: MatrixVariant): Need[] {
  const needs: Need[] = [];
  if (variant.mode === 'root') needs.push({ kind: 'real-root' });
  if (variant.path.name === 'clone3') needs.push({ kind: 'clone3' });
  if (variant.path.name === 'clone3' && createsKind(variant, 'time')) needs.push({ kind: 'clone3-time' });
  const refused = expectsRefusal(variant);
  for (const kind of effectiveKinds(variant)) {
    needs.push(refused ? { kind: 'kernel-has', ns: kind.name } : { kind: 'can-create', ns: kind.name, mode: variant.mode });
  }
  return needs;
}
