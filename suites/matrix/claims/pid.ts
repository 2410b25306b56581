// The child's pid inside and outside — pid_namespaces(7), proc(5) NSpid.
import { expectText, onCreated, withOrWithout, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal, type MatrixVariant } from '../variant.ts';

const hasPid = (variant: MatrixVariant): boolean => createsKind(variant, 'pid');

/** NSpid lists one pid per level, outermost first; outer levels differ per process, so only count and tail are compared. */
function renderPids(pid: number, ppid: number, levels: number, tail: readonly number[]): string {
  const nspid =
    levels === 0 ? 'no NSpid line' : `NSpid of ${levels} level${levels === 1 ? '' : 's'} ending [${tail.join(' ')}]`;
  return `pid ${pid}, ppid ${ppid}, ${nspid}`;
}

export const pidClaim: MatrixClaim = {
  key: 'pid',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence: withOrWithout(
    hasPid,
    'the child is pid 1 with getppid() 0 and one more NSpid level',
    'the child has the pid its parent was given',
  ),
  specIds: (variant) =>
    hasPid(variant)
      ? ['PID-01', 'PID-02', 'PID-04', ...(variant.path.name === 'unshare' ? ['UNS-03'] : [])]
      : ['CLONE-01', 'PID-04'],
  manPage: () => 'pid_namespaces(7); proc(5) /proc/[pid]/status NSpid',
  judge: onCreated(({ variant, parent, child, outside, childPid }) => {
    // NSpid has at least one level wherever it can be read: two empty reads are not "the same depth".
    if (parent.nspid.length === 0)
      return { pass: false, expected: "the creator's NSpid read", actual: 'it has no levels (unreadable)' };
    const levels = parent.nspid.length;
    const tail = hasPid(variant) ? [childPid, 1] : [childPid];
    const expected = hasPid(variant)
      ? renderPids(1, 0, levels + 1, tail)
      : renderPids(childPid, parent.pid, levels, tail);
    return expectText(
      expected,
      renderPids(child.pid, child.ppid, outside.nspid.length, outside.nspid.slice(-tail.length)),
    );
  }),
};
