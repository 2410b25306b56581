// suites/scenarios: the classic container walkthroughs, replayed end to end with ordinary tools.
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = 'the classic container walkthroughs, replayed end to end with ordinary tools';
