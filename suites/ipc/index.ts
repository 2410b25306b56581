// suites/ipc: IPC namespaces: SysV and POSIX objects and sysctls per namespace — ipc_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const ipcSuite = specSuite('ipc', 'IPC namespaces: SysV and POSIX objects and sysctls per namespace — ipc_namespaces(7)', []);
