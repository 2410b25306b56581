// Harness claims: facts the harness gathers itself through koffi on descriptors it opened (its own namespaces), judged like scripts.
import type { CaseInfo, ObservationGroup } from '../case.ts';
import type { StepRecord } from '../observer/record.ts';
import { judgeChecks, type Check } from './checks.ts';
import { claimCaseInfo, type ClaimBase } from './claim.ts';
import { ScriptRun } from './run.ts';

/**
 * Only calls that create or enter no namespace belong here (ioctl_ns, fcntl, fstat): Node is
 * multi-threaded, so everything else stays in the native observer.
 */
export interface HarnessClaim extends ClaimBase {
  /** The facts, one record per labelled call, in the same shape a script step reports. */
  readonly gather: () => StepRecord[];
  readonly checks: () => readonly Check[];
}

/** Whether an export of a claim file is a harness claim: what the registry collects. */
export function isHarnessClaim(value: unknown): value is HarnessClaim {
  const claim = value as Partial<HarnessClaim> | null;
  return (
    typeof claim === 'object' &&
    claim !== null &&
    typeof claim.key === 'string' &&
    typeof claim.gather === 'function' &&
    typeof claim.checks === 'function'
  );
}

/** The mode a harness claim runs in: the runner's own, whatever it is. */
export const HARNESS_MODE = 'harness';

/** Records one call's outcome as a step: r is the value or -1 with e, plus any fields. */
export function record(
  label: string,
  result: { ok: true; value: number } | { ok: false; errno: string },
  fields: Record<string, unknown> = {},
): StepRecord {
  return result.ok
    ? { l: label, p: HARNESS_MODE, r: result.value, ...fields }
    : { l: label, p: HARNESS_MODE, r: -1, e: result.errno, ...fields };
}

export function harnessCaseInfo(suite: string, claim: HarnessClaim): CaseInfo {
  return claimCaseInfo(suite, claim, HARNESS_MODE, claim.needs ?? [], { key: claim.key, runner: HARNESS_MODE });
}

export function judgeHarnessClaim(claim: HarnessClaim, run: ScriptRun) {
  return judgeChecks(claim.checks(), run);
}

export function harnessGroup(suite: string, claim: HarnessClaim): ObservationGroup<ScriptRun> {
  return {
    key: `${suite}:${claim.key}:${HARNESS_MODE}`,
    cases: [{ info: harnessCaseInfo(suite, claim), judge: (run) => judgeHarnessClaim(claim, run) }],
    observe: () => {
      const started = performance.now();
      const steps = claim.gather();
      return Promise.resolve({
        ok: true,
        durationMs: performance.now() - started,
        observation: new ScriptRun({ steps }),
      });
    },
  };
}
