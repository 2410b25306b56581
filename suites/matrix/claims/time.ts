// Time namespaces per creation path — time_namespaces(7), clone(2) "The child termination signal".
import { describeText, type Text } from '../../../harness/observer/record.ts';
import { expectText, onCreated, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal, passesFlag, type MatrixVariant } from '../variant.ts';

const SIGCHLD = 17;
const CLONE_NEWTIME = 0x80;

/** Legacy clone() with CLONE_NEWTIME: the bit lands in the exit-signal byte (spec CLONE-08, D9). */
const timeBitIsSignal = (variant: MatrixVariant): boolean => passesFlag(variant, 'time') && !createsKind(variant, 'time');

function offsets(text: Text): string {
  return typeof text === 'string' ? text.trim().split('\n').map((line) => line.trim().split(/\s+/).join(' ')).join(', ') : describeText(text);
}

function sentence(variant: MatrixVariant): string {
  if (createsKind(variant, 'time')) return "the new time namespace starts with the parent's offsets";
  if (timeBitIsSignal(variant)) return "CLONE_NEWTIME is read as exit-signal bits and the child stays in the parent's time namespace";
  return "the child sees the parent's time offsets";
}

function specIds(variant: MatrixVariant): string[] {
  if (createsKind(variant, 'time')) return ['TIME-03', variant.path.name === 'clone3' ? 'CLONE-07' : 'TIME-01'];
  return timeBitIsSignal(variant) ? ['CLONE-08'] : ['CLONE-01'];
}

export const timeClaim: MatrixClaim = {
  key: 'time',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence,
  specIds,
  manPage: (variant) => (timeBitIsSignal(variant) ? 'clone(2) "The child termination signal" (this kernel: spec D9)' : 'time_namespaces(7) /proc/PID/timens_offsets'),
  judge: onCreated(({ variant, parent, child, outside }) => {
    if (!timeBitIsSignal(variant)) return expectText(`offsets ${offsets(parent.timensOffsets)}`, `offsets ${offsets(child.timensOffsets)}`);
    const theirs = parent.ns.time;
    const mine = child.ns.time;
    const same = theirs && mine && !('errno' in theirs) && !('errno' in mine) && theirs.ino === mine.ino;
    return expectText(
      `exit signal ${SIGCHLD | CLONE_NEWTIME}, the parent's time namespace`,
      `exit signal ${outside.exitSignal}, ${same ? "the parent's time namespace" : 'another time namespace'}`,
    );
  }),
};
