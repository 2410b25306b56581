// Reading a finished run back from its JUnit or JSON report, as case id → outcome; truncated or foreign files are refused.
import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { UsageError } from '../errors.ts';
import { VARIANT_PREFIX } from '../script/variants.ts';
import { OUTCOME_STATUSES, type OutcomeStatus } from '../case.ts';

export interface ReportedCase {
  readonly status: OutcomeStatus;
  /** Failure or error message, or the skip reason. */
  readonly detail: string;
  /** The known variant a pass showed (harness/script/variants.ts). */
  readonly variant?: string;
}

export interface ReportedRun {
  readonly path: string;
  readonly kernel: string;
  /** Keyed by case id ("suite › flag set › claim [path, mode]"), unique and stable across runs. */
  readonly cases: ReadonlyMap<string, ReportedCase>;
}

type Attrs = Record<string, unknown>;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const node = value as Attrs;
    if (typeof node.message === 'string') return node.message;
    if (typeof node['#text'] === 'string') return node['#text'];
  }
  return '';
}

function statusOfTestcase(testcase: Attrs): ReportedCase {
  if (testcase.failure !== undefined) return { status: 'fail', detail: text(testcase.failure) };
  if (testcase.error !== undefined) return { status: 'error', detail: text(testcase.error) };
  if (testcase.skipped !== undefined) return { status: 'skip', detail: text(testcase.skipped) };
  const out = text(testcase['system-out']);
  return out.startsWith(VARIANT_PREFIX)
    ? { status: 'pass', detail: '', variant: out.slice(VARIANT_PREFIX.length).trim() }
    : { status: 'pass', detail: '' };
}

function readJunit(path: string, source: string): ReportedRun {
  const valid = XMLValidator.validate(source);
  if (valid !== true)
    throw new UsageError(`${path}: not well-formed XML (line ${valid.err.line}: ${valid.err.msg}); truncated?`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  });
  const document = parser.parse(source) as { testsuites?: Attrs & { testsuite?: Attrs[] }; testsuite?: Attrs[] };
  const suites = document.testsuites?.testsuite ?? document.testsuite;
  if (!suites) throw new UsageError(`${path}: no <testsuite> in this file; not a JUnit report`);
  const cases = new Map<string, ReportedCase>();
  let kernel: string | null = null;
  for (const suite of suites) {
    const properties = ((suite.properties as Attrs | undefined)?.property as Attrs[] | undefined) ?? [];
    const release = properties.find((property) => property.name === 'kernel.release')?.value;
    if (typeof release === 'string') kernel = release;
    const testcases = (suite.testcase as Attrs[] | undefined) ?? [];
    if (suite.tests !== undefined && Number(suite.tests) !== testcases.length) {
      throw new UsageError(
        `${path}: suite ${String(suite.name)} says tests="${Number(suite.tests)}" but holds ${testcases.length} cases; truncated or edited`,
      );
    }
    for (const testcase of testcases)
      cases.set(`${String(suite.name)} › ${String(testcase.name)}`, statusOfTestcase(testcase));
  }
  if (document.testsuites?.name !== 'nsconform' && kernel === null)
    throw new UsageError(`${path}: a JUnit file, but not one nsconform wrote (no kernel.release property)`);
  return { path, kernel: kernel ?? 'unknown kernel', cases };
}

/** A case as the JSON reporter writes it (harness/report/json.ts); reports of older versions lack some fields. */
export interface JsonCase {
  id?: string;
  suite?: string;
  classname: string;
  name: string;
  claim?: string;
  specIds?: string[];
  manPage?: string;
  properties?: Record<string, string>;
  status: OutcomeStatus;
  durationMs?: number;
  message?: string;
  expected?: string;
  actual?: string;
  reason?: string;
  variant?: string;
  flaky?: boolean;
}
export interface JsonDocument {
  format?: string;
  run?: Record<string, string>;
  started?: string;
  environment?: Record<string, string>;
  summary?: { totals?: Record<OutcomeStatus, number> } | null;
  cases: JsonCase[];
}

/** The JSON report, refused when it is not one nsconform wrote or its summary does not count its cases. */
export function parseJsonReport(path: string, source: string): JsonDocument {
  let document: JsonDocument;
  try {
    document = JSON.parse(source) as JsonDocument;
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message}); truncated?`);
  }
  if (!document?.format?.startsWith('nsconform-results/') || !Array.isArray(document.cases)) {
    throw new UsageError(`${path}: not an nsconform JSON results file`);
  }
  const totals = document.summary?.totals;
  const counted = totals ? OUTCOME_STATUSES.reduce((sum, status) => sum + (totals[status] ?? 0), 0) : null;
  if (counted !== null && counted !== document.cases.length) {
    throw new UsageError(
      `${path}: its summary counts ${counted} cases but it lists ${document.cases.length}; edited or incomplete`,
    );
  }
  return document;
}

function readJson(path: string, source: string): ReportedRun {
  const document = parseJsonReport(path, source);
  const key = (entry: JsonCase): string => entry.id ?? `${entry.classname} › ${entry.name}`;
  const cases = new Map(
    document.cases.map((entry): [string, ReportedCase] => [
      key(entry),
      {
        status: entry.status,
        detail: entry.message ?? entry.reason ?? '',
        ...(entry.variant ? { variant: entry.variant } : {}),
      },
    ]),
  );
  return { path, kernel: document.environment?.['kernel.release'] ?? 'unknown kernel', cases };
}

export function readReportSource(path: string): string {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read report ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (source.trim() === '') throw new UsageError(`${path}: empty file, not a report`);
  return source;
}

export function readReport(path: string): ReportedRun {
  const source = readReportSource(path);
  return source.trimStart().startsWith('<') ? readJunit(path, source) : readJson(path, source);
}
