// SIGINT, SIGTERM (a cancelled CI job) and SIGHUP (a closed terminal) each stop a run the same way, with 128 + n.
import { spawn } from 'node:child_process';
import test from 'ava';

const INTERRUPT = new URL('../harness/run/interrupt.ts', import.meta.url).href;
// A process of its own: ava's workers are threads, which never see a signal sent to the process.
const PROGRAM = `
import { catchInterrupts, exitCodeForSignal } from ${JSON.stringify(INTERRUPT)};
const interrupt = catchInterrupts();
const keep = setInterval(() => {}, 1000);
process.stdout.write('ready\\n');
const name = await interrupt.signal;
interrupt.dispose();
clearInterval(keep);
process.stdout.write(name + ' ' + interrupt.received() + ' ' + exitCodeForSignal(name) + '\\n');
`;

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test(`${signal} asks the run to stop and report what ran (exit ${code}), instead of killing Node`, async (t) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PROGRAM], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exit = new Promise<[number | null, string | null]>((resolve) =>
      child.on('exit', (status, by) => resolve([status, by])),
    );
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out === 'ready\n') child.kill(signal);
    });
    t.deepEqual(await exit, [0, null], `the signal killed it instead: ${err}`);
    t.is(out, `ready\n${signal} ${signal} ${code}\n`);
    t.regex(err, new RegExp(`${signal}: stopping; cleaning up and writing the reports with the cases that ran`));
  });
}
