// suites/net: network namespaces: lo, sockets, ports, veth, sysctls — network_namespaces(7).
// Its claims are what the files beside this one export (suites/registry.ts finds them), in file-name order.

// NET-09 (a physical device returns to the initial namespace) is never run: it needs a spare NIC and moves a host device.

/** One line for `nsconform list` and the reports. */
export const description = 'network namespaces: lo, sockets, ports, veth, sysctls — network_namespaces(7)';
