// What evaluating a need gives: met, a skip naming what stands in the way, or could-not-tell (an error).
import { explain, type Restriction } from '../env/restrictions.ts';
import type { Probe } from '../env/probe.ts';
import type { Environment } from '../env/environment.ts';

export type NeedAnswer = { met: true } | { met: false; reason: string } | { met: 'unknown'; reason: string };

export const MET: NeedAnswer = { met: true };

/** One need kind: a sentence for what it asks, and how the environment answers it. */
export interface NeedKind<N> {
  describe(need: N): string;
  evaluate(need: N, env: Environment): NeedAnswer;
}

/** Skipped only for a named restriction: "<need>: <restriction> (<evidence>) — <fix>". */
export function blockedBy(description: string, restriction: Restriction | null): NeedAnswer {
  return restriction ? { met: false, reason: `${description}: ${explain(restriction)}` } : MET;
}

/** For needs answered by a probe of their own (host tools, BusyBox, veth): no is a skip, unknown an error. */
export function fromProbe(description: string, probe: Probe): NeedAnswer {
  if (probe.state === 'yes') return MET;
  const sentence = `${description}: ${probe.detail}`;
  return probe.state === 'no'
    ? { met: false, reason: sentence }
    : { met: 'unknown', reason: `probe could not tell — ${sentence}` };
}
