// Run events: the runner emits them, reporters only listen.
import { EventEmitter } from 'node:events';
import type { CaseInfo, CaseResult } from '../case.ts';
import type { Environment } from '../env/environment.ts';
import type { Summary } from './summary.ts';

export interface RunEventMap {
  start: [{ env: Environment; cases: readonly CaseInfo[] }];
  case: [CaseResult];
  end: [Summary];
}

export class RunEvents extends EventEmitter<RunEventMap> {}

/** A reporter subscribes to the events and, when the run is over, finishes its output. */
export interface Reporter {
  /** The report file it writes, if any. */
  readonly file?: string;
  attach(events: RunEvents): void;
  finish?(): Promise<void>;
}
