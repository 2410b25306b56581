// suites/clone: clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors.
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = 'clone(2)/clone3(2): per-flag semantics, flag-combination rules and their errors';
