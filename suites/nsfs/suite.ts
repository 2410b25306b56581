// suites/nsfs: /proc/<pid>/ns links and the ioctl_ns(2) operations — namespaces(7), ioctl_ns(2).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = '/proc/<pid>/ns links and the ioctl_ns(2) operations — namespaces(7), ioctl_ns(2)';
