// The three ways a child gets its namespaces, and which flags each can really honour.
import type { NamespaceName } from './namespaces.ts';

export type CreationPathName = 'clone3' | 'unshare' | 'clone';

export interface CreationPath {
  readonly name: CreationPathName;
  readonly description: string;
  /**
   * Kinds whose flag this path passes but cannot create. Legacy clone() reads
   * CLONE_NEWTIME (0x80) as part of the exit-signal byte (spec CLONE-08, D9).
   */
  readonly cannotCreate: readonly NamespaceName[];
}

export const CREATION_PATHS: readonly CreationPath[] = [
  { name: 'clone3', description: 'clone3(2) with the flags in clone_args', cannotCreate: [] },
  { name: 'unshare', description: 'unshare(2) in the creator, then fork(2)', cannotCreate: [] },
  { name: 'clone', description: 'raw legacy clone(2) with flags | SIGCHLD', cannotCreate: ['time'] },
];

export function findCreationPath(name: string): CreationPath | undefined {
  return CREATION_PATHS.find((path) => path.name === name);
}
