// The device and job lava-run is given: lava-server's qemu.jinja2 rendered for amd64 without KVM, and a tmpfs deploy of a kernel and ramdisk.
import { readFileSync } from 'node:fs';
import { GUEST_PROMPT } from './guest-ramdisk.ts';

/**
 * lava-server 2023.01's device-types/qemu.jinja2 rendered with arch=amd64, no_kvm, memory=2048 and
 * extra_options for tcg, the 9p share of the host's / and one for the reports (lava-run takes a rendered device: there is no
 * server here to render it). Trimmed to the qemu boot method this job uses.
 */
/** Where the guest mounts the report share (the host directory outDir). */
export const GUEST_OUT = '/run/lava-out';

export function deviceYaml(outDir: string): string {
  return `constants:
  posix:
    lava_test_sh_cmd: /bin/sh
    lava_test_results_dir: /lava-%s
    lava_test_shell_file: ~/.bashrc
  shutdown-message: 'The system is going down for reboot NOW'
  kernel-start-message: 'Linux version [0-9]'
  default-shell-prompt: 'lava-test: # '
  spawn_maxread: '4092'
  failure_retry: 1
  boot_retry:
parameters:
  pass:
available_architectures:
- amd64
- x86_64
actions:
  deploy:
    connections:
      serial:
    methods:
      image:
        parameters:
          guest:
            size: 512
            interface: ide
            driveid: lavatest
  boot:
    connections:
      serial:
    methods:
      qemu:
        parameters:
          command:
            qemu-system-x86_64
          boot_options:
            {root: /dev/ram0, console: 'ttyS0,115200', boot_order: c}
          options:
          - -nographic
          - -m 2048
          - -monitor none
          extra:
          - -smp 2
          - -cpu Nehalem
          - -accel tcg,thread=single
          - -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
          - -virtfs local,path=${outDir},mount_tag=out,security_model=none,multidevs=remap
timeouts:
  actions:
    lava-test-shell:
      minutes: 30
  connections:
    lava-test-shell:
      seconds: 10
`;
}

export interface JobPlan {
  readonly kernel: string;
  readonly ramdisk: string;
  /** The test definition file (lava/nsconform.yaml), sent inline. */
  readonly definition: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly testMinutes: number;
}

function indent(text: string, spaces: number): string {
  return text.replace(/^(?=.)/gm, ' '.repeat(spaces));
}

/**
 * Not loglevel=4 (nsconform vm's): it hides the "Linux version" line LAVA waits for. mitigations=off and
 * no_timer_check as nsconform vm has them under tcg. The ramdisk carries LAVA's overlay (overlays.lava),
 * so no libguestfs is needed.
 */
export function jobYaml(plan: JobPlan): string {
  const parameters = Object.entries(plan.parameters)
    .map(([name, value]) => `        ${name}: ${JSON.stringify(value)}`)
    .join('\n');
  return `device_type: qemu
job_name: nsconform LAVA test
timeouts:
  job: {minutes: ${plan.testMinutes + 10}}
  action: {minutes: ${plan.testMinutes}}
  connection: {minutes: 2}
priority: medium
visibility: public
context: {arch: amd64}
actions:
- deploy:
    timeout: {minutes: 3}
    to: tmpfs
    os: debian
    images:
      kernel:
        image_arg: '-kernel {kernel} -append "console=ttyS0,115200 panic=-1 mitigations=off no_timer_check"'
        url: file://${plan.kernel}
      ramdisk:
        image_arg: '-initrd {ramdisk}'
        url: file://${plan.ramdisk}
        compression: gz
        format: cpio.newc
        overlays:
          lava: true
- boot:
    timeout: {minutes: 5}
    method: qemu
    media: tmpfs
    prompts: ['${GUEST_PROMPT.trim()}']
- test:
    timeout: {minutes: ${plan.testMinutes}}
    definitions:
    - from: inline
      name: nsconform
      path: inline/nsconform.yaml
      parameters:
${parameters}
      repository:
${indent(readFileSync(plan.definition, 'utf8'), 8)}`;
}
