// Writes spec/COVERAGE.md (checklist ids × the claims citing them × the kernel of their recorded runs) and prints the per-area counts.
// Usage: node --import tsx scripts/spec-coverage.ts [--check]   (--check: exit 1 if the committed table is not current, write nothing)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { COVERAGE_PATH, currentCoverage } from '../harness/spec/coverage.ts';
import { ChecklistError } from '../harness/spec/blocks.ts';
import { loadSuites } from '../suites/registry.ts';

const { suites: SUITES } = await loadSuites();

const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((arg) => arg !== '--check');
if (unknown.length) {
  process.stderr.write(
    `spec-coverage: unknown argument ${JSON.stringify(unknown[0])} (usage: spec-coverage [--check])\n`,
  );
  process.exit(2);
}
let table: string;
try {
  table = currentCoverage(
    SUITES.flatMap((suite) => suite.groups().flatMap((group) => group.cases.map(({ info }) => info))),
  );
} catch (error) {
  if (!(error instanceof ChecklistError)) throw error;
  process.stderr.write(`spec-coverage: ${error.message}\n`);
  process.exit(2);
}
if (check) {
  const current = existsSync(COVERAGE_PATH) && readFileSync(COVERAGE_PATH, 'utf8') === table;
  process.stdout.write(
    current ? 'spec/COVERAGE.md is current\n' : 'spec/COVERAGE.md is out of date: run npm run coverage\n',
  );
  process.exit(current ? 0 : 1);
}
writeFileSync(COVERAGE_PATH, table);
// The summary rows of the table, for the terminal.
const lines = table.split('\n');
const first = lines.findIndex((line) => line.startsWith('| Area'));
const last = lines.findIndex((line) => line.includes('**Total**'));
process.stdout.write(`${lines.slice(first, last + 1).join('\n')}\nwrote ${COVERAGE_PATH}\n`);
