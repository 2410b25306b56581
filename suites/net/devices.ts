// What a new network namespace starts with: devices, /proc/net, sysfs, routes — network_namespaces(7).
import {
  AF_INET,
  bytes,
  CLONE,
  expect,
  IFF_UP,
  ifreq,
  inet,
  MS,
  ref,
  Script,
  SIOCSIFFLAGS,
  SOCK_DGRAM,
  type SpecClaim,
  str,
} from '../../harness/kit.ts';
import { configure } from './addresses.ts';
import { devicesRule, procNetDevNames, readTunnelEvidence, TUNNEL_EVIDENCE, wordNames } from './devices-evidence.ts';

const { at } = expect;
const MAN = 'network_namespaces(7)';
const ROUTED_ADDR = '10.198.0.1';
/** Empty, or the header line alone. */
const NO_ROUTE_LINES = /^(?:Iface[^\n]*\n)?$/;
/** A line for nsc-ra and 10.198.0.0 (Destination is little-endian hex: 0000C60A). */
const ROUTE_LINE = /\nnsc-ra\s+0000C60A\s/;

export const startsWithLoDown: SpecClaim = {
  key: 'only-lo-down',
  kinds: ['user', 'net'],
  claim:
    'a new network namespace has lo (plus only the fallback tunnel devices some drivers add) and every device is down; root of the namespace may bring lo up',
  specIds: ['NET-01'],
  manPage: `${MAN}; clone(2) CLONE_NEWNET`,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    readTunnelEvidence(s);
    // Everything that touches a device happens in a child made with CLONE_NEWNET, never in the runner's namespace.
    s.fork('inNs', 'clone3', CLONE.NEWNET, (c) => {
      c.op.ifaces('before');
      c.sys('sock', 'socket', AF_INET, SOCK_DGRAM, 0);
      c.sys('loUp', 'ioctl', ref('sock'), SIOCSIFFLAGS, bytes(ifreq('lo', IFF_UP)));
      c.op.ifaces('after');
    });
    s.wait('inNsExit', 'inNs');
    return s;
  },
  checks: () => [
    expect.ok('inNs'),
    expect.fits(
      at('before', 'names'),
      TUNNEL_EVIDENCE,
      devicesRule(wordNames),
      'lo, and the fallback devices of loaded tunnel drivers where the sysctl allows them (spec D13)',
    ),
    expect.equals(at('before', 'up'), '', 'no device has IFF_UP'),
    expect.ok('loUp', 'SIOCSIFFLAGS with CAP_NET_ADMIN over the namespace'),
    expect.equals(at('after', 'up'), 'lo'),
    expect.exitCode('inNsExit', 0),
  ],
};

export const procNetIsPerNamespace: SpecClaim = {
  key: 'proc-net',
  kinds: ['user', 'net'],
  claim:
    "/proc/net is a symlink to self/net and shows the reader's network namespace: /proc/net/dev in a new namespace lists only lo (and fallback tunnels)",
  specIds: ['NET-02'],
  manPage: `${MAN}; proc(5) /proc/net`,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    s.readlink('link', '/proc/net');
    readTunnelEvidence(s);
    s.fork('inNs', 'clone3', CLONE.NEWNET, (c) => {
      c.read('insideDev', '/proc/net/dev');
      // One datagram over the namespace's own lo, so its counters differ from the runner's even on a host with only lo.
      c.sys('probeSock', 'socket', AF_INET, SOCK_DGRAM, 0);
      c.sys('loUp', 'ioctl', ref('probeSock'), SIOCSIFFLAGS, bytes(ifreq('lo', IFF_UP)));
      c.sys('send', 'sendto', ref('probeSock'), str('nsconform'), 9, 0, bytes(inet('127.0.0.1', 9)), 16);
      c.read('insideAfter', '/proc/net/dev');
    });
    s.wait('inNsExit', 'inNs');
    s.read('outsideAfter', '/proc/net/dev');
    return s;
  },
  checks: () => [
    expect.equals(at('link', 'text'), 'self/net'),
    expect.fits(at('insideDev', 'text'), TUNNEL_EVIDENCE, devicesRule(procNetDevNames), 'spec D13'),
    expect.ok('send'),
    expect.matches(at('insideAfter', 'text'), /\n\s*lo:\s+\d+\s+[1-9]/, "the namespace's lo counted the datagram"),
    expect.differ(
      at('insideAfter', 'text'),
      at('outsideAfter', 'text'),
      "the runner's namespace shows its own devices and counters",
    ),
  ],
};

