// scripts/vm-repeat.ts: N boots of one kernel, verdicts compared case by case — with a stand-in qemu whose second boot flakes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { isStaticElf } from '../harness/vm/elf.ts';
import { BUSYBOX, findTool } from '../harness/vm/tools.ts';
import { RELEASE, fakeImage, fakeQemu } from './fake-qemu.ts';

const SCRIPT = fileURLToPath(new URL('../scripts/vm-repeat.ts', import.meta.url));

/** Both runs' reports: one steady case, and one that fails on the boot numbered `flakyBoot`. */
const guest = (
  flakyBoot: number,
): string => `n=$(cat "$FAKE_COUNTER" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$FAKE_COUNTER"
status=pass; [ $n = ${flakyBoot} ] && status=fail
for run in root user; do
  printf '{"format":"nsconform-results/1","environment":{"kernel.release":"${RELEASE}"},"cases":[{"classname":"a","name":"steady","status":"pass"},{"classname":"a","name":"flaky","status":"%s","message":"flaked"}]}' $status > "$out/$run.json"
  echo 0 > "$out/$run.status"
done
echo 0 > "$out/taint.before"; echo 0 > "$out/taint.after"; : > "$out/dmesg.run"
echo "nsconform-vm: root run exit 0, unprivileged runner exit 0"`;

function repeat(path: string, flakyBoot: number): { status: number | null; stdout: string } {
  const bin = join(path, 'bin');
  mkdirSync(bin, { recursive: true });
  fakeQemu(bin, guest(flakyBoot));
  writeFileSync(join(path, 'vmlinuz'), fakeImage());
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    FAKE_COUNTER: join(path, `count-${flakyBoot}`),
  };
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      SCRIPT,
      '--kernel',
      join(path, 'vmlinuz'),
      '--runs',
      '3',
      '--out',
      join(path, `out-${flakyBoot}`),
    ],
    { env, encoding: 'utf8', timeout: 180000 },
  );
  return { status: run.status, stdout: run.stdout };
}

const canRun = (() => {
  try {
    return isStaticElf(findTool(BUSYBOX));
  } catch {
    return false;
  }
})();

(canRun ? test.serial : test.skip)(
  'vm-repeat names the case whose verdict differs between boots, with the runs of each verdict, and exits 1; identical boots exit 0',
  async (t) => {
    await withDir(
      async ({ path }) => {
        const flaky = repeat(path, 2);
        t.is(flaky.status, 1, flaky.stdout);
        t.regex(flaky.stdout, /^run 2: exit 0; root 1 pass, 1 fail, 0 skip, 0 error; user 1 pass, 1 fail/m);
        t.regex(flaky.stdout, /differs: root › a › flaky\n {4}runs 1,3: pass\n {4}runs 2: fail — flaked/);
        t.notRegex(flaky.stdout, /differs: \w+ › a › steady/);
        const steady = repeat(path, 0);
        t.is(steady.status, 0, steady.stdout);
        t.regex(steady.stdout, /vm-repeat: 3 identical verdicts over 4 cases/);
        await Promise.resolve();
      },
      { unsafeCleanup: true },
    );
  },
);
