// suites/matrix: every combination of the eight flags, through every creation path, in both privilege modes.
// Its claims are what the files of claims/ export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description =
  'every combination of the eight CLONE_NEW* flags, through clone3, unshare + fork and legacy clone, as root and unprivileged';
