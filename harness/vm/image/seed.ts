// The NoCloud seed (cloud-init): a volume labelled cidata with user-data and meta-data that mount the checkout disk and start the guest script.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../../errors.ts';
import { SETUP_FAILED } from '../guest-init.ts';
import { findTool } from '../tools.ts';
import { GENISOIMAGE } from './image-tools.ts';

/** Where the guest mounts the checkout disk, found by its ext4 label. */
export const PROJECT_MOUNT = '/mnt/nsconform';
export const PROJECT_LABEL = 'nsconform-prj';
/** The guest script on the checkout disk, relative to its root. */
export const GUEST_SCRIPT = '.nsconform-guest/start.sh';

/**
 * runcmd runs in cloud-init's final stage, after the network is up (installing Node or gcc may need it). Its output
 * goes to /dev/console, which cloud images point at the serial port (console=ttyS0 last), where the host reads it.
 * Host keys and locales are not generated: nobody logs in, and both cost tens of seconds under emulation.
 */
export function userData(): string {
  const start = `mkdir -p ${PROJECT_MOUNT} && mount LABEL=${PROJECT_LABEL} ${PROJECT_MOUNT} && exec sh ${PROJECT_MOUNT}/${GUEST_SCRIPT} </dev/null >/dev/console 2>&1; echo '${SETUP_FAILED} mounting the checkout disk (label ${PROJECT_LABEL}) failed' >/dev/console; echo o >/proc/sysrq-trigger`;
  return `#cloud-config
locale: false
ssh_genkeytypes: []
ssh_deletekeys: false
package_update: false
package_upgrade: false
runcmd:
  - ${JSON.stringify(['sh', '-c', start])}
`;
}

export function metaData(): string {
  // A new instance id each run: cloud-init runs its once-per-instance modules (runcmd) only for an instance it has not seen.
  return `instance-id: nsconform-${randomBytes(6).toString('hex')}\nlocal-hostname: nsconform-guest\n`;
}

export function buildSeed(workDir: string): string {
  const dir = join(workDir, 'seed');
  mkdirSync(dir);
  writeFileSync(join(dir, 'user-data'), userData());
  writeFileSync(join(dir, 'meta-data'), metaData());
  const iso = join(workDir, 'seed.iso');
  const made = spawnSync(
    findTool(GENISOIMAGE),
    ['-quiet', '-output', iso, '-volid', 'cidata', '-joliet', '-rock', join(dir, 'user-data'), join(dir, 'meta-data')],
    { encoding: 'utf8' },
  );
  if (made.status !== 0)
    throw new EnvironmentError(
      `genisoimage (the cloud-init seed) failed: ${(made.stderr || '').trim().split('\n').pop() ?? `exit ${made.status}`}`,
    );
  return iso;
}
