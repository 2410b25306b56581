// A matrix variant: one flag set through one creation path in one privilege mode, and what it implies.
import type { FlagSet } from '../../harness/flag-set.ts';
import type { CreationPath } from '../../harness/creation-path.ts';
import type { PrivilegeModeName } from '../../harness/privilege-mode.ts';
import type { NamespaceKind, NamespaceName } from '../../harness/namespaces.ts';

export interface MatrixVariant {
  readonly flagSet: FlagSet;
  readonly path: CreationPath;
  readonly mode: PrivilegeModeName;
}

/** The kinds the path really creates: legacy clone() drops CLONE_NEWTIME into the exit-signal byte. */
export function effectiveKinds(variant: MatrixVariant): readonly NamespaceKind[] {
  return variant.flagSet.kinds.filter((kind) => !variant.path.cannotCreate.includes(kind.name));
}

export function createsKind(variant: MatrixVariant, name: NamespaceName): boolean {
  return effectiveKinds(variant).some((kind) => kind.name === name);
}

/** Passes the flag, whether or not the path can honour it. */
export function passesFlag(variant: MatrixVariant, name: NamespaceName): boolean {
  return variant.flagSet.kinds.some((kind) => kind.name === name);
}

/** Unprivileged creation of any namespace but a user namespace needs CLONE_NEWUSER in the same call (spec CLONE-02). */
export function expectsRefusal(variant: MatrixVariant): boolean {
  return variant.mode === 'unprivileged' && effectiveKinds(variant).length > 0 && !createsKind(variant, 'user');
}

/** The call as a reader would write it, e.g. "clone3(CLONE_NEWUSER|CLONE_NEWPID)". */
export function describeCall(variant: MatrixVariant): string {
  const flags = variant.flagSet.kinds.map((kind) => kind.flagName).join('|') || '0';
  return `${variant.path.name}(${flags})`;
}