export const sysfsShowsOwnDevices: SpecClaim = {
  key: 'sysfs-class-net',
  kinds: ['mnt', 'user', 'net'],
  claim: "sysfs mounted from inside a new network namespace lists only that namespace's devices under class/net",
  specIds: ['NET-03'],
  manPage: MAN,
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who, CLONE.NEWNS);
    readTunnelEvidence(s);
    s.fork('inNs', 'clone3', CLONE.NEWNET, (c) => {
      c.sys('mkSys', 'mkdir', str('{scratch}/sys'), 0o755);
      c.sys('mountSys', 'mount', str('sysfs'), str('{scratch}/sys'), str('sysfs'), MS.NOSUID | MS.NODEV | MS.NOEXEC, 0);
      c.readdir('classNet', '{scratch}/sys/class/net');
      c.op.ifaces('devices');
    });
    s.wait('inNsExit', 'inNs');
    return s;
  },
  checks: () => [
    expect.ok('mountSys', 'sysfs may be mounted by root of the user namespace that owns the network namespace'),
    expect.fits(at('classNet', 'names'), TUNNEL_EVIDENCE, devicesRule(wordNames), 'spec D13'),
    expect.same(at('devices'), at('classNet'), 'as many entries as the namespace has devices'),
  ],
};

export const routesPerNamespace: SpecClaim = {
  key: 'routes-per-ns',
  kinds: ['user', 'net'],
  claim:
    'a new network namespace has no IPv4 routes (on this kernel /proc/net/route is empty, not even a header, until the main table exists), and a route one namespace gains shows in no other',
  specIds: ['NET-10'],
  manPage: `${MAN}; proc(5) /proc/net`,
  priv: 'U',
  needs: [{ kind: 'veth' }],
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    s.read('outsideBefore', '/proc/net/route');
    s.fork('a', 'clone3', CLONE.NEWNET, (c) => {
      c.read('fresh', '/proc/net/route');
      // An address on a veth end adds a prefix route to this namespace's main table (lo's would go to the local table).
      c.open('ownNet', '/proc/self/ns/net');
      c.op.veth('veth', 'nsc-ra', 'nsc-rb', ref('ownNet'));
      configure(c, 'ra', 'nsc-ra', ROUTED_ADDR);
      c.sys('peerUp', 'ioctl', ref('raCtl'), SIOCSIFFLAGS, bytes(ifreq('nsc-rb', IFF_UP)));
      c.read('withRoute', '/proc/net/route');
      c.post('routed', 0);
      c.await('done', 1);
    });
    s.await('waitRouted', 0);
    s.read('outsideAfter', '/proc/net/route');
    s.fork('b', 'clone3', CLONE.NEWNET, (c) => {
      c.read('sibling', '/proc/net/route');
    });
    s.wait('bExit', 'b');
    s.post('finish', 1);
    s.wait('aExit', 'a');
    return s;
  },
  checks: () => [
    expect.ok('fresh'),
    expect.matches(at('fresh', 'text'), NO_ROUTE_LINES, 'no route lines in a new namespace'),
    expect.ok('veth'),
    expect.ok('raUp'),
    expect.matches(at('withRoute', 'text'), ROUTE_LINE, 'the prefix route of the new address'),
    expect.same(at('outsideBefore', 'text'), at('outsideAfter', 'text'), "the runner's routes are unchanged"),
    expect.matches(at('sibling', 'text'), NO_ROUTE_LINES, 'a sibling namespace still has none'),
  ],
};
