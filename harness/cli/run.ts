// nsconform run: probe, run the selected cases in the pool, check the host, report.
import type { CaseInfo } from '../case.ts';
import { probeEnvironment } from '../env/environment.ts';
import { diffHostSnapshots, takeHostSnapshot } from '../host/snapshot.ts';
import { HOST_CASE, judgeHost } from '../host/host-case.ts';
import { JsonReporter } from '../report/json.ts';
import { JunitReporter } from '../report/junit.ts';
import { TerminalReporter } from '../report/terminal.ts';
import { RunEvents, type Reporter } from '../run/events.ts';
import { filterGroups } from '../run/filter.ts';
import { runGroups } from '../run/runner.ts';
import { exitCodeOf, summarize } from '../run/summary.ts';
import { SUITES } from '../../suites/index.ts';
import type { Options } from './args.ts';
import { readGuestProperties } from '../vm/guest-properties.ts';
import { withSession } from './session.ts';

function runProperties(options: Options): Record<string, string> {
  return {
    'run.modes': options.modes.join(','),
    'run.paths': options.paths.join(','),
    'run.only': options.only.join(' ') || '(all)',
    'run.concurrency': String(options.concurrency),
    'run.timeoutMs': String(options.timeoutMs),
    ...readGuestProperties(),
  };
}

export async function runSuites(options: Options): Promise<number> {
  const groups = filterGroups(SUITES.flatMap((suite) => suite.groups()), options);
  const cases: CaseInfo[] = [...groups.flatMap((group) => group.cases.map(({ info }) => info)), HOST_CASE];
  const events = new RunEvents();
  const reporters: Reporter[] = [
    new TerminalReporter({ write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true }),
    new JunitReporter(options.junit, runProperties(options)),
    ...(options.json ? [new JsonReporter(options.json, runProperties(options))] : []),
  ];
  for (const reporter of reporters) reporter.attach(events);

  const before = takeHostSnapshot();
  const started = performance.now();
  const results = await withSession(options.concurrency, async ({ pool, scratchDir }) => {
    const busybox = cases.some((info) => info.needs.some((need) => need.kind === 'busybox'));
    const env = await probeEnvironment(pool, { busybox });
    events.emit('start', { env, cases });
    return runGroups(groups, { pool, env, scratchDir, timeoutMs: options.timeoutMs }, events);
  });
  const hostChanges = diffHostSnapshots(before, takeHostSnapshot());
  const hostCheck = judgeHost(hostChanges, 0);
  events.emit('case', hostCheck);
  results.push(hostCheck);
  const summary = summarize(results, performance.now() - started, hostChanges);
  events.emit('end', summary);
  for (const reporter of reporters) await reporter.finish?.();
  process.stdout.write(`reports: ${[options.junit, options.json].filter(Boolean).join(', ')}\n`);
  return exitCodeOf(summary);
}
