// Who may look at another process's ns links: a PTRACE_MODE_READ_FSCREDS check — namespaces(7), proc(5).
import { expect, Script, type SpecClaim } from '../../harness/kit.ts';

export const foreignLinksNeedPtraceRead: SpecClaim = {
  key: 'ptrace-read-check',
  kinds: ['net'],
  claim: "an unprivileged process gets EACCES from readlink and open of a root-owned process's /proc/<pid>/ns/net",
  specIds: ['NS-07'],
  manPage: 'namespaces(7) "The /proc/[pid]/ns/ directory"; proc(5) /proc/pid/ns',
  priv: 'N',
  script: () => {
    const s = new Script();
    s.readlink('link', '/proc/1/ns/net');
    s.open('open', '/proc/1/ns/net');
    return s;
  },
  checks: () => [expect.errno('link', 'EACCES'), expect.errno('open', 'EACCES')],
};
