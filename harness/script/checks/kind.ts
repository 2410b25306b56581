// What every check kind module provides: what it reads, how it judges, how a record is broken to violate it.
import type { Verdict } from '../../case.ts';
import type { StepRecord } from '../../observer/record.ts';
import type { Script } from '../builder.ts';
import type { ScriptRun } from '../run.ts';

export interface CheckKind<C extends { readonly kind: string }> {
  readonly kind: C['kind'];
  /** One line for the check list in suites/README.md (a test keeps them equal). */
  readonly summary: string;
  /** The step labels the check reads. */
  readonly reads: (check: C) => string[];
  /** null when the check holds. */
  readonly judge: (check: C, run: ScriptRun, script?: Script) => Verdict | null;
  /** Changes, in place, exactly what the check reads so that it fails. */
  readonly violate: (check: C, steps: StepRecord[]) => void;
}
