// suites/user: user namespaces: unmapped ids, id maps, setgroups, capabilities, nesting — user_namespaces(7).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description =
  'user namespaces: unmapped ids, id maps, setgroups, capabilities, nesting — user_namespaces(7)';
