// One LAVA job by hand (the whole suite by default): lava-run over lava/nsconform.yaml in qemu, its time and its cases compared with results.json.
// npx tsx scripts/lava-job.ts [--only <globs, no spaces>] [--granularity cell|case] [--minutes N] [--dir <work dir, kept>]
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { dirSync } from 'tmp-promise';
import type { JsonDocument } from '../harness/diff/report-file.ts';
import { lavaCases, type Granularity } from '../harness/lava/lava-cases.ts';
import { prepareDispatcher } from '../test/lava/dispatcher.ts';
import { runLavaJob } from '../test/lava/lava-job.ts';
import { readResultLines } from '../test/lava/lava-log.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: '' },
    granularity: { type: 'string', default: 'cell' },
    minutes: { type: 'string', default: '60' },
    dir: { type: 'string' },
  },
});
const dispatcher = prepareDispatcher();
if ('reason' in dispatcher) {
  process.stderr.write(`lava-job: ${dispatcher.reason}\n`);
  process.exit(2);
}
const workDir = values.dir ?? dirSync({ prefix: 'lava-job-' }).name;
const outDir = join(workDir, 'out');
mkdirSync(outDir, { recursive: true });
const granularity = values.granularity as Granularity;
const job = await runLavaJob(dispatcher, {
  workDir,
  outDir,
  testMinutes: Number(values.minutes),
  parameters: { ONLY: values.only, GRANULARITY: granularity, TIMEOUT_MS: '30000' },
});
const lines = readResultLines(job.log).filter((line) => line.definition === '0_nsconform');
if (!existsSync(join(outDir, 'results.json'))) {
  process.stderr.write(
    `lava-job: lava-run exit ${job.exitCode} after ${job.seconds.toFixed(1)} s and no results.json; log ${join(workDir, 'lava.log')}\n`,
  );
  process.exit(1);
}
const document = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as JsonDocument;
const expected = lavaCases(document.cases, granularity).map((entry) => `${entry.set}/${entry.name} ${entry.result}`);
const reported = lines
  .filter((line) => line.case !== 'nsconform-run')
  .map((line) => `${line.set}/${line.case} ${line.result}`);
const counts = new Map<string, number>();
for (const line of lines) counts.set(line.result, (counts.get(line.result) ?? 0) + 1);
const jobResult = readResultLines(job.log).find((line) => line.definition === 'lava' && line.case === 'job')?.result;
process.stdout
  .write(`lava-job: lava-run exit ${job.exitCode}, job ${jobResult}, ${job.seconds.toFixed(1)} s on ${job.kernelRelease}
lava-job: ${lines.length} LAVA cases (${[...counts].map(([result, count]) => `${count} ${result}`).join(', ')}) from ${document.cases.length} nsconform cases; match results.json: ${JSON.stringify(reported) === JSON.stringify(expected)}
lava-job: log ${join(workDir, 'lava.log')}, reports ${outDir}
`);
