// A test process that dies (ava's SIGTERM at its timeout, a SIGKILL) leaves nothing its helpers made on the host: its janitor removes it.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import test from 'ava';
import { isRunning } from '../harness/host/processes.ts';
import { readIpcObjects, removeIpcObject } from '../harness/host/sysv-ipc.ts';
import { processTree, sleep } from './kill-probe.ts';

const PROGRAM = new URL('./fixtures/journaled-helpers.ts', import.meta.url).pathname;
// The janitor gives the dead process up to 2 s to leave /proc, then cleans.
const BOUND_MS = 5000;

interface Made {
  readonly dir: string;
  readonly queue: number;
}

function leftOf(made: Made, tree: ReturnType<typeof processTree>): string[] {
  return [
    ...tree.filter((proc) => isRunning(proc.pid, proc.start)).map((proc) => `process ${proc.pid}`),
    ...(existsSync(made.dir) ? [`directory ${made.dir}`] : []),
    ...(readIpcObjects('msg') ?? []).filter((object) => object.id === made.queue).map(() => `queue ${made.queue}`),
  ];
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test.serial(
    `${signal} of a test process: its scratch dir, SysV queue and the CLI run it started are gone within ${BOUND_MS / 1000} s`,
    async (t) => {
      const helper = spawn(process.execPath, ['--import', 'tsx', PROGRAM], { stdio: ['ignore', 'pipe', 'pipe'] });
      helper.stderr.resume();
      const [line] = (await once(createInterface({ input: helper.stdout }), 'line')) as [string];
      const made = JSON.parse(line) as Made;
      // The CLI run's process (a sleep behind runCli's prefix) and the janitor, below the helper.
      let tree = processTree(helper.pid!);
      for (let waited = 0; tree.length < 3 && waited < 5000; waited += 20) {
        await sleep(20);
        tree = processTree(helper.pid!);
      }
      t.true(tree.length >= 3, `the helper started its CLI run and janitor (${tree.length} processes)`);
      const started = performance.now();
      helper.kill(signal);
      let left = leftOf(made, tree);
      while (left.length > 0 && performance.now() - started < BOUND_MS) {
        await sleep(50);
        left = leftOf(made, tree);
      }
      t.log(`${left.length ? 'left' : 'all gone'} after ${Math.round(performance.now() - started)} ms`);
      try {
        t.deepEqual(left, []);
      } finally {
        for (const proc of tree) if (isRunning(proc.pid, proc.start)) process.kill(proc.pid, 'SIGKILL');
        rmSync(made.dir, { recursive: true, force: true });
        removeIpcObject('msg', made.queue);
      }
    },
  );
}
