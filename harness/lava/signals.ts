// LAVA test-shell signals for a report's cases, as lava-test-set and lava-test-case would print them, from one child process.
import { bySet, type LavaCase } from './lava-cases.ts';

/** A log line that looked like a signal would be taken for one: LAVA matches "<LAVA_SIGNAL_" anywhere on a line. */
function inert(line: string): string {
  return line.replace(/<LAVA_/g, '(LAVA_');
}

function caseLines(entry: LavaCase): string[] {
  const log =
    entry.log.length === 0
      ? []
      : [
          `<LAVA_SIGNAL_STARTTC ${entry.name}>`,
          ...entry.log.flatMap((line) => line.split('\n')).map(inert),
          `<LAVA_SIGNAL_ENDTC ${entry.name}>`,
        ];
  return [...log, `<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=${entry.name} RESULT=${entry.result}>`];
}

/** Cases of one set stay together, in one TESTSET block per set, in the order the sets first appear. */
export function renderSignals(cases: readonly LavaCase[]): string {
  const sets = bySet(cases);
  const lines = [...sets].flatMap(([set, members]) => [
    `<LAVA_SIGNAL_TESTSET START ${set}>`,
    ...members.flatMap(caseLines),
    '<LAVA_SIGNAL_TESTSET STOP>',
  ]);
  return `${lines.join('\n')}\n`;
}
