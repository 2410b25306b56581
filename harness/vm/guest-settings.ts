// Guest settings from the command line: sysctls written before the run, modules loaded, kernel command line additions.
import { UsageError } from '../errors.ts';

export interface Sysctl {
  /** As given: kernel.unprivileged_userns_clone. */
  readonly key: string;
  /** Under /proc/sys: kernel/unprivileged_userns_clone. */
  readonly path: string;
  readonly value: string;
}

export interface GuestSettings {
  readonly sysctls: readonly Sysctl[];
  readonly modules: readonly string[];
  readonly append: string;
}

/** sysctl(8) names: dot-separated (or slash-separated, when a component holds a dot) words, no "..". */
const SYSCTL_KEY = /^[A-Za-z0-9_-]+([./][A-Za-z0-9_:-]+)+$/;

export function parseSysctl(text: string): Sysctl {
  const at = text.indexOf('=');
  const key = at < 0 ? '' : text.slice(0, at).trim();
  const value = at < 0 ? '' : text.slice(at + 1).trim();
  if (!SYSCTL_KEY.test(key))
    throw new UsageError(
      `--sysctl ${JSON.stringify(text)}: give key=value with a sysctl name such as kernel.unprivileged_userns_clone=0`,
    );
  if (value === '' || /[\n\r\0]/.test(value))
    throw new UsageError(`--sysctl ${key}: the value must be one non-empty line`);
  return { key, path: key.includes('/') ? key : key.replace(/\./g, '/'), value };
}

export function parseModuleList(texts: readonly string[]): string[] {
  const names = texts.flatMap((text) => text.split(',')).map((name) => name.trim());
  const bad = names.find((name) => !/^[A-Za-z0-9_-]+$/.test(name));
  if (bad !== undefined)
    throw new UsageError(`--modules ${JSON.stringify(bad)}: give module names separated by commas, such as ipip,sit`);
  return [...new Set(names.map((name) => name.replace(/-/g, '_')))];
}

/** The host's own console and panic settings come first; a line break would end the -append argument. */
export function parseAppend(text: string | undefined): string {
  if (text === undefined) return '';
  if (/[\n\r\0]/.test(text)) throw new UsageError('--append takes one line of kernel parameters');
  return text.trim();
}

/** What both reports record under run properties. */
export function describeSettings(settings: GuestSettings): Record<string, string> {
  return {
    'vm.sysctl': settings.sysctls.map(({ key, value }) => `${key}=${value}`).join(' ') || '(none)',
    'vm.modules': settings.modules.join(',') || '(none)',
    'vm.append': settings.append || '(none)',
  };
}
