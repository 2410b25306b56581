// suites/mnt: mount namespaces: isolation, /proc, propagation types, locked mounts — mount_namespaces(7).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = 'mount namespaces: isolation, /proc, propagation types, locked mounts — mount_namespaces(7)';
