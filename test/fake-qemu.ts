// A stand-in for qemu-system-x86_64 and a kernel image, for tests of nsconform vm that boot nothing.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const RELEASE = '6.1.0-99-test';

export function fakeImage(): Buffer {
  const image = Buffer.alloc(0x600);
  image.write('HdrS', 0x202, 'latin1');
  image.writeUInt16LE(0x300, 0x20e);
  image.write(`${RELEASE} (test) #1 SMP`, 0x500, 'latin1');
  return image;
}

/**
 * A qemu-system-x86_64 that plays a guest: it finds the report share in its -virtfs arguments and
 * runs the given shell body with $out set to it. The lines it prints are the guest's console.
 */
export function fakeQemu(dir: string, body: string): void {
  const script = `#!/bin/sh
out=
for arg in "$@"; do case "$arg" in *mount_tag=out,*) out=\${arg#local,path=}; out=\${out%%,mount_tag=out*};; esac; done
echo "nsconform-vm: guest up: ${RELEASE}"
${body}
`;
  writeFileSync(join(dir, 'qemu-system-x86_64'), script);
  chmodSync(join(dir, 'qemu-system-x86_64'), 0o755);
}
