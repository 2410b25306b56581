// The host check as a case of its own, so every reporter shows it like any other outcome.
import type { CaseInfo, CaseResult } from '../case.ts';

export const HOST_CASE: CaseInfo = {
  id: 'host › the host snapshot is unchanged after the run',
  suite: 'host',
  classname: 'host',
  name: 'the host snapshot is unchanged after the run',
  claim:
    'hostname, domain name, mounts, interfaces and /proc/sys/user are as before the run, and no SysV IPC object this run made or could have removed changed',
  specIds: [],
  manPage: 'spec §2 note 11 (host safety)',
  needs: [],
  serial: true,
  properties: { key: 'unchanged' },
};

export function judgeHost(changes: readonly string[], durationMs: number): CaseResult {
  return changes.length === 0
    ? { info: HOST_CASE, outcome: { status: 'pass', durationMs } }
    : {
        info: HOST_CASE,
        outcome: { status: 'error', durationMs, message: `THE RUN CHANGED THE HOST: ${changes.join('; ')}` },
      };
}
