// Interrupts a run can survive: SIGINT, SIGTERM (a cancelled CI job) and SIGHUP (a closed terminal) all stop it the same way.
import { constants } from 'node:os';

export const INTERRUPTS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface Interrupt {
  /** Settles with the first interrupt's name. */
  readonly signal: Promise<NodeJS.Signals>;
  /** The first interrupt, once there was one. */
  readonly received: () => NodeJS.Signals | null;
  /** Puts back whatever listened before. */
  dispose(): void;
}

/** The shell's convention: 128 + the signal number (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP). */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * The first interrupt asks the run to stop, clean up and report what ran; a second one exits at once (the
 * run's janitor then cleans up, as after a kill).
 */
export function catchInterrupts(): Interrupt {
  let received: NodeJS.Signals | null = null;
  let settle: (signal: NodeJS.Signals) => void = () => {};
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    settle = resolve;
  });
  const previous = new Map(INTERRUPTS.map((name) => [name, process.listeners(name)]));
  const onSignal = (name: NodeJS.Signals): void => {
    if (received) {
      process.stderr.write(`nsconform: ${name} again; exiting now\n`);
      process.exit(exitCodeForSignal(received));
    }
    received = name;
    process.stderr.write(`nsconform: ${name}: stopping; cleaning up and writing the reports with the cases that ran\n`);
    settle(name);
  };
  for (const name of INTERRUPTS) {
    process.removeAllListeners(name);
    process.on(name, onSignal);
  }
  return {
    signal,
    received: () => received,
    dispose: () => {
      for (const name of INTERRUPTS) {
        process.removeListener(name, onSignal);
        for (const listener of previous.get(name) ?? []) process.on(name, listener);
      }
    },
  };
}
