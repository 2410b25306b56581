// SECURITY.md's finding → fix → test table names tests that exist: a renamed or deleted test breaks this, not the table's word.
import test from 'ava';
import { readFileSync } from 'node:fs';

const ROOT = new URL('../', import.meta.url);

interface FindingRow {
  id: string;
  file: string;
  title: string;
}

/** The rows of the table whose header names "test file" and "test title". */
function findingRows(markdown: string): FindingRow[] {
  const lines = markdown.split('\n').filter((line) => line.startsWith('|'));
  const header = lines.findIndex((line) => line.includes('test file') && line.includes('test title'));
  if (header < 0) return [];
  return lines.slice(header + 2).map((line) => {
    const cells = line.split('|').map((cell) => cell.trim());
    // Cells: '' | id | finding | fix | test file | title | ''
    return { id: cells[1] ?? '', file: cells[4] ?? '', title: cells[5] ?? '' };
  });
}

/** Every test title in a test file: the first string argument of test(…), test.serial(…) and their modifiers. */
function testTitles(source: string): string[] {
  const titles: string[] = [];
  const start = /\btest(?:\.[a-z]+)*\(\s*(['"`])/g;
  for (let match = start.exec(source); match; match = start.exec(source)) {
    const quote = match[1];
    let end = start.lastIndex;
    while (end < source.length && source[end] !== quote) end += source[end] === '\\' ? 2 : 1;
    titles.push(source.slice(start.lastIndex, end));
  }
  return titles;
}

const rows = findingRows(readFileSync(new URL('SECURITY.md', ROOT), 'utf8'));

test('SECURITY.md lists every finding id group of the review, each row with a test file and a title', (t) => {
  t.true(rows.length >= 50, `${rows.length} rows`);
  const groups = new Set(rows.map((row) => row.id.replace(/\d+$/, '')));
  t.deepEqual([...groups].sort(), ['C', 'G', 'K', 'L', 'M', 'N', 'P']);
  for (const row of rows) t.regex(row.file, /^[a-z0-9-]+\.test\.ts$/, row.id);
});

test('every test SECURITY.md names exists under that title in that file', (t) => {
  const missing = rows.filter((row) => {
    const titles = testTitles(readFileSync(new URL(`test/${row.file}`, ROOT), 'utf8'));
    return !titles.some((title) => title.includes(row.title));
  });
  t.deepEqual(
    missing.map((row) => `${row.id} ${row.file}: ${row.title}`),
    [],
  );
});

test('the title finder sees test(), test.serial() and template titles, and nothing outside them', (t) => {
  const source = [
    "test('plain one', (t) => {});",
    'test.serial(\n  `template ${x} two`,',
    'notatest("three");',
    'test.serial.skip("four", () => {});',
  ].join('\n');
  t.deepEqual(testTitles(source), ['plain one', 'template ${x} two', 'four']);
});
