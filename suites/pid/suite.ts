// suites/pid: PID namespaces: pid 1, init, orphans, signals, nesting — pid_namespaces(7).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = 'PID namespaces: pid 1, init, orphans, signals, nesting — pid_namespaces(7)';
