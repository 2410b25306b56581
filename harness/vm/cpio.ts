// A "newc" cpio archive, the format the kernel unpacks as an initramfs; written here so no cpio tool is needed.

export type CpioEntry =
  | { kind: 'dir'; path: string; mode?: number }
  | { kind: 'file'; path: string; data: Buffer; mode?: number }
  | { kind: 'chardev'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino: number, path: string, mode: number, data: Buffer, rdev: [number, number] = [0, 0]): Buffer[] {
  const name = Buffer.from(`${path}\0`);
  const fields = [ino, mode, 0, 0, 1, 0, data.length, 0, 0, rdev[0], rdev[1], name.length, 0];
  const header = Buffer.from(`070701${fields.map(hex8).join('')}`);
  return [header, name, pad4(header.length + name.length), data, pad4(data.length)];
}

export function writeCpio(entries: readonly CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  entries.forEach((entry, index) => {
    const path = entry.path.replace(/^\/+/, '');
    if (entry.kind === 'dir') parts.push(...record(index + 1, path, S_IFDIR | (entry.mode ?? 0o755), Buffer.alloc(0)));
    else if (entry.kind === 'file') parts.push(...record(index + 1, path, S_IFREG | (entry.mode ?? 0o644), entry.data));
    else
      parts.push(
        ...record(index + 1, path, S_IFCHR | (entry.mode ?? 0o600), Buffer.alloc(0), [entry.major, entry.minor]),
      );
  });
  parts.push(...record(0, 'TRAILER!!!', 0, Buffer.alloc(0)));
  return Buffer.concat(parts);
}
