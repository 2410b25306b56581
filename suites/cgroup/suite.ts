// suites/cgroup: cgroup namespaces: paths relative to the namespace root — cgroup_namespaces(7).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = 'cgroup namespaces: paths relative to the namespace root — cgroup_namespaces(7)';
