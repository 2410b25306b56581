// The GitHub workflow: check-run permission, unique check names, current action majors, timeouts, Node 20/22/24, the kernel matrix and its table.
import { readFileSync } from 'node:fs';
import test from 'ava';

const WORKFLOW = readFileSync(new URL('../.github/workflows/ci.yml', import.meta.url), 'utf8');

/** Each job's lines, by its key under "jobs:". */
function jobs(): Map<string, string> {
  const body = WORKFLOW.slice(WORKFLOW.indexOf('\njobs:\n') + 7);
  const parts = body.split(/^ {2}(?=[a-z][\w-]*:\n)/m).filter(Boolean);
  return new Map(parts.map((part) => [part.slice(0, part.indexOf(':')), part]));
}

/** The oldest major each action may use: the first to run on Node 24. */
const CURRENT_MAJOR: Readonly<Record<string, number>> = {
  'actions/checkout': 6,
  'actions/setup-node': 6,
  'actions/upload-artifact': 6,
  'mikepenz/action-junit-report': 6,
  'actions/download-artifact': 6,
};

test('the workflow may create check runs and reads nothing else it does not need', (t) => {
  t.regex(WORKFLOW, /^permissions:\n {2}contents: read\n {2}checks: write\n/m);
});

test('every job has a timeout, and every JUnit check a name of its own', (t) => {
  const all = jobs();
  t.deepEqual([...all.keys()], ['checks', 'conformance', 'kernels', 'kernel-table']);
  for (const [name, job] of all) t.regex(job, /\n {4}timeout-minutes: \d+\n/, `${name} has timeout-minutes`);
  const checkNames = [...WORKFLOW.matchAll(/check_name: (.+)/g)].map((match) => match[1]);
  t.is(
    checkNames.length,
    (WORKFLOW.match(/mikepenz\/action-junit-report@/g) ?? []).length,
    'every JUnit action names its check',
  );
  t.is(new Set(checkNames).size, checkNames.length);
});

test('actions run on their current majors', (t) => {
  const uses = [...WORKFLOW.matchAll(/uses: ([\w-]+\/[\w-]+)@v(\d+)/g)];
  t.true(uses.length >= 8);
  for (const [, action, major] of uses)
    t.true(Number(major) >= (CURRENT_MAJOR[action!] ?? Infinity), `${action}@v${major}`);
});

test('the checks job runs on Node 20, 22 and 24; the conformance job uploads HTML and KTAP', (t) => {
  const all = jobs();
  t.regex(all.get('checks') ?? '', /node: \[20, 22, 24\]/);
  t.regex(all.get('checks') ?? '', /node-version: \$\{\{ matrix\.node \}\}/);
  const conformance = all.get('conformance') ?? '';
  t.regex(conformance, /--ktap reports\/root\.ktap\.txt/);
  t.regex(conformance, /reports\/\*\.html\n/);
  t.regex(conformance, /reports\/\*\.ktap\.txt\n/);
  t.regex(conformance, /--preserve-env=PATH,GITHUB_STEP_SUMMARY/, 'the root run can write the step summary');
});

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  if?: string;
  strategy?: { matrix?: { include?: Array<Record<string, string>> } };
  steps: Step[];
}

test('the kernel matrix (parsed YAML) boots bullseye 5.10, bookworm 6.1, trixie 6.12 generic and cloud and sid, with KVM where /dev/kvm exists, else tcg', async (t) => {
  const { parse } = await import('yaml');
  const workflow = parse(WORKFLOW) as { jobs: Record<string, Job> };
  const kernels = workflow.jobs.kernels;
  if (!kernels) return t.fail('no kernels job');
  const include = kernels.strategy?.matrix?.include ?? [];
  // The patterns go to apt-cache search (POSIX extended regexes); these use nothing JavaScript reads differently.
  const matches = (dist: string, flavour: string, name: string): boolean =>
    new RegExp(include.find((entry) => entry.dist === dist && entry.flavour === flavour)?.pattern ?? '^$').test(name);
  t.true(matches('bullseye', 'generic', 'linux-image-5.10.0-32-amd64'));
  t.true(matches('bookworm', 'generic', 'linux-image-6.1.0-56-amd64'));
  t.true(matches('trixie', 'generic', 'linux-image-6.12.117+deb13-amd64'));
  t.false(
    matches('trixie', 'generic', 'linux-image-6.12.117+deb13-cloud-amd64'),
    'the generic pattern does not take the cloud flavour',
  );
  t.true(matches('trixie', 'cloud', 'linux-image-6.12.117+deb13-cloud-amd64'));
  t.true(matches('sid', 'generic', 'linux-image-7.2.13+deb14-amd64'));
  t.false(matches('sid', 'generic', 'linux-image-amd64'), 'a versioned image, not the metapackage');
  const runs = kernels.steps.map((step) => step.run ?? '').join('\n');
  t.regex(
    runs,
    /if \[ -c \/dev\/kvm \]; then[\s\S]*udevadm trigger --name-match=kvm[\s\S]*else[\s\S]*tcg/,
    'KVM opened where the runner has it, tcg said otherwise',
  );
  t.regex(runs, /linux-\\\(binary\\\|modules\\\)/, 'split packages (sid) are fetched with the image');
  t.regex(runs, /bin\/nsconform\.js vm --kernel kernel\/linux-image-\*\.deb/);
  const table = workflow.jobs['kernel-table'];
  if (!table) return t.fail('no kernel-table job');
  t.is(table.needs, 'kernels');
  t.is(table.if, 'always()', 'the table is written even when a kernel failed');
  const compare = table.steps.find((step) => /nsconform\.js compare/.test(step.run ?? ''))?.run ?? '';
  t.regex(
    compare,
    /compare kernels\/\*\/\*\/root\.junit\.xml .*>> "\$GITHUB_STEP_SUMMARY"/,
    'the compare table goes to the job summary',
  );
  const download = table.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'));
  t.is(download?.with?.pattern, 'nsconform-*-*');
  t.true(
    kernels.steps.some(
      (step) =>
        step.uses?.startsWith('actions/upload-artifact@') &&
        step.with?.name === 'nsconform-${{ matrix.dist }}-${{ matrix.flavour }}',
    ),
    'each kernel uploads what the table downloads',
  );
});
