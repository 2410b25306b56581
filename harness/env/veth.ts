// Whether veth pairs can be made here: tried with iproute2 inside a network namespace of the probe's own, never the host's.
import type { ObserverPool } from '../observer/pool.ts';
import { Script } from '../script/builder.ts';
import { CLONE } from '../script/constants.ts';
import { ScriptRun } from '../script/run.ts';
import { findTool } from '../vm/tools.ts';
import { HOST_TOOLS } from './host-tools.ts';
import type { KernelConfig } from './kernel-build.ts';
import { no, unknown, yes, type Probe } from './probe.ts';

/** As real root the probe can load the veth module; otherwise it runs as root of a user namespace of its own. */
export async function probeVeth(
  pool: ObserverPool,
  asRoot: boolean,
  ids: { uid: number; gid: number },
  config: KernelConfig | null,
): Promise<Probe> {
  let ip: string;
  try {
    ip = findTool(HOST_TOOLS.ip);
  } catch {
    return no(`ip (iproute2) is not installed to make veth pairs with (${HOST_TOOLS.ip.install})`);
  }
  const s = new Script();
  if (!asRoot) s.becomeRoot('p', { mode: 'unprivileged', ...ids });
  s.sys('net', 'unshare', CLONE.NEWNET);
  s.run('veth', 0, null, ip, 'ip', 'link', 'add', 'nsc-probe0', 'type', 'veth', 'peer', 'name', 'nsc-probe1');
  try {
    const run = new ScriptRun(await pool.script({ drop: null, timeoutMs: 10000, scratch: null, lines: s.lines }));
    const net = run.step('net'),
      veth = run.step('veth');
    if (!net || net.r < 0)
      return unknown(`unshare(CLONE_NEWNET) for the veth probe failed with ${net?.e ?? 'no result'}`);
    if (veth?.code === 0) return yes('ip link add type veth works in a new network namespace');
    const said = (typeof veth?.text === 'string' ? veth.text : (veth?.e ?? 'no result')).trim();
    // Blame the kernel's build only where its config says so; otherwise report what ip said, nothing more.
    const built = config?.options.get('CONFIG_VETH');
    if (built === 'n')
      return no(
        `this kernel is built without veth (${config!.source}: CONFIG_VETH is not set) — use a kernel with CONFIG_VETH=y or =m`,
      );
    return unknown(
      `ip link add type veth fails in a new network namespace: ${said}${built ? ` (${config!.source}: CONFIG_VETH=${built})` : ''}`,
    );
  } catch (error) {
    return unknown(`veth probe: ${(error as Error).message}`);
  }
}
