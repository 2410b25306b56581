// suites/net: network namespaces: lo, sockets, ports, veth, sysctls — network_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';
import { routesPerNamespace, procNetIsPerNamespace, startsWithLoDown, sysfsShowsOwnDevices } from './devices.ts';
import { abstractNamesPerNamespace, portsPerNamespace } from './sockets.ts';
import { sysctlsPerNamespace } from './sysctls.ts';
import { vethJoinsNamespaces } from './veth.ts';

// NET-09 (a physical device returns to the initial namespace) is never run: it needs a spare NIC and moves a host device.
export const netSuite = specSuite('net', 'network namespaces: lo, sockets, ports, veth, sysctls — network_namespaces(7)', [
  startsWithLoDown,
  procNetIsPerNamespace,
  sysfsShowsOwnDevices,
  portsPerNamespace,
  abstractNamesPerNamespace,
  sysctlsPerNamespace,
  vethJoinsNamespaces,
  routesPerNamespace,
]);
