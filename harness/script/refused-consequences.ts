// Steps that could not run because a step a variant judges was refused: consequences of the kernel's answer, not observer inventions.
import type { StepRecord } from '../observer/record.ts';
import { markOf } from './observer-marks.ts';
import { ScriptRun } from './run.ts';

const UNRESOLVED = /unresolved reference: step (\w+) has no result/;

/**
 * The run without the steps whose only flaw is a reference to a judged step the kernel refused (7.2.13's raw
 * clone() EINVAL leaves "/proc/{child}/stat" and the wait on $child unresolved). A refused set-up step that no
 * variant reads keeps its consequences: those still make the case an error.
 */
export function withoutConsequencesOf(run: ScriptRun, judged: ReadonlySet<string>): ScriptRun {
  const refused = (label: string): boolean => {
    const step = run.step(label);
    return judged.has(label) && step !== undefined && step.r < 0 && markOf(step) === null;
  };
  const consequence = (step: StepRecord): boolean => {
    const cause =
      typeof step.bad === 'string' && typeof step.guard !== 'string' ? UNRESOLVED.exec(step.bad)?.[1] : undefined;
    return cause !== undefined && refused(cause);
  };
  const steps = run.record.steps.filter((step) => !consequence(step));
  return steps.length === run.record.steps.length ? run : new ScriptRun({ steps });
}
