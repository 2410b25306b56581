// The host's ordinary tools the suites run inside their namespaces (and the veth probe uses), found on PATH.
import type { Need } from '../needs/index.ts';
import { findTool, type Tool } from '../vm/tools.ts';

export const HOST_TOOLS = {
  hostname: { command: 'hostname', install: 'apt-get install hostname' },
  ipcs: { command: 'ipcs', install: 'apt-get install util-linux' },
  ps: { command: 'ps', install: 'apt-get install procps' },
  id: { command: 'id', install: 'apt-get install coreutils' },
  ip: { command: 'ip', install: 'apt-get install iproute2' },
} as const satisfies Record<string, Tool>;

export const needsTools = (...tools: Tool[]): Need[] => tools.map((tool) => ({ kind: 'tool', tool }));

/** The tool's path; the need has already skipped the case when it is missing. */
export function toolPath(tool: Tool): string {
  try {
    return findTool(tool);
  } catch {
    return `/usr/bin/${tool.command}`;
  }
}
