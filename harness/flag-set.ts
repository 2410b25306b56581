// Flag sets: subsets of the namespace table, named and ordered by it.
import { NAMESPACES, type NamespaceKind, type NamespaceName } from './namespaces.ts';

export interface FlagSet {
  /** Bit i stands for NAMESPACES[i]. */
  readonly index: number;
  readonly kinds: readonly NamespaceKind[];
  /** Kind names in table order joined by "+", or "none". */
  readonly name: string;
  /** The CLONE_NEW* bits of the set. */
  readonly cloneFlags: number;
}

export function makeFlagSet(index: number): FlagSet {
  const kinds = NAMESPACES.filter((_, bit) => (index >> bit) & 1);
  return {
    index,
    kinds,
    name: kinds.length === 0 ? 'none' : kinds.map((kind) => kind.name).join('+'),
    cloneFlags: kinds.reduce((flags, kind) => (flags | kind.flag) >>> 0, 0),
  };
}

export function flagSetOf(names: readonly NamespaceName[]): FlagSet {
  const index = NAMESPACES.reduce((bits, kind, bit) => (names.includes(kind.name) ? bits | (1 << bit) : bits), 0);
  return makeFlagSet(index);
}

/** Every subset of the table: 2^8 = 256 sets, the empty set first. */
export function allFlagSets(): FlagSet[] {
  return Array.from({ length: 2 ** NAMESPACES.length }, (_, index) => makeFlagSet(index));
}

export function hasKind(set: FlagSet, name: NamespaceName): boolean {
  return set.kinds.some((kind) => kind.name === name);
}
