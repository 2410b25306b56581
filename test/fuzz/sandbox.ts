// Runs the sanitizer observer on one fuzz batch inside a throw-away sandbox and says what went wrong, if anything.
import { spawnSync } from 'node:child_process';
import { runRaw, SANITIZER_ENV, SANITIZER_REPORT } from '../fixtures/raw-observer.ts';

/**
 * New mount, UTS, IPC, network and PID namespaces (with a user namespace when not root), killed with the observer:
 * whatever a generated step did stays in them. Null when this machine cannot make one (then only the harmless
 * ops the generator uses stand between a bug and the host).
 */
export function sandboxWrapper(): string[] | null {
  const base = ['unshare', '--mount', '--uts', '--ipc', '--net', '--pid', '--fork', '--kill-child', '--mount-proc'];
  const wrapper = process.getuid?.() === 0 ? base : [base[0]!, '--user', '--map-root-user', ...base.slice(1)];
  const probe = spawnSync(wrapper[0]!, [...wrapper.slice(1), 'true'], { stdio: 'ignore' });
  return probe.status === 0 ? wrapper : null;
}

/** Per batch: a hang past this is itself a finding (each request's own deadline is at most 1 s). */
const BATCH_BOUND_MS = 60000;

export interface BatchVerdict {
  problems: string[];
  records: number;
  durationMs: number;
}

/** Feeds one batch (bytes as latin1) and checks: no sanitizer report, a clean exit, every record one JSON object with an id. */
export async function fuzzBatch(
  binary: string,
  input: string,
  scratch: string,
  wrapper: string[] | null,
): Promise<BatchVerdict> {
  const started = performance.now();
  const bytes = Buffer.from(input.replaceAll('{SCRATCH}', scratch), 'latin1');
  const run = await runRaw(binary, bytes, { env: SANITIZER_ENV, wrapper: wrapper ?? [], timeoutMs: BATCH_BOUND_MS });
  const problems: string[] = [];
  const report = SANITIZER_REPORT.exec(run.stderr);
  if (report)
    problems.push(`sanitizer report:\n${run.stderr.slice(Math.max(0, report.index - 200), report.index + 3000)}`);
  if (run.timedOut) problems.push(`no exit within ${BATCH_BOUND_MS} ms`);
  else if (run.code !== 0)
    problems.push(`observer ended with ${run.signal ?? `exit code ${run.code}`}; stderr: ${run.stderr.slice(-2000)}`);
  for (const line of run.lines) {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`a record is not JSON: ${line.slice(0, 300)}`);
      continue;
    }
    if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'number')
      problems.push(`a record has no numeric id: ${line.slice(0, 300)}`);
  }
  return { problems, records: run.lines.length, durationMs: performance.now() - started };
}
