// Dumps every case's info and needs, and every spec claim's script and checks for both modes, one file per suite: diff two dumps to prove a refactor changes no verdict.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEnvironment } from '../test/fixtures/environment.ts';
import { identityOf } from '../harness/script/spec-claim.ts';
import { loadSuites } from '../suites/registry.ts';

const { suites: SUITES, specSuites: SPEC_SUITES } = await loadSuites();

/** JSON with regular expressions (check patterns and picks) written out rather than dropped as {}. */
const text = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v instanceof RegExp ? `/${v.source}/${v.flags}` : v), 2);

function attempt(what: () => unknown): unknown {
  try {
    return what();
  } catch (error) {
    return { threw: (error as Error).message };
  }
}

/** Names made per run (cgroups named after the pid and a random suffix) written the same in every dump. */
const stable = (dump: string): string =>
  dump.replaceAll(`-${process.pid}-`, '-PID-').replace(/(nsconform-setns-PID-)[0-9a-f]{8}/g, '$1RANDOM');

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node --import tsx scripts/dump-claims.ts <output dir>\n');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const env = makeEnvironment();
const modes = ['root', 'unprivileged'] as const;

for (const suite of SUITES) {
  const cases = suite.groups().flatMap((group) =>
    group.cases.map((judged) => ({
      group: group.key,
      info: judged.info,
      needsFor: judged.needsFor ? attempt(() => judged.needsFor!(env)) : null,
    })),
  );
  writeFileSync(join(dir, `${suite.name}.cases.json`), `${text(cases)}\n`);
}

for (const suite of SPEC_SUITES) {
  const lines: string[] = [];
  for (const claim of suite.claims) {
    for (const mode of modes) {
      const who = identityOf(mode, { env });
      lines.push(`## ${claim.key} [${mode}]`);
      const script = attempt(() => claim.script(who, env));
      if (script && typeof script === 'object' && 'lines' in script) {
        lines.push(...(script as { lines: readonly string[] }).lines);
        const s = script as unknown as {
          calls: Set<string>;
          createdKinds: Set<string>;
          createsUserUnprivileged: boolean;
          outerIds: Record<string, Set<number>>;
        };
        lines.push(
          `calls ${[...s.calls].join(',')} kinds ${[...s.createdKinds].join(',')} unprivilegedUser ${s.createsUserUnprivileged}`,
        );
        lines.push(`outerIds ${text(Object.fromEntries(Object.entries(s.outerIds).map(([k, v]) => [k, [...v]])))}`);
      } else lines.push(text(script));
      lines.push(`checks ${text(attempt(() => claim.checks(who)))}`);
      for (const variant of claim.variants ?? [])
        lines.push(`variant ${text({ ...variant, checks: attempt(() => variant.checks(who)) })}`);
    }
  }
  for (const claim of suite.harnessClaims) lines.push(`## harness ${claim.key}`, `checks ${text(claim.checks())}`);
  writeFileSync(join(dir, `${suite.name}.scripts.txt`), `${stable(lines.join('\n'))}\n`);
}
