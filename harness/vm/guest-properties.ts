// Inside a guest started by nsconform vm: the kernel, share and settings it was given, and the distribution it runs, recorded as run properties of its reports.
import { readFileSync } from 'node:fs';

/** Set by the guest's run script (guest-init.ts); absent on any other run. */
const VARIABLE = 'NSCONFORM_VM_PROPERTIES';

/** PRETTY_NAME (else NAME VERSION_ID) of os-release(5): the userspace the guest runs, a distribution image's or the host tree's. */
export function readOsRelease(path = '/etc/os-release'): string | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const fields = new Map(
    text.split('\n').flatMap((line) => {
      const match = /^([A-Z_]+)=("?)(.*)\2\s*$/.exec(line);
      return match ? [[match[1] ?? '', (match[3] ?? '').replace(/\\(.)/g, '$1')] as const] : [];
    }),
  );
  return fields.get('PRETTY_NAME') || [fields.get('NAME'), fields.get('VERSION_ID')].filter(Boolean).join(' ') || null;
}

export function readGuestProperties(
  env: NodeJS.ProcessEnv = process.env,
  osRelease: string = '/etc/os-release',
): Record<string, string> {
  const text = env[VARIABLE];
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const given = Object.fromEntries(
      Object.entries(parsed).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0].startsWith('vm.'),
      ),
    );
    return { ...given, 'vm.os-release': readOsRelease(osRelease) ?? '(no /etc/os-release)' };
  } catch {
    return {};
  }
}
