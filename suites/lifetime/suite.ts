// suites/lifetime: namespace lifetime and reclaim, and the /proc/sys/user/max_*_namespaces limits — namespaces(7).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description =
  'namespace lifetime and reclaim, and the /proc/sys/user/max_*_namespaces limits — namespaces(7)';
