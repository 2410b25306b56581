// Inside a guest started by nsconform vm: the kernel, share and settings it was given, recorded as run properties of its reports.

/** Set by the guest's run script (guest-init.ts); absent on any other run. */
const VARIABLE = 'NSCONFORM_VM_PROPERTIES';

export function readGuestProperties(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const text = env[VARIABLE];
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[0].startsWith('vm.')));
  } catch {
    return {};
  }
}
