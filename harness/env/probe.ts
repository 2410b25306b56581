// Tri-state probe answers: yes, no, or could-not-tell (which is an error, never a quiet skip).

export type ProbeState = 'yes' | 'no' | 'unknown';

export interface Probe {
  readonly state: ProbeState;
  /** What was tried and what happened, in a phrase. */
  readonly detail: string;
}

export const yes = (detail: string): Probe => ({ state: 'yes', detail });
export const no = (detail: string): Probe => ({ state: 'no', detail });
export const unknown = (detail: string): Probe => ({ state: 'unknown', detail });
