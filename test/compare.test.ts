// nsconform compare: one row per case whose outcome differs across reports, identical rows folded, reasons as footnotes and hover text.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { withDir } from 'tmp-promise';
import { parseOptions } from '../harness/cli/args.ts';
import { UsageError } from '../harness/errors.ts';
import { buildKernelTable } from '../harness/diff/kernel-table.ts';
import { formatHtml, formatMarkdown } from '../harness/diff/kernel-table-format.ts';
import { readReport } from '../harness/diff/report-file.ts';

function report(kernel: string, cases: Array<[string, string, string?]>): string {
  return JSON.stringify({
    format: 'nsconform-results/1',
    environment: { 'kernel.release': kernel },
    cases: cases.map(([name, status, message]) => ({ classname: 'time.clone.root', name, status, ...(message ? { message } : {}) })),
  });
}

test('rows are the cases that differ on some kernel, one column per kernel, reasons as footnotes and on hover', async (t) => {
  await withDir(
    async ({ path }) => {
      const files = [
        ['a.json', report('5.10.0-32-amd64', [['time › same', 'pass'], ['time › offsets', 'fail', 'clone(…) failed with EINVAL'], ['time › skipped', 'skip', 'needs Linux ≥ 5.6']])],
        ['b.json', report('6.1.0-56-amd64', [['time › same', 'pass'], ['time › offsets', 'pass'], ['time › skipped', 'skip', 'needs Linux ≥ 5.6']])],
        ['c.json', report('7.2.13+deb14-amd64', [['time › same', 'pass'], ['time › offsets', 'fail', 'a <b> | c']])],
      ].map(([name, text]) => {
        writeFileSync(join(path, name as string), text as string);
        return join(path, name as string);
      });
      const table = buildKernelTable(files.map(readReport));
      t.deepEqual(table.columns, ['5.10.0-32-amd64', '6.1.0-56-amd64', '7.2.13+deb14-amd64']);
      t.deepEqual(table.rows.map((row) => row.key), ['time.clone.root › time › offsets', 'time.clone.root › time › skipped']);
      t.is(table.identical, 1);
      const markdown = formatMarkdown(table);
      t.true(markdown.includes('| time.clone.root › time › offsets | fail [1] | pass | fail [2] |'));
      t.true(markdown.includes('| time.clone.root › time › skipped | skip [3] | skip [3] | — |'), 'one footnote per distinct reason');
      t.true(markdown.includes('[2] a \\<b\\> \\| c'), 'Markdown table syntax in a reason is escaped');
      t.true(markdown.includes('2 cases differ; 1 cases have the same outcome on every kernel.'));
      const html = formatHtml(table);
      t.regex(html, /<td class="fail" title="a &#60;b&#62; \| c">fail<\/td>/);
      t.notRegex(html, /<script|<link|src=/, 'self-contained');
      await Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('compare needs at least one report and takes --html', (t) => {
  t.throws(() => parseOptions(['compare']), { instanceOf: UsageError, message: /compare takes one or more reports/ });
  const options = parseOptions(['compare', 'a.json', 'b.xml', 'c.json', '--html', 'out.html']);
  t.deepEqual(options.files, ['a.json', 'b.xml', 'c.json']);
  t.is(options.html, 'out.html');
});
