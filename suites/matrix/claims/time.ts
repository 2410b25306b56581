// Time namespaces per creation path — time_namespaces(7), clone(2) "The child termination signal".
import { CLONE, SIG } from '../../../harness/script/constants.ts';
import { isErrno, type Facts, type Text } from '../../../harness/observer/record.ts';
import { expectText, onCreated, sameText, type MatrixClaim } from '../claim.ts';
import { judgeVariants } from '../../../harness/script/variants.ts';
import { REFUSED_WITH_EINVAL, type CreationVariant } from '../uncreatable.ts';
import { createsKind, expectsRefusal, passesFlag, type MatrixVariant } from '../variant.ts';

/** Legacy clone() with CLONE_NEWTIME: the bit lands in the exit-signal byte (spec CLONE-08, D9). */
const timeBitIsSignal = (variant: MatrixVariant): boolean =>
  passesFlag(variant, 'time') && !createsKind(variant, 'time');

function offsets(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).join(' '))
    .join(', ');
}

/** PROC_TIME_INIT_INO: the initial time namespace's fixed inode number (include/linux/proc_ns.h). */
const INITIAL_TIME_NS_INO = 0xeffffffa;
/** time_namespaces(7): the initial time namespace's offsets. */
const ZERO_OFFSETS = 'monotonic 0 0, boottime 0 0';

function readOffsets(text: Text): string {
  return typeof text === 'string' ? offsets(text) : `unreadable (${text.errno})`;
}

/**
 * A new time namespace inherits its creator's offsets (TIME-03); a creator in the initial time namespace has
 * zero offsets, asserted as such rather than taken from the parent's read.
 */
function inheritedOffsets(parent: Facts): string {
  const ns = parent.ns.time;
  const initial = ns !== undefined && !isErrno(ns) && ns.ino === INITIAL_TIME_NS_INO;
  return initial ? ZERO_OFFSETS : readOffsets(parent.timensOffsets);
}

function sentence(variant: MatrixVariant): string {
  if (createsKind(variant, 'time')) return "the new time namespace starts with the parent's offsets";
  // What holds for every known variant (LEGACY_TIME_VARIANTS): the report records which one this kernel showed.
  if (timeBitIsSignal(variant))
    return 'CLONE_NEWTIME makes no time namespace: the bit is read as exit-signal bits (spec D9) or refused with EINVAL (D14)';
  return "the child sees the parent's time offsets";
}

function specIds(variant: MatrixVariant): string[] {
  if (createsKind(variant, 'time')) return ['TIME-03', variant.path.name === 'clone3' ? 'CLONE-07' : 'TIME-01'];
  return timeBitIsSignal(variant) ? ['CLONE-08'] : ['CLONE-01'];
}

export const timeClaim: MatrixClaim = {
  key: 'time',
  appliesTo: (variant) => !expectsRefusal(variant),
  // Without time namespaces there are no offsets to compare: the case says so instead of comparing two failed reads.
  needs: () => [{ kind: 'kernel-has', ns: 'time' }],
  sentence,
  specIds,
  manPage: (variant) =>
    timeBitIsSignal(variant)
      ? 'clone(2) "The child termination signal" (this kernel: spec D9)'
      : 'time_namespaces(7) /proc/PID/timens_offsets',
  judge: (observation) =>
    timeBitIsSignal(observation.variant)
      ? judgeVariants(LEGACY_TIME_VARIANTS, (known) => known.judge(observation))
      : judgeCreated(observation),
};

const judgeCreated = onCreated(({ variant, parent, child }) => {
  if (createsKind(variant, 'time')) {
    const expected = inheritedOffsets(parent);
    return expectText(
      `parent's offsets ${expected}, child's ${expected}`,
      `parent's offsets ${readOffsets(parent.timensOffsets)}, child's ${readOffsets(child.timensOffsets)}`,
    );
  }
  return sameText('offsets', parent.timensOffsets, child.timensOffsets, offsets);
});

/** What legacy clone() does with bit 0x80: either way no time namespace is created (spec D9, D14). */
export const LEGACY_TIME_VARIANTS: readonly CreationVariant[] = [
  {
    id: 'D9: 0x80 is exit-signal bits',
    kernels: ['6.1', '6.18'],
    judge: onCreated(({ parent, child, outside }) => {
      const theirs = parent.ns.time;
      const mine = child.ns.time;
      const same = theirs && mine && !('errno' in theirs) && !('errno' in mine) && theirs.ino === mine.ino;
      return expectText(
        `exit signal ${SIG.CHLD | CLONE.NEWTIME}, the parent's time namespace`,
        `exit signal ${outside.exitSignal}, ${same ? "the parent's time namespace" : 'another time namespace'}`,
      );
    }),
  },
  REFUSED_WITH_EINVAL,
];
