// suites/setns: setns(2) by fd and pidfd, and unshare(2): rules and errors.
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = 'setns(2) by fd and pidfd, and unshare(2): rules and errors';
