// result.txt in the Linaro test-definitions format (send-to-lava.sh reads it): test sets, then "<name> <result>" lines.
import { bySet, type LavaCase } from './lava-cases.ts';

export function renderResultTxt(cases: readonly LavaCase[]): string {
  const sets = bySet(cases);
  const lines = [...sets].flatMap(([set, members]) => [
    `lava-test-set start ${set}`,
    ...members.map((entry) => `${entry.name} ${entry.result}`),
    `lava-test-set stop ${set}`,
  ]);
  return `${lines.join('\n')}\n`;
}
