// Scenario 3, a small container: a BusyBox root, five namespaces (plus a user namespace unprivileged), proc, a hostname and a veth pair to its parent — namespaces(7), network_namespaces(7).
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLONE,
  expect,
  HOST_TOOLS,
  MS,
  needsTools,
  Script,
  type ScriptIdentity,
  str,
  toolPath,
} from '../../harness/kit.ts';
import { fileOwner, type SpecClaim } from '../../harness/script/spec-claim.ts';
import type { Environment } from '../../harness/env/environment.ts';
import { readTrustedBinary } from '../../harness/env/busybox.ts';

const { at } = expect;
const NAME = 'container';
const HOST_SIDE = 'ncv-host';
const BOX_SIDE = 'ncv-box';
const HOST_ADDRESS = '10.213.0.1';
const BOX_ADDRESS = '10.213.0.2';
const BUSYBOX = '/bin/busybox';
const ROOT_DIRS = ['bin', 'proc', 'dev', 'tmp', 'etc'];

/** The root filesystem: BusyBox alone, owned by the ids the script runs as so a user-namespace root can use it. */
async function prepareRoot(scratch: string, who: ScriptIdentity, env: Environment): Promise<void> {
  const root = join(scratch, 'root');
  const owner = fileOwner(who, env);
  for (const dir of ['', ...ROOT_DIRS]) {
    await mkdir(join(root, dir), { recursive: true, mode: 0o755 });
    await chown(join(root, dir), owner.uid, owner.gid);
  }
  // The bytes checked now, from a descriptor: the probe's path could have been swapped since.
  const bytes = readTrustedBinary(env.busybox.detail);
  if (typeof bytes === 'string') throw new Error(`BusyBox: ${bytes}`);
  await writeFile(join(root, BUSYBOX), bytes, { mode: 0o755 });
  await chown(join(root, BUSYBOX), owner.uid, owner.gid);
}

/** BusyBox applet `name` with its arguments, inside the container's root. */
function applet(s: Script, label: string, name: string, ...args: string[]): string {
  return s.run(label, 0, null, BUSYBOX, name, ...args);
}

export const smallContainer: SpecClaim = {
  key: 'small-container',
  kinds: ['mnt', 'uts', 'ipc', 'pid', 'net'],
  claim:
    'small container (BusyBox inside, host ip outside): chrooted into a BusyBox root with proc mounted and its own hostname, `ps` lists only its processes and it pings its parent across a veth pair; the veth is gone with its namespace',
  specIds: ['NET-08', 'PID-01', 'UTS-02'],
  manPage: 'namespaces(7); network_namespaces(7); pid_namespaces(7) "/proc and PID namespaces"; chroot(2)',
  priv: 'U',
  needs: [{ kind: 'busybox' }, { kind: 'veth' }, ...needsTools(HOST_TOOLS.ip)],
  timeoutMs: 20000,
  prepare: prepareRoot,
  script: (who) => {
    const s = new Script();
    const ip = toolPath(HOST_TOOLS.ip);
    s.privileged('p', who);
    if (who.mode === 'root')
      s.require({
        kind: 'capability',
        cap: 'NET_ADMIN',
        for: 'making a veth pair in a network namespace of its user namespace',
      });
    // The parent's side lives in a network namespace of its own: the host's interfaces are never touched.
    s.sys('parentNet', 'unshare', CLONE.NEWNET);
    s.fork('box', 'clone3', CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWPID | CLONE.NEWNET, (c) => {
      c.await('wired', 0);
      c.sys('setName', 'sethostname', str(NAME), NAME.length);
      c.sys(
        'mountProc',
        'mount',
        str('proc'),
        str('{scratch}/root/proc'),
        str('proc'),
        MS.NOSUID | MS.NODEV | MS.NOEXEC,
        0,
      );
      c.sys('chroot', 'chroot', str('{scratch}/root'));
      c.sys('chdir', 'chdir', str('/'));
      applet(c, 'name', 'hostname');
      applet(c, 'ps', 'ps', '-o', 'pid,comm');
      applet(c, 'boxAddress', 'ip', 'addr', 'add', `${BOX_ADDRESS}/24`, 'dev', BOX_SIDE);
      applet(c, 'boxUp', 'ip', 'link', 'set', BOX_SIDE, 'up');
      applet(c, 'ping', 'ping', '-c', '1', '-W', '5', HOST_ADDRESS);
    });
    s.run(
      'veth',
      0,
      null,
      ip,
      'ip',
      'link',
      'add',
      HOST_SIDE,
      'type',
      'veth',
      'peer',
      'name',
      BOX_SIDE,
      'netns',
      '{box}',
    );
    s.run('hostAddress', 0, null, ip, 'ip', 'addr', 'add', `${HOST_ADDRESS}/24`, 'dev', HOST_SIDE);
    s.run('hostUp', 0, null, ip, 'ip', 'link', 'set', HOST_SIDE, 'up');
    s.post('wire', 0);
    s.wait('boxExit', 'box');
    // Freeing the container's network namespace destroys its veth end and so the peer (spec NET-08): polled, not slept.
    s.poll('vethGone', 'r=1', 5000, 'run', 0, '-', ip, 'ip', 'link', 'show', HOST_SIDE);
    return s;
  },
  checks: () => [
    expect.ok('parentNet'),
    expect.equals(at('veth', 'code'), 0, 'the parent creates the veth pair with one end in the container'),
    expect.equals(at('hostUp', 'code'), 0),
    expect.ok('mountProc'),
    expect.ok('chroot'),
    expect.equals(at('name', 'text'), `${NAME}\n`, 'BusyBox hostname inside'),
    expect.matches(
      at('ps', 'text'),
      /^\s*PID\s+COMMAND\n\s*1 \S+\n\s*\d+ (ps|busybox)\n$/,
      'BusyBox ps: pid 1 and ps itself (its comm is busybox)',
    ),
    expect.equals(at('boxUp', 'code'), 0),
    expect.equals(at('ping', 'code'), 0, 'BusyBox ping of the parent across the veth pair'),
    expect.matches(at('ping', 'text'), /1 packets received/),
    expect.exitCode('boxExit', 0),
    expect.ret('vethGone', 1, '`ip link show` of the parent end fails once the container is gone'),
  ],
};
