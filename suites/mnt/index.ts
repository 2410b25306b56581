// suites/mnt: mount namespaces: isolation, /proc, propagation types, locked mounts — mount_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const mntSuite = specSuite('mnt', 'mount namespaces: isolation, /proc, propagation types, locked mounts — mount_namespaces(7)', []);
