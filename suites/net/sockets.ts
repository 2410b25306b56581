// Ports and abstract UNIX socket names belong to one network namespace — network_namespaces(7).
import {
  abstractUnix,
  AF_INET,
  AF_UNIX,
  bytes,
  CLONE,
  expect,
  IFF_UP,
  ifreq,
  inet,
  ref,
  Script,
  SIOCSIFFLAGS,
  SOCK_DGRAM,
  SOCK_STREAM,
  type SpecClaim,
} from '../../harness/kit.ts';

const MAN = 'network_namespaces(7)';
const PORT = 47613;
const LOOPBACK = inet('127.0.0.1', PORT);
const ABSTRACT = abstractUnix('nsconform-net-abstract');

/** In a process already in a new network namespace: bring its lo up (127.0.0.1 exists only once lo is up). */
function loUp(s: Script, prefix: string): void {
  s.sys(`${prefix}Ctl`, 'socket', AF_INET, SOCK_DGRAM, 0);
  s.sys(`${prefix}LoUp`, 'ioctl', ref(`${prefix}Ctl`), SIOCSIFFLAGS, bytes(ifreq('lo', IFF_UP)));
}

function listenTcp(s: Script, label: string): void {
  s.sys(label, 'socket', AF_INET, SOCK_STREAM, 0);
  s.sys(`${label}Bind`, 'bind', ref(label), bytes(LOOPBACK), LOOPBACK.length);
  s.sys(`${label}Listen`, 'listen', ref(label), 4);
}

function listenAbstract(s: Script, label: string): void {
  s.sys(label, 'socket', AF_UNIX, SOCK_STREAM, 0);
  s.sys(`${label}Bind`, 'bind', ref(label), bytes(ABSTRACT.addr), ABSTRACT.len);
  s.sys(`${label}Listen`, 'listen', ref(label), 4);
}

function connectTcp(s: Script, label: string): void {
  s.sys(`${label}Sock`, 'socket', AF_INET, SOCK_STREAM, 0);
  s.sys(label, 'connect', ref(`${label}Sock`), bytes(LOOPBACK), LOOPBACK.length);
}

function connectAbstract(s: Script, label: string): void {
  s.sys(`${label}Sock`, 'socket', AF_UNIX, SOCK_STREAM, 0);
  s.sys(label, 'connect', ref(`${label}Sock`), bytes(ABSTRACT.addr), ABSTRACT.len);
}

/** Namespace A listens on 127.0.0.1:PORT and on an abstract name; then namespace B looks for both and takes them too. */
function twoNamespaces(who: Parameters<SpecClaim['script']>[0]): Script {
  const s = new Script();
  s.becomeRoot('p', who);
  s.fork('a', 'clone3', CLONE.NEWNET, (c) => {
    loUp(c, 'a');
    listenTcp(c, 'aTcp');
    connectTcp(c, 'aTcpSelf');
    listenAbstract(c, 'aUnix');
    connectAbstract(c, 'aUnixSelf');
    c.post('aListening', 0);
    c.await('aRelease', 1);
  });
  s.await('waitA', 0);
  s.fork('b', 'clone3', CLONE.NEWNET, (c) => {
    loUp(c, 'b');
    connectTcp(c, 'bTcpAcross');
    listenTcp(c, 'bTcp');
    connectTcp(c, 'bTcpSelf');
    connectAbstract(c, 'bUnixAcross');
    listenAbstract(c, 'bUnix');
    connectAbstract(c, 'bUnixSelf');
  });
  s.wait('bExit', 'b');
  s.post('releaseA', 1);
  s.wait('aExit', 'a');
  return s;
}

export const portsPerNamespace: SpecClaim = {
  key: 'ports-per-ns',
  kinds: ['user', 'net'],
  claim:
    'ports belong to one network namespace: 127.0.0.1:P listened on in one namespace can be bound again in another, and connect() there to 127.0.0.1:P gets ECONNREFUSED until that namespace itself listens',
  specIds: ['NET-04', 'NET-05'],
  manPage: MAN,
  priv: 'U',
  script: twoNamespaces,
  checks: () => [
    expect.ok('aLoUp'),
    expect.ok('aTcpListen'),
    expect.ok('aTcpSelf', 'the listener is reachable in its own namespace'),
    expect.ok('bLoUp'),
    expect.errno('bTcpAcross', 'ECONNREFUSED', 'loopback traffic never reaches the other namespace'),
    expect.ok('bTcpBind', 'the same address and port are free in another namespace'),
    expect.ok('bTcpListen'),
    expect.ok('bTcpSelf'),
  ],
};

export const abstractNamesPerNamespace: SpecClaim = {
  key: 'abstract-unix-per-ns',
  kinds: ['user', 'net'],
  claim:
    'abstract UNIX socket names belong to one network namespace: connect() from another gets ECONNREFUSED and the same name can be bound there',
  specIds: ['NET-06'],
  manPage: `${MAN}; unix(7) "Abstract sockets"`,
  priv: 'U',
  script: twoNamespaces,
  checks: () => [
    expect.ok('aUnixListen'),
    expect.ok('aUnixSelf', 'the name is reachable in its own namespace'),
    expect.errno('bUnixAcross', 'ECONNREFUSED'),
    expect.ok('bUnixBind', 'the same abstract name is free in another namespace'),
    expect.ok('bUnixSelf'),
  ],
};
