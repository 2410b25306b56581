// suites/time: time namespaces: offsets, the clocks they shift, and who may set them — time_namespaces(7).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

/** One line for `nsconform list` and the reports. */
export const description = 'time namespaces: offsets, the clocks they shift, and who may set them — time_namespaces(7)';
