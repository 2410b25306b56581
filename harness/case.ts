// The case model: claims judged over one observation, grouped so a child serves every claim about it.
import type { Need } from './needs/index.ts';
import type { Environment } from './env/environment.ts';
import type { ObserverPool } from './observer/pool.ts';

/**
 * What a judge says about one claim. Judges never skip: needs decide skips before a judge runs.
 * `error`: the observation holds something the observer made up (an unresolved reference, a guard
 * refusal, a truncated record), so it says nothing about the kernel and the case is an error.
 */
/** A pass may name the known variant the kernel showed (harness/script/variants.ts). */
export type Verdict =
  | { pass: true; variant?: string }
  | { pass: false; error?: undefined; expected: string; actual: string }
  | { pass: false; error: string };

export interface CaseInfo {
  /** "suite › flag set › claim [path, mode]": stable, unique, and what --only matches. */
  readonly id: string;
  readonly suite: string;
  /** JUnit classname: suite.path.mode, so CI tools group a variant together. */
  readonly classname: string;
  /** JUnit name: "flag set › claim". */
  readonly name: string;
  readonly claim: string;
  readonly specIds: readonly string[];
  readonly manPage: string;
  readonly needs: readonly Need[];
  /** Runs alone, after the pool, because it touches state other cases see. */
  readonly serial: boolean;
  /** Variant facts: flag set, creation path, privilege mode. */
  readonly properties: Readonly<Record<string, string>>;
}

export interface RunContext {
  readonly pool: ObserverPool;
  readonly env: Environment;
  readonly scratchDir: string;
  readonly timeoutMs: number;
}

/**
 * An observation that could not be made is a harness problem: every case of its group errors.
 * durationMs is the observer's own time for it, without the wait for a free observer.
 */
export type Observed<O> =
  { ok: true; observation: O; durationMs?: number } | { ok: false; error: string; durationMs?: number };

export interface JudgedCase<O> {
  readonly info: CaseInfo;
  /** Needs only the environment can tell, e.g. those a script derives from its own steps. */
  readonly needsFor?: (env: Environment) => readonly Need[];
  readonly judge: (observation: O) => Verdict;
  /**
   * The skip reason when this observation cannot show the claim: another case of the group already judged it (one
   * verdict, never a cascade), or, by the clock, a timely reading came too late (harness/script/timely.ts).
   */
  readonly skipOn?: (observation: O) => string | null;
}

export interface ObservationGroup<O = unknown> {
  readonly key: string;
  readonly cases: ReadonlyArray<JudgedCase<O>>;
  readonly observe: (context: RunContext) => Promise<Observed<O>>;
}

export interface Suite {
  readonly name: string;
  readonly description: string;
  readonly groups: () => ObservationGroup[];
}

export type Outcome =
  | { status: 'pass'; durationMs: number; variant?: string }
  | { status: 'fail'; durationMs: number; message: string; expected: string; actual: string }
  | { status: 'skip'; reason: string }
  | { status: 'error'; durationMs: number; message: string };

export type OutcomeStatus = Outcome['status'];
export const OUTCOME_STATUSES: readonly OutcomeStatus[] = ['pass', 'fail', 'skip', 'error'];

export interface CaseResult {
  readonly info: CaseInfo;
  readonly outcome: Outcome;
  /** --repeat: every attempt's status in order; flaky when it both passed and failed or errored. */
  readonly attempts?: readonly OutcomeStatus[];
  readonly flaky?: boolean;
}

/** A verdict in one line, for logs and test messages. */
export function describeVerdict(verdict: Verdict): string {
  if (verdict.pass) return 'pass';
  return verdict.error !== undefined
    ? `error: ${verdict.error}`
    : `expected ${verdict.expected}; got ${verdict.actual}`;
}
