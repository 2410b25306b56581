// Prints, per spec area, how many checklist ids the suites' claims cite, and which are not cited.
// Usage: node --import tsx scripts/spec-coverage.ts [path/to/namespaces.md] [AREA...]
import { existsSync, readFileSync } from 'node:fs';
import { SUITES } from '../suites/index.ts';

const args = process.argv.slice(2);
const specPath = args.find((arg) => arg.endsWith('.md')) ?? new URL('../../shared/spec/namespaces.md', import.meta.url).pathname;
const areas = new Set(args.filter((arg) => !arg.endsWith('.md')));
if (!existsSync(specPath)) {
  process.stderr.write(`spec-coverage: no checklist at ${specPath}\n`);
  process.exit(2);
}
const specIds = [...new Set([...readFileSync(specPath, 'utf8').matchAll(/\*\*([A-Z]+-\d\d)\*\*/g)].map((match) => match[1]!))];
const cited = new Set(SUITES.flatMap((suite) => suite.groups().flatMap((group) => group.cases.flatMap(({ info }) => info.specIds))));
const byArea = new Map<string, string[]>();
for (const id of specIds) {
  const area = id.replace(/-\d+$/, '');
  if (areas.size && !areas.has(area)) continue;
  byArea.set(area, [...(byArea.get(area) ?? []), id]);
}
let total = 0, covered = 0;
for (const [area, ids] of byArea) {
  const missing = ids.filter((id) => !cited.has(id));
  total += ids.length;
  covered += ids.length - missing.length;
  console.log(`${area.padEnd(6)} ${String(ids.length - missing.length).padStart(3)}/${String(ids.length).padEnd(3)} ${missing.length ? `missing: ${missing.join(' ')}` : ''}`);
}
console.log(`total  ${covered}/${total} (${((100 * covered) / total).toFixed(1)} %)`);
