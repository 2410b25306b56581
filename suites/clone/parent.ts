// CLONE_PARENT with CLONE_NEWPID or CLONE_NEWUSER: the page's EINVAL is not what the kernel does — clone(2) CLONE_PARENT; spec D2.
import { type Check, CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';
import { failingClone3 } from './ops.ts';

const { at } = expect;
const PPID = /PPid:\s+(\d+)/;
/** The last NSpid field: the PID in the process's own PID namespace (a lookbehind, so the match is the number itself). */
const OWN_PID = /(?<=NSpid:[^\n]*\s)(\d+)\n/;

/** The siblings the middle process makes: clone (SIGCHLD in the low byte) and clone3 (exit_signal 0, spec §2 note 7). */
const SIBLINGS = [
  { label: 'userClone', mode: 'clone', flags: CLONE.NEWUSER },
  { label: 'userClone3', mode: 'clone3', flags: CLONE.NEWUSER },
  { label: 'pidClone', mode: 'clone', flags: CLONE.NEWPID },
  { label: 'pidClone3', mode: 'clone3', flags: CLONE.NEWPID },
] as const;

export const parentWithNewNamespaces: SpecClaim = {
  key: 'parent-with-newpid-newuser',
  kinds: ['user', 'pid'],
  claim:
    "CLONE_PARENT with CLONE_NEWUSER or CLONE_NEWPID is accepted by clone and by clone3 with exit_signal 0, and the child becomes the caller's sibling (man page: EINVAL; kernel: accepted, spec D2); clone3 refuses CLONE_PARENT with a non-zero exit_signal (EINVAL, not in the 6.03 page)",
  specIds: ['COMBO-09'],
  manPage: 'clone(2) CLONE_NEWPID, CLONE_NEWUSER, CLONE_PARENT; ERRORS EINVAL',
  priv: 'U',
  needs: [{ kind: 'syscall', call: 'clone3' }],
  script: (who) => {
    const s = new Script();
    s.privileged('p', who);
    s.sys('mainPid', 'getpid');
    failingClone3(s, 'parentSignal3', CLONE.NEWUSER | CLONE.PARENT);
    s.fork('middle', 'clone3', 0, (m) => {
      for (const sib of SIBLINGS) {
        m.fork(
          sib.label,
          sib.mode,
          sib.flags | CLONE.PARENT,
          (c) => c.sys(`${sib.label}Ppid`, 'getppid'),
          sib.mode === 'clone3' ? 0 : undefined,
        );
      }
      m.post('forked', 0);
    });
    s.await('waitForked', 0);
    // The siblings are children of this process: alive or zombies until reaped here, so their status is readable.
    for (const sib of SIBLINGS) s.read(`${sib.label}Status`, `/proc/{${sib.label}}/status`);
    for (const sib of SIBLINGS) s.wait(`${sib.label}Exit`, sib.label);
    s.wait('middleExit', 'middle');
    return s;
  },
  checks: () => [
    expect.errno('parentSignal3', 'EINVAL', 'clone3(CLONE_NEWUSER|CLONE_PARENT) with exit_signal SIGCHLD'),
    ...SIBLINGS.flatMap(({ label }): Check[] => [
      expect.ok(label),
      expect.same(
        at('mainPid'),
        at(`${label}Status`, 'text', PPID),
        `${label}: PPid seen from outside is the caller's parent`,
      ),
      expect.exitCode(`${label}Exit`, 0, `${label}: reaped by the caller's parent`),
    ]),
    expect.same(at('mainPid'), at('userClonePpid'), 'getppid() in the CLONE_NEWUSER child'),
    expect.same(at('mainPid'), at('userClone3Ppid'), 'getppid() in the CLONE_NEWUSER child'),
    expect.ret('pidClonePpid', 0, 'the CLONE_NEWPID child sees its parent outside its namespace as 0'),
    expect.ret('pidClone3Ppid', 0, 'the CLONE_NEWPID child sees its parent outside its namespace as 0'),
    expect.equals(at('pidCloneStatus', 'text', OWN_PID), 1),
    expect.equals(at('pidClone3Status', 'text', OWN_PID), 1),
  ],
};
