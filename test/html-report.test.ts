// The HTML report: rendered from hand-made results, then opened in headless Chromium with no console error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import type { CaseResult } from '../harness/case.ts';
import { describeEnvironment } from '../harness/env/environment.ts';
import { allFlagSets } from '../harness/flag-set.ts';
import { renderHtml, type HtmlInput } from '../harness/report/html/render.ts';
import { makeEnvironment } from './fixtures/environment.ts';
import { makeInfo } from './fixtures/cases.ts';
import { CHROMIUM, hasChromium, withPage } from './fixtures/chromium.ts';

const REPORTS = new URL('../reports/', import.meta.url).pathname;

/** The pid claim over all 256 sets on clone3/root: sets with time fail with one cause, one errors, one skips. */
function matrixResults(): CaseResult[] {
  return allFlagSets().map((set) => {
    const info = makeInfo(set.name, {
      id: `matrix › ${set.name} › pid claim [clone3, root]`,
      suite: 'matrix',
      claim: 'pid claim',
      properties: { flagSet: set.name, path: 'clone3', mode: 'root' },
    });
    if (set.name === 'uts')
      return { info, outcome: { status: 'error', durationMs: 1, message: 'observer <died> & "left"' } };
    if (set.name === 'ipc') return { info, outcome: { status: 'skip', reason: 'needs CONFIG_IPC_NS' } };
    if (set.name.includes('time'))
      return {
        info,
        outcome: {
          status: 'fail',
          durationMs: 1,
          message: `pid claim — expected the child; got clone3 failed with EINVAL (pid ${set.index})`,
          expected: 'the child',
          actual: 'EINVAL',
        },
      };
    return { info, outcome: { status: 'pass', durationMs: 1 } };
  });
}

function input(results: CaseResult[]): HtmlInput {
  return {
    environment: describeEnvironment(makeEnvironment()),
    run: { 'run.modes': 'root', 'run.paths': 'clone3' },
    results,
    durationMs: 1234,
    startedAt: new Date('2026-12-02T05:00:00Z'),
    familyOf: (result) => (result.info.suite === 'matrix' ? 'pid' : null),
  };
}

test('the page puts failures first, grouped by cause, with suite bars and a 16 × 16 grid per claim, path and mode', (t) => {
  const html = renderHtml(
    input([...matrixResults(), { info: makeInfo('other'), outcome: { status: 'pass', durationMs: 1 } }]),
  );
  t.regex(html, /^<!DOCTYPE html>/);
  t.notRegex(html, /https?:\/\/|<script|<link/, 'self-contained: nothing to fetch, nothing to run');
  t.true(
    html.indexOf('id="failures"') < html.indexOf('id="suites"') &&
      html.indexOf('id="suites"') < html.indexOf('id="matrix"'),
  );
  t.regex(html, /Failures: 129 cases from 2 causes/);
  t.regex(html, /<td class="count">128×<\/td><td class="status-fail">fail<\/td>/);
  t.regex(html, /observer &lt;died&gt; &amp; &quot;left&quot;/, 'messages are escaped');
  const grid = /<div class="grid"[^>]*>(.*?)<\/div>/.exec(html)?.[1] ?? '';
  t.is((grid.match(/<i /g) ?? []).length, 256);
  t.is((grid.match(/class="fail"/g) ?? []).length, 128);
  t.regex(grid, /title="pid\+time \[clone3, root\]: fail — pid claim/);
  t.regex(html, /6\.18\.0-fixture/);
  t.regex(html, /probe\.clone3/);
});

test('headless Chromium renders the report with no console error and no request beyond the page', async (t) => {
  if (!hasChromium()) {
    t.log(`skipped: ${CHROMIUM} is absent (apt-get install chromium; .ci/run installs it; or set CHROMIUM_PATH)`);
    t.pass();
    return;
  }
  await withDir(
    async ({ path }) => {
      const file = join(path, 'report.html');
      writeFileSync(file, renderHtml(input(matrixResults())));
      mkdirSync(REPORTS, { recursive: true });
      const seen = await withPage(file, join(REPORTS, 'report-e2e.png'), async (page) => {
        const facts = await page.evaluate<{
          cells: number;
          failRows: number;
          gridWidth: number;
          firstHeading: string;
        }>(`({
          cells: document.querySelectorAll('.grid i').length,
          failRows: document.querySelectorAll('#failures ~ table tbody tr').length,
          gridWidth: document.querySelector('.grid')?.getBoundingClientRect().width ?? 0,
          firstHeading: document.querySelector('main h2')?.textContent ?? '',
        })`);
        return { ...facts, errors: [...page.consoleErrors], requests: [...page.requests] };
      });
      t.deepEqual(seen.errors, []);
      t.deepEqual(
        seen.requests.filter((url) => !url.startsWith('file://')),
        [],
      );
      t.is(seen.cells, 256);
      t.is(seen.failRows, 2);
      t.true(seen.gridWidth > 100, `the grid is drawn (${seen.gridWidth}px wide)`);
      t.regex(seen.firstHeading, /^Failures/);
    },
    { unsafeCleanup: true },
  );
});
