// Reading a finished run back from its JUnit or JSON report, as case key → outcome.
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { UsageError } from '../errors.ts';
import type { OutcomeStatus } from '../case.ts';

export interface ReportedCase {
  readonly status: OutcomeStatus;
  /** Failure or error message, or the skip reason. */
  readonly detail: string;
}

export interface ReportedRun {
  readonly path: string;
  readonly kernel: string;
  /** Keyed by "classname › name", unique and stable across runs. */
  readonly cases: ReadonlyMap<string, ReportedCase>;
}

type Attrs = Record<string, unknown>;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && 'message' in value) return String((value as Attrs).message);
  return '';
}

function statusOfTestcase(testcase: Attrs): ReportedCase {
  if (testcase.failure !== undefined) return { status: 'fail', detail: text(testcase.failure) };
  if (testcase.error !== undefined) return { status: 'error', detail: text(testcase.error) };
  if (testcase.skipped !== undefined) return { status: 'skip', detail: text(testcase.skipped) };
  return { status: 'pass', detail: '' };
}

function readJunit(path: string, source: string): ReportedRun {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
  const document = parser.parse(source) as { testsuites?: { testsuite?: Attrs[] }; testsuite?: Attrs[] };
  const suites = document.testsuites?.testsuite ?? document.testsuite;
  if (!suites) throw new UsageError(`${path}: no <testsuite> in this JUnit file`);
  const cases = new Map<string, ReportedCase>();
  let kernel = 'unknown kernel';
  for (const suite of suites) {
    const properties = ((suite.properties as Attrs | undefined)?.property as Attrs[] | undefined) ?? [];
    const release = properties.find((property) => property.name === 'kernel.release')?.value;
    if (typeof release === 'string') kernel = release;
    for (const testcase of (suite.testcase as Attrs[] | undefined) ?? []) {
      cases.set(`${String(testcase.classname)} › ${String(testcase.name)}`, statusOfTestcase(testcase));
    }
  }
  return { path, kernel, cases };
}

interface JsonCase { classname: string; name: string; status: OutcomeStatus; message?: string; reason?: string }

function readJson(path: string, source: string): ReportedRun {
  const document = JSON.parse(source) as { format?: string; environment?: Record<string, string>; cases?: JsonCase[] };
  if (!document.format?.startsWith('nsconform-results/') || !Array.isArray(document.cases)) {
    throw new UsageError(`${path}: not an nsconform JSON results file`);
  }
  const cases = new Map(document.cases.map((entry): [string, ReportedCase] => [`${entry.classname} › ${entry.name}`, { status: entry.status, detail: entry.message ?? entry.reason ?? '' }]));
  return { path, kernel: document.environment?.['kernel.release'] ?? 'unknown kernel', cases };
}

export function readReport(path: string): ReportedRun {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read report ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return source.trimStart().startsWith('<') ? readJunit(path, source) : readJson(path, source);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path}: neither nsconform JUnit XML nor JSON results (${(error as Error).message})`);
  }
}
