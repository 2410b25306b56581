// A veth pair joins two network namespaces and dies with either of them — network_namespaces(7); veth(4).
import {
  AF_INET,
  bytes,
  CLONE,
  expect,
  ifreq,
  inet,
  ref,
  Script,
  SOCK_STREAM,
  type SpecClaim,
} from '../../harness/kit.ts';
import { configure, SIOCGIFINDEX } from './addresses.ts';

const A_DEV = 'nsc-va';
const B_DEV = 'nsc-vb';
const A_ADDR = '10.199.0.1';
const B_ADDR = '10.199.0.2';
const PORT = 47614;
const SERVER = inet(B_ADDR, PORT);
/** How long the peer may take to go once its namespace is freed (net teardown is asynchronous, spec note 2). */
const GONE_MS = 3000;

export const vethJoinsNamespaces: SpecClaim = {
  key: 'veth-pair',
  kinds: ['user', 'net'],
  claim:
    'a veth pair made between two new network namespaces carries a TCP connection from one to the other, and when one namespace is freed its end is destroyed and the peer disappears from the other namespace',
  specIds: ['NET-08'],
  manPage: 'network_namespaces(7); veth(4)',
  priv: 'U',
  needs: [{ kind: 'veth' }],
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    s.fork('b', 'clone3', CLONE.NEWNET, (c) => {
      c.post('bReady', 0);
      c.await('bHasPeer', 1);
      configure(c, 'b', B_DEV, B_ADDR);
      c.sys('server', 'socket', AF_INET, SOCK_STREAM, 0);
      c.sys('serverBind', 'bind', ref('server'), bytes(SERVER), SERVER.length);
      c.sys('serverListen', 'listen', ref('server'), 4);
      c.post('bListening', 2);
      c.await('aConnected', 3);
      c.sys('accepted', 'accept4', ref('server'), 0, 0, 0);
      c.post('bAccepted', 4);
      c.await('aGone', 5);
      c.poll('peerGone', 'ENODEV', GONE_MS, 'sys', 'ioctl', ref('bCtl'), SIOCGIFINDEX, bytes(ifreq(B_DEV)));
    });
    s.await('waitB', 0);
    s.open('bNet', '/proc/{b}/ns/net');
    s.fork('a', 'clone3', CLONE.NEWNET, (c) => {
      c.op.veth('veth', A_DEV, B_DEV, ref('bNet'));
      c.op.ifaces('aDevices');
      c.post('peerMade', 1);
      configure(c, 'a', A_DEV, A_ADDR);
      c.await('waitListen', 2);
      c.sys('client', 'socket', AF_INET, SOCK_STREAM, 0);
      c.sys('connect', 'connect', ref('client'), bytes(SERVER), SERVER.length);
      c.post('connected', 3);
      c.await('waitAccept', 4);
    });
    s.wait('aExit', 'a');
    s.post('aIsGone', 5);
    s.wait('bExit', 'b');
    return s;
  },
  checks: () => [
    expect.ok('veth', 'RTM_NEWLINK of a veth pair with the peer in the other namespace'),
    expect.matches(expect.at('aDevices', 'names'), new RegExp(`(^| )${A_DEV}( |$)`)),
    expect.ok('bAddr', 'the peer end is in the other namespace'),
    expect.ok('bUp'),
    expect.ok('aUp'),
    expect.ok('connect', 'TCP over the pair'),
    expect.ok('accepted'),
    expect.exitCode('aExit', 0),
    expect.errno('peerGone', 'ENODEV', 'freeing the namespace of one end destroys the pair'),
  ],
};
