// Privilege modes: real root, or an unprivileged uid with no capabilities.

export type PrivilegeModeName = 'root' | 'unprivileged';

export interface PrivilegeMode {
  readonly name: PrivilegeModeName;
  readonly description: string;
}

export const PRIVILEGE_MODES: readonly PrivilegeMode[] = [
  { name: 'root', description: 'real root: uid 0 with CAP_SYS_ADMIN in the initial user namespace' },
  { name: 'unprivileged', description: 'a non-zero uid with empty capability sets' },
];

/**
 * The uid and gid a root runner drops to for the unprivileged mode. Chosen
 * away from 65534 so that the overflow id seen in a new user namespace cannot
 * be mistaken for the creator's own id, and from the ranges distributions hand
 * to local and dynamic users.
 */
export const UNPRIVILEGED_ID = 64646;
