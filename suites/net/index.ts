// suites/net: network namespaces: lo, sockets, ports, veth, sysctls — network_namespaces(7).
import { specSuite } from '../../harness/script/spec-claim.ts';

export const netSuite = specSuite('net', 'network namespaces: lo, sockets, ports, veth, sysctls — network_namespaces(7)', []);
