// The filesystem need: registered in /proc/filesystems, or a module the kernel loads on mount (overlay not yet loaded).
import test from 'ava';
import { probeFilesystem, type ModuleHost } from '../harness/env/filesystems.ts';

const RELEASE = '6.1.0-57-amd64';
/** Files as Debian's 6.1.0-57 kernel package and a host with overlay unloaded show them. */
const FILES: Record<string, string> = {
  '/proc/filesystems': 'nodev\tsysfs\nnodev\ttmpfs\n\text4\nnodev\tfuse\n',
  '/proc/sys/kernel/modprobe': '/sbin/modprobe\n',
  '/proc/sys/kernel/modules_disabled': '0\n',
  [`/lib/modules/${RELEASE}/modules.alias`]:
    '# Aliases extracted from modules themselves.\nalias fs-overlayfs2 other\nalias fs-overlay overlay\nalias fs-xfs xfs\n',
};

function host(changes: Record<string, string | null> = {}, executables = ['/sbin/modprobe']): ModuleHost {
  const files = { ...FILES, ...changes };
  return { read: (path) => files[path] ?? '', exists: (path) => executables.includes(path), release: RELEASE };
}

test('a registered filesystem is there; an unregistered one is there when modules.alias names its fs- module and modprobe can run', (t) => {
  t.is(probeFilesystem('tmpfs', host()).state, 'yes');
  const overlay = probeFilesystem('overlay', host());
  t.is(overlay.state, 'yes');
  t.regex(
    overlay.detail,
    /loads it on mount \(\/lib\/modules\/6\.1\.0-57-amd64\/modules\.alias: fs-overlay is module overlay/,
  );
});

test('not registered, and the kernel could not load it: no module support, loading off, no modprobe, or no fs- alias', (t) => {
  const cases: Array<[string, ModuleHost, RegExp]> = [
    ['CONFIG_MODULES=n', host({ '/proc/sys/kernel/modprobe': null }), /loads no modules/],
    ['autoload off', host({ '/proc/sys/kernel/modprobe': '\n' }), /loads no modules/],
    ['modules_disabled', host({ '/proc/sys/kernel/modules_disabled': '1\n' }), /modules_disabled is 1/],
    ['no modprobe binary', host({}, []), /\/sbin\/modprobe .* is missing/],
    [
      'no alias',
      host({ [`/lib/modules/${RELEASE}/modules.alias`]: 'alias fs-xfs xfs\n' }),
      /names no module for fs-overlay/,
    ],
    [
      'no modules installed',
      host({ [`/lib/modules/${RELEASE}/modules.alias`]: null }),
      /names no module for fs-overlay/,
    ],
  ];
  for (const [what, where, reason] of cases) {
    const probe = probeFilesystem('overlay', where);
    t.is(probe.state, 'no', what);
    t.regex(probe.detail, /^overlay is not in \/proc\/filesystems, and /, what);
    t.regex(probe.detail, reason, what);
  }
  t.is(probeFilesystem('overlayfs', host()).state, 'no', 'fs-overlayfs2 is not fs-overlayfs');
});
