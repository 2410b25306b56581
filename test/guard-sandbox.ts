// A throw-away sandbox for the host-guard and containment tests: the observer runs in new mount, UTS, IPC, net and
// PID namespaces (unshare(1)), so a regression changes only them; what the sandbox looks like afterwards is returned.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { OBSERVER_BINARY } from '../harness/observer/binary.ts';
import { ObserverClient } from '../harness/observer/client.ts';
import type { ScriptRecord } from '../harness/observer/record.ts';
import type { Script } from '../harness/script/builder.ts';
import { ScriptRun } from '../harness/script/run.ts';

/** The sandbox's hostname: a step that renamed "the host" shows up as a different one. */
export const SANDBOX_HOST = 'sandboxhost';

// NSCONFORM_TEST_OBSERVER runs these tests against another build (e.g. the one before a fix) to see them fail.
const OBSERVER = process.env.NSCONFORM_TEST_OBSERVER ?? OBSERVER_BINARY;

const unshareWorks =
  process.getuid?.() === 0 &&
  spawnSync('unshare', ['--mount', '--uts', '--ipc', '--net', '--pid', '--fork', 'true']).status === 0;

/** ava's test, or a skip (with the reason logged once) where the sandbox cannot be made: it needs root and unshare(1). */
export const sandboxTest = unshareWorks ? test : test.skip;
if (!unshareWorks) console.log('guard tests skipped: they need root and unshare(1) to make a throw-away sandbox');

export interface SandboxOptions {
  /** Shell lines run in the sandbox before the observer starts ($D is the sandbox dir). */
  readonly setup?: string;
  /** Shell lines run in the sandbox after the observer quit; their output is `state`. */
  readonly inspect?: string;
  /** Extra unshare(1) options, e.g. a user namespace for a rootless-container run. */
  readonly unshare?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Runs the observer as this uid and gid (a non-root runner, whose cases are not contained); it owns the scratch dir. */
  readonly runAs?: number;
}

export interface Sandbox {
  /** The sandbox dir on the host (0700): victims outside the scratch dir live here. */
  readonly dir: string;
  readonly scratch: string;
  /** Runs one script in the sandbox's observer. */
  script(script: Script, timeoutMs?: number): Promise<ScriptRecord>;
}

export interface SandboxResult<T> {
  readonly value: T;
  /** What `inspect` printed after the observer quit. */
  readonly state: string;
}

export async function withSandbox<T>(
  options: SandboxOptions,
  fn: (sandbox: Sandbox) => Promise<T>,
): Promise<SandboxResult<T>> {
  return withDir(
    async ({ path: dir }) => {
      const scratch = join(dir, 'scratch');
      mkdirSync(scratch, { mode: 0o700 });
      if (options.runAs !== undefined) {
        chmodSync(dir, 0o711);
        chownSync(scratch, options.runAs, options.runAs);
      }
      const start =
        options.runAs === undefined
          ? '"$2"'
          : `setpriv --reuid=${options.runAs} --regid=${options.runAs} --clear-groups "$2"`;
      const inner = join(dir, 'inner.sh');
      writeFileSync(
        inner,
        [
          'D=$1',
          `hostname ${SANDBOX_HOST}`,
          'ip link set lo up',
          options.setup ?? '',
          start,
          'status=$?',
          `( ${options.inspect ?? 'true'} ) > "$D/state" 2>&1`,
          'exit $status',
        ].join('\n'),
      );
      const wrapper = join(dir, 'observer.sh');
      const env = Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${value}`);
      const unshare = [
        'unshare',
        ...(options.unshare ?? []),
        '--mount',
        '--uts',
        '--ipc',
        '--net',
        '--pid',
        '--fork',
        '--kill-child',
        '--mount-proc',
      ];
      writeFileSync(
        wrapper,
        `#!/bin/sh\nexec env ${env.join(' ')} ${unshare.join(' ')} /bin/sh ${inner} ${dir} ${OBSERVER}\n`,
      );
      chmodSync(wrapper, 0o700);
      const client = new ObserverClient(wrapper);
      let value: T;
      try {
        value = await fn({
          dir,
          scratch,
          script: (script, timeoutMs = 5000) => client.script({ drop: null, timeoutMs, scratch, lines: script.lines }),
        });
      } finally {
        await client.close();
      }
      let state: string;
      try {
        state = readFileSync(join(dir, 'state'), 'utf8');
      } catch {
        state = '(the sandbox did not survive to be inspected)';
      }
      return { value, state };
    },
    { unsafeCleanup: true, prefix: 'nsconform-guard-test-' },
  );
}

export interface SandboxRun {
  readonly run: ScriptRun;
  readonly record: ScriptRecord;
  readonly state: string;
  readonly dir: string;
}

/** Runs one script, built with the sandbox's paths, in a fresh sandbox: its steps, and the sandbox's state afterwards. */
export async function sandboxRun(
  build: (sandbox: Pick<Sandbox, 'dir' | 'scratch'>) => Script,
  options: SandboxOptions = {},
): Promise<SandboxRun> {
  let dir = '';
  const { value: record, state } = await withSandbox(options, (sandbox) => {
    dir = sandbox.dir;
    return sandbox.script(build(sandbox));
  });
  return { run: new ScriptRun(record), record, state, dir };
}
