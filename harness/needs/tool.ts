// A host program a scenario runs inside the namespaces, and how to install it.
import { findTool, type Tool } from '../vm/tools.ts';
import { fromProbe, type NeedKind } from './answer.ts';

export interface ToolNeed {
  readonly kind: 'tool';
  readonly tool: Tool;
}

function probeTool(tool: Tool) {
  try {
    return { state: 'yes' as const, detail: findTool(tool) };
  } catch {
    return { state: 'no' as const, detail: `${tool.command} is not in PATH — install it (${tool.install})` };
  }
}

export const tool: NeedKind<ToolNeed> = {
  describe: (need) => `needs the host tool ${need.tool.command} (${need.tool.install})`,
  evaluate(need) {
    return fromProbe(this.describe(need), probeTool(need.tool));
  },
};
