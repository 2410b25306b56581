// suites/ipc: IPC namespaces: SysV and POSIX objects and sysctls per namespace — ipc_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { LIFETIME_CLAIMS } from './lifetime.ts';
import { OBJECT_CLAIMS } from './objects.ts';
import { SYSCTL_CLAIMS } from './sysctls.ts';

export const ipcSuite = specSuite('ipc', 'IPC namespaces: SysV and POSIX objects and sysctls per namespace — ipc_namespaces(7)', [
  ...OBJECT_CLAIMS,
  ...SYSCTL_CLAIMS,
  ...LIFETIME_CLAIMS,
]);
