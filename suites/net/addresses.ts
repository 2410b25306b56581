// Address configuration by ioctl(2) for devices of a script-made network namespace — netdevice(7).
import { AF_INET, bytes, IFF_UP, ifreq, inet, ref, type Script, SIOCSIFFLAGS, SOCK_DGRAM } from '../../harness/kit.ts';

export const SIOCGIFINDEX = 0x8933;
const SIOCSIFADDR = 0x8916;
const SIOCSIFNETMASK = 0x891c;

/** struct ifreq with a sockaddr_in in its union (SIOCSIFADDR, SIOCSIFNETMASK). */
export function ifreqAddr(name: string, address: string): Uint8Array {
  const buffer = Buffer.from(ifreq(name));
  Buffer.from(inet(address, 0)).copy(buffer, 16);
  return buffer;
}

/**
 * Address, /24 mask and IFF_UP on a device; steps `${prefix}Ctl`, `${prefix}Addr`, `${prefix}Mask`, `${prefix}Up`.
 * Call it only in a process made with CLONE_NEWNET: ioctl(2) is not behind the host guard.
 */
export function configure(s: Script, prefix: string, dev: string, address: string): void {
  s.sys(`${prefix}Ctl`, 'socket', AF_INET, SOCK_DGRAM, 0);
  s.sys(`${prefix}Addr`, 'ioctl', ref(`${prefix}Ctl`), SIOCSIFADDR, bytes(ifreqAddr(dev, address)));
  s.sys(`${prefix}Mask`, 'ioctl', ref(`${prefix}Ctl`), SIOCSIFNETMASK, bytes(ifreqAddr(dev, '255.255.255.0')));
  s.sys(`${prefix}Up`, 'ioctl', ref(`${prefix}Ctl`), SIOCSIFFLAGS, bytes(ifreq(dev, IFF_UP)));
}
