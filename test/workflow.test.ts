// The GitHub workflow: check-run permission, unique check names, current action majors, timeouts, Node 20/22/24.
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
const CURRENT_MAJOR: Readonly<Record<string, number>> = { 'actions/checkout': 6, 'actions/setup-node': 6, 'actions/upload-artifact': 6, 'mikepenz/action-junit-report': 6, 'actions/download-artifact': 6 };

test('the workflow may create check runs and reads nothing else it does not need', (t) => {
  t.regex(WORKFLOW, /^permissions:\n {2}contents: read\n {2}checks: write\n/m);
});

test('every job has a timeout, and every JUnit check a name of its own', (t) => {
  const all = jobs();
  t.deepEqual([...all.keys()], ['checks', 'conformance', 'kernels', 'kernel-table']);
  for (const [name, job] of all) t.regex(job, /\n {4}timeout-minutes: \d+\n/, `${name} has timeout-minutes`);
  const checkNames = [...WORKFLOW.matchAll(/check_name: (.+)/g)].map((match) => match[1]);
  t.is(checkNames.length, (WORKFLOW.match(/mikepenz\/action-junit-report@/g) ?? []).length, 'every JUnit action names its check');
  t.is(new Set(checkNames).size, checkNames.length);
});

test('actions run on their current majors', (t) => {
  const uses = [...WORKFLOW.matchAll(/uses: ([\w-]+\/[\w-]+)@v(\d+)/g)];
  t.true(uses.length >= 8);
  for (const [, action, major] of uses) t.true(Number(major) >= (CURRENT_MAJOR[action!] ?? Infinity), `${action}@v${major}`);
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
