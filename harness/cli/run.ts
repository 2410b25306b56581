// nsconform run: probe, run the selected cases in the pool, check the host, report.
import type { CaseInfo, CaseResult } from '../case.ts';
import type { Environment } from '../env/environment.ts';
import { probeEnvironment } from '../env/environment.ts';
import { containmentRestriction, explain } from '../env/restrictions.ts';
import { diffHostSnapshots, takeHostSnapshot } from '../host/snapshot.ts';
import { HOST_CASE, judgeHost } from '../host/host-case.ts';
import { checkIpcAfterRun, takeIpcSnapshot } from '../host/ipc-check.ts';
import { catchInterrupts, exitCodeForSignal } from '../run/interrupt.ts';
import { HEALTH_CASES, judgeHealth, takeHealthSnapshot } from '../health/kernel-health.ts';
import { JsonReporter } from '../report/json.ts';
import { JunitReporter } from '../report/junit.ts';
import { KtapReporter } from '../report/ktap.ts';
import { HtmlReporter } from '../report/html/html-reporter.ts';
import { StepSummaryReporter } from '../report/step-summary.ts';
import { TerminalReporter } from '../report/terminal.ts';
import { RunEvents, type Reporter } from '../run/events.ts';
import { filterGroups } from '../run/filter.ts';
import { runGroups } from '../run/runner.ts';
import { runRepeated } from '../run/repeat.ts';
import { failedCaseIds } from '../run/rerun.ts';
import { EXIT, exitCodeOf, summarize } from '../run/summary.ts';
import { finishReporters } from '../report/finish.ts';
import type { SuiteRegistry } from '../registry/suite-registry.ts';
import type { Options } from './args.ts';
import { readGuestProperties } from '../vm/guest-properties.ts';
import { withSession } from './session.ts';

function runProperties(options: Options): Record<string, string> {
  return {
    'run.modes': options.modes.join(','),
    'run.paths': options.paths.join(','),
    'run.only': options.only.join(' ') || '(all)',
    'run.exclude': options.exclude.join(' ') || '(none)',
    'run.rerunFailed': options.rerunFailed ?? '(no)',
    'run.repeat': String(options.repeat),
    'run.concurrency': String(options.concurrency),
    'run.timeoutMs': String(options.timeoutMs),
    ...readGuestProperties(),
  };
}

/** The uids the run's processes have: its own, and the one the unprivileged mode drops to. */
function runUids(env: Environment): Set<number> {
  return new Set([process.geteuid?.() ?? 0, ...(env.unprivilegedDrop ? [env.unprivilegedDrop.uid] : [])]);
}

export async function runSuites(options: Options, registry: SuiteRegistry): Promise<number> {
  const ids = options.rerunFailed === null ? null : failedCaseIds(options.rerunFailed);
  if (ids?.size === 0) {
    process.stdout.write(`nsconform: ${options.rerunFailed} has no failed or errored case; nothing to rerun\n`);
    return EXIT.ok;
  }
  const groups = filterGroups(
    registry.suites.flatMap((suite) => suite.groups()),
    { ...options, ids },
  );
  const cases: CaseInfo[] = [
    ...groups.flatMap((group) => group.cases.map(({ info }) => info)),
    HOST_CASE,
    ...HEALTH_CASES,
  ];
  const events = new RunEvents();
  const properties = runProperties(options);
  const reporters: Reporter[] = [
    new TerminalReporter({ write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true }),
    new JunitReporter(options.junit, properties),
    ...(options.json ? [new JsonReporter(options.json, properties)] : []),
    ...(options.ktap ? [new KtapReporter(options.ktap)] : []),
    ...(options.html ? [new HtmlReporter(options.html, properties, (result) => registry.familyOf(result.info))] : []),
    ...(process.env.GITHUB_STEP_SUMMARY ? [new StepSummaryReporter(process.env.GITHUB_STEP_SUMMARY)] : []),
  ];
  for (const reporter of reporters) reporter.attach(events);

  const before = takeHostSnapshot();
  const ipcBefore = takeIpcSnapshot();
  const health = takeHealthSnapshot();
  const started = performance.now();
  const interrupt = catchInterrupts();
  let hostChanges: string[] = [];
  let changedElsewhere: string[] = [];
  const results = await withSession(options.concurrency, async ({ pool, scratchDir, journal }) => {
    const busybox = cases.some((info) => info.needs.some((need) => need.kind === 'busybox'));
    const env = await probeEnvironment(pool, { busybox });
    const uncontainedBy = containmentRestriction(env);
    await pool.setUncontained(uncontainedBy ? explain(uncontainedBy) : null);
    events.emit('start', { env, cases });
    // The runner reports into its own emitter; after an interrupt nothing more reaches the reporters.
    const ran: CaseResult[] = [];
    const runnerEvents = new RunEvents();
    runnerEvents.on('case', (result) => {
      if (interrupt.received()) return;
      ran.push(result);
      events.emit('case', result);
    });
    const context = { pool, env, scratchDir, timeoutMs: options.timeoutMs };
    const running =
      options.repeat > 1
        ? runRepeated(groups, context, runnerEvents, options.repeat)
        : runGroups(groups, context, runnerEvents);
    const finished = await Promise.race([running.then(() => true), interrupt.signal.then(() => false)]);
    if (!finished) {
      await pool.close(true);
      // The cases still under way end at once on the closed pool; until they have, one could still write in the
      // scratch dir (a small container's root, made recursively, re-made the removed session dir).
      await running.catch(() => {});
    }
    const snapshot = diffHostSnapshots(before, takeHostSnapshot(), [scratchDir, journal.dir]);
    changedElsewhere = snapshot.elsewhere;
    hostChanges = [...snapshot.run, ...(await checkIpcAfterRun(ipcBefore, journal.dir, runUids(env)))];
    return ran;
  }).catch((error: unknown) => {
    interrupt.dispose();
    throw error;
  });
  const hostCheck = judgeHost(hostChanges, 0);
  events.emit('case', hostCheck);
  results.push(hostCheck);
  for (const check of judgeHealth(health, 0)) {
    events.emit('case', check);
    results.push(check);
  }
  const summary = summarize(results, performance.now() - started, hostChanges);
  events.emit('end', summary);
  const stoppedBy = interrupt.received();
  interrupt.dispose();
  const ranCount = results.length - 1 - HEALTH_CASES.length;
  const selected = cases.length - 1 - HEALTH_CASES.length;
  // Not this run's doing, but said: a reader of the report sees the machine was shared.
  if (changedElsewhere.length) {
    properties['host.changedByOthers'] = changedElsewhere.join('; ');
    process.stderr.write(
      `nsconform: other programs changed the host during the run (not this run's: outside its directories and namespaces): ${changedElsewhere.join('; ')}\n`,
    );
  }
  if (stoppedBy) properties['run.interrupted'] = `${stoppedBy}: ${ranCount} of ${selected} cases ran`;
  const { written, failed } = await finishReporters(reporters);
  if (written.length) process.stdout.write(`reports: ${written.join(', ')}\n`);
  if (stoppedBy) {
    process.stderr.write(
      `nsconform: interrupted by ${stoppedBy}; the reports hold the ${ranCount} of ${selected} cases that ran\n`,
    );
    return exitCodeForSignal(stoppedBy);
  }
  return failed ? EXIT.harness : exitCodeOf(summary);
}
