// nsconform run: probe, run the selected cases in the pool, check the host, report.
import type { CaseInfo, CaseResult } from '../case.ts';
import type { Environment } from '../env/environment.ts';
import { probeEnvironment } from '../env/environment.ts';
import { diffHostSnapshots, takeHostSnapshot } from '../host/snapshot.ts';
import { HOST_CASE, judgeHost } from '../host/host-case.ts';
import { checkIpcAfterRun, takeIpcSnapshot } from '../host/ipc-check.ts';
import { catchInterrupts, exitCodeForSignal } from '../run/interrupt.ts';
import { JsonReporter } from '../report/json.ts';
import { JunitReporter } from '../report/junit.ts';
import { TerminalReporter } from '../report/terminal.ts';
import { RunEvents, type Reporter } from '../run/events.ts';
import { filterGroups } from '../run/filter.ts';
import { runGroups } from '../run/runner.ts';
import { exitCodeOf, summarize } from '../run/summary.ts';
import { SUITES } from '../../suites/index.ts';
import type { Options } from './args.ts';
import { withSession } from './session.ts';

function runProperties(options: Options): Record<string, string> {
  return {
    'run.modes': options.modes.join(','),
    'run.paths': options.paths.join(','),
    'run.only': options.only.join(' ') || '(all)',
    'run.concurrency': String(options.concurrency),
    'run.timeoutMs': String(options.timeoutMs),
  };
}

/** The uids the run's processes have: its own, and the one the unprivileged mode drops to. */
function runUids(env: Environment): Set<number> {
  return new Set([process.geteuid?.() ?? 0, ...(env.unprivilegedDrop ? [env.unprivilegedDrop.uid] : [])]);
}

export async function runSuites(options: Options): Promise<number> {
  const groups = filterGroups(SUITES.flatMap((suite) => suite.groups()), options);
  const cases: CaseInfo[] = [...groups.flatMap((group) => group.cases.map(({ info }) => info)), HOST_CASE];
  const events = new RunEvents();
  const properties = runProperties(options);
  const reporters: Reporter[] = [
    new TerminalReporter({ write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true }),
    new JunitReporter(options.junit, properties),
    ...(options.json ? [new JsonReporter(options.json, properties)] : []),
  ];
  for (const reporter of reporters) reporter.attach(events);

  const before = takeHostSnapshot();
  const ipcBefore = takeIpcSnapshot();
  const started = performance.now();
  const interrupt = catchInterrupts();
  let hostChanges: string[] = [];
  const results = await withSession(options.concurrency, async ({ pool, scratchDir, journal }) => {
    const busybox = cases.some((info) => info.needs.some((need) => need.kind === 'busybox'));
    const env = await probeEnvironment(pool, { busybox });
    events.emit('start', { env, cases });
    // The runner reports into its own emitter; after an interrupt nothing more reaches the reporters.
    const ran: CaseResult[] = [];
    const runnerEvents = new RunEvents();
    runnerEvents.on('case', (result) => {
      if (interrupt.received()) return;
      ran.push(result);
      events.emit('case', result);
    });
    const finished = await Promise.race([runGroups(groups, { pool, env, scratchDir, timeoutMs: options.timeoutMs }, runnerEvents).then(() => true), interrupt.signal.then(() => false)]);
    if (!finished) await pool.close(true);
    hostChanges = [...diffHostSnapshots(before, takeHostSnapshot()), ...(await checkIpcAfterRun(ipcBefore, journal.dir, runUids(env)))];
    return ran;
  }).catch((error: unknown) => {
    interrupt.dispose();
    throw error;
  });
  const hostCheck = judgeHost(hostChanges, 0);
  events.emit('case', hostCheck);
  results.push(hostCheck);
  const summary = summarize(results, performance.now() - started, hostChanges);
  events.emit('end', summary);
  const stoppedBy = interrupt.received();
  interrupt.dispose();
  if (stoppedBy) properties['run.interrupted'] = `${stoppedBy}: ${results.length - 1} of ${cases.length - 1} cases ran`;
  for (const reporter of reporters) await reporter.finish?.();
  process.stdout.write(`reports: ${[options.junit, options.json].filter(Boolean).join(', ')}\n`);
  if (stoppedBy) {
    process.stderr.write(`nsconform: interrupted by ${stoppedBy}; the reports hold the ${results.length - 1} of ${cases.length - 1} cases that ran\n`);
    return exitCodeForSignal(stoppedBy);
  }
  return exitCodeOf(summary);
}
