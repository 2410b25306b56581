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
    cases: cases.map(([name, status, message]) => ({
      classname: 'time.clone.root',
      name,
      status,
      ...(message ? { message } : {}),
    })),
  });
}

test('rows are the cases that differ on some kernel, one column per kernel, reasons as footnotes and on hover', async (t) => {
  await withDir(
    async ({ path }) => {
      const files = [
        [
          'a.json',
          report('5.10.0-32-amd64', [
            ['time › same', 'pass'],
            ['time › offsets', 'fail', 'clone(…) failed with EINVAL'],
            ['time › skipped', 'skip', 'needs Linux ≥ 5.6'],
          ]),
        ],
        [
          'b.json',
          report('6.1.0-56-amd64', [
            ['time › same', 'pass'],
            ['time › offsets', 'pass'],
            ['time › skipped', 'skip', 'needs Linux ≥ 5.6'],
          ]),
        ],
        [
          'c.json',
          report('7.2.13+deb14-amd64', [
            ['time › same', 'pass'],
            ['time › offsets', 'fail', 'a <b> | c'],
          ]),
        ],
      ].map(([name, text]) => {
        writeFileSync(join(path, name as string), text as string);
        return join(path, name as string);
      });
      const table = buildKernelTable(files.map(readReport));
      t.deepEqual(table.columns, ['5.10.0-32-amd64', '6.1.0-56-amd64', '7.2.13+deb14-amd64']);
      t.deepEqual(
        table.rows.map((row) => row.key),
        ['time.clone.root › time › offsets', 'time.clone.root › time › skipped'],
      );
      t.is(table.identical, 1);
      const markdown = formatMarkdown(table);
      t.true(markdown.includes('| time.clone.root › time › offsets | fail [1] | pass | fail [2] |'));
      t.true(
        markdown.includes('| time.clone.root › time › skipped | skip [3] | skip [3] | — |'),
        'one footnote per distinct reason',
      );
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

test('skips behind one verdict (a flag set the path cannot create) are counted apart; the deciding case stays a row', async (t) => {
  await withDir(
    async ({ path }) => {
      const behind =
        'clone() with CLONE_NEWTIME failed with EINVAL: this path cannot create the flag set on this kernel (spec D14) — judged once, by this flag set\'s case "time"';
      const files = [
        [
          'a.json',
          report('6.1.0-56-amd64', [
            ['time › decides', 'pass'],
            ['time › sibling 1', 'pass'],
            ['time › sibling 2', 'pass'],
            ['time › other', 'pass'],
          ]),
        ],
        [
          'b.json',
          report('7.2.13+deb14-amd64', [
            ['time › decides', 'fail', 'refused with EINVAL'],
            ['time › sibling 1', 'skip', behind],
            ['time › sibling 2', 'skip', behind],
            ['time › other', 'fail', 'changed'],
          ]),
        ],
        [
          'c.json',
          report('6.18.44', [
            ['time › decides', 'pass'],
            ['time › sibling 1', 'pass'],
            ['time › sibling 2', 'fail', 'broken too'],
            ['time › other', 'pass'],
          ]),
        ],
      ].map(([name, text]) => {
        writeFileSync(join(path, name as string), text as string);
        return join(path, name as string);
      });
      const table = buildKernelTable(files.map(readReport));
      // sibling 2 also fails on another kernel: a finding of its own, so it stays a row.
      t.deepEqual(
        table.rows.map((row) => row.key),
        ['time.clone.root › time › decides', 'time.clone.root › time › sibling 2', 'time.clone.root › time › other'],
      );
      t.deepEqual(table.behindVerdicts, [{ column: 1, reason: behind, count: 1 }]);
      const markdown = formatMarkdown(table);
      t.true(markdown.includes('3 cases differ; 0 cases have the same outcome on every kernel.'));
      t.true(markdown.includes('1 more cases differ only by skipping behind one verdict'));
      t.true(markdown.includes('- 7.2.13+deb14-amd64: 1 × skip: clone() with CLONE\\_NEWTIME failed with EINVAL'));
      t.regex(formatHtml(table), /<li>7\.2\.13\+deb14-amd64: 1 × skip: clone\(\) with CLONE_NEWTIME/);
      await Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});

test('cases of one claim, path and mode that changed alike on every kernel are one row naming their flag sets; a set that changed otherwise keeps its own', async (t) => {
  await withDir(
    async ({ path }) => {
      const claim = (set: string): string => `matrix › ${set} › CLONE_NEWTIME makes no time namespace [clone, root]`;
      const cases = (variant: string, odd: string): string =>
        JSON.stringify({
          format: 'nsconform-results/1',
          environment: { 'kernel.release': variant },
          cases: [
            { id: claim('time'), classname: 'c', name: 'a', status: 'pass', variant },
            { id: claim('pid+time'), classname: 'c', name: 'b', status: 'pass', variant },
            {
              id: claim('net+time'),
              classname: 'c',
              name: 'c',
              status: odd === 'fail' ? 'fail' : 'pass',
              ...(odd === 'fail' ? { message: 'broke' } : { variant }),
            },
          ],
        });
      writeFileSync(join(path, 'a.json'), cases('D9', 'pass'));
      writeFileSync(join(path, 'b.json'), cases('D14', 'fail'));
      const table = buildKernelTable([readReport(join(path, 'a.json')), readReport(join(path, 'b.json'))]);
      t.deepEqual(
        table.rows.map((row) => [row.key, row.flagSets]),
        [
          ['matrix › 2 flag sets › CLONE_NEWTIME makes no time namespace [clone, root]', ['time', 'pid+time']],
          [claim('net+time'), ['net+time']],
        ],
      );
      const markdown = formatMarkdown(table);
      t.true(
        markdown.includes(
          '| matrix › 2 flag sets › CLONE\\_NEWTIME makes no time namespace [clone, root] (time, pid+time) | pass: D9 | pass: D14 |',
        ),
        markdown,
      );
      t.true(markdown.includes('3 cases differ (2 rows: a row holds the flag sets that differ alike)'));
      t.regex(formatHtml(table), /<td title="time pid\+time">matrix › 2 flag sets ›/);
      await Promise.resolve();
    },
    { unsafeCleanup: true },
  );
});
