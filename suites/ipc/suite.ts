// suites/ipc: IPC namespaces: SysV and POSIX objects and sysctls per namespace — ipc_namespaces(7).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = 'IPC namespaces: SysV and POSIX objects and sysctls per namespace — ipc_namespaces(7)';
