// The nsconform command: parse, check inputs, then run, list or print the environment.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EnvironmentError, UsageError } from '../errors.ts';
import { ObserverDiedError } from '../observer/client.ts';
import { EXIT } from '../run/summary.ts';
import {
  parseOptions,
  DEFAULT_JSON,
  DEFAULT_JUNIT,
  DEFAULT_KTAP,
  HTML_FILE_NAME,
  USAGE,
  type Options,
} from './args.ts';
import { checkReportPath } from './report-path.ts';
import { listCases } from './list.ts';
import { printEnvironment } from './env.ts';
import { runSuites } from './run.ts';
import { compareReports } from './compare.ts';
import { diffReports } from './diff.ts';
import { runInVm } from './vm.ts';
import { runImageInVm } from './vm-image.ts';
import { cleanLeftovers } from './clean.ts';
import type { LoadRegistry } from '../registry/suite-registry.ts';
import { reportForLab } from './report.ts';

function readVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

function prepareReportPaths(options: Options): Options {
  const files = [options.junit, options.json, options.ktap];
  if ([DEFAULT_JUNIT, DEFAULT_JSON, DEFAULT_KTAP].some((file) => files.includes(file)))
    mkdirSync('reports', { recursive: true });
  return {
    ...options,
    junit: checkReportPath('--junit', options.junit),
    json: options.json === null ? null : checkReportPath('--json', options.json),
    ktap: options.ktap === null ? null : checkReportPath('--ktap', options.ktap),
    html: checkReportPath('--html', options.html ?? join(dirname(options.junit), HTML_FILE_NAME)),
  };
}

async function dispatch(options: Options, loadRegistry: LoadRegistry): Promise<number> {
  switch (options.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`nsconform ${readVersion()}\n`);
      return 0;
    case 'list':
      return listCases(options, await loadRegistry());
    case 'env':
      return printEnvironment(options);
    case 'run':
      return runSuites(prepareReportPaths(options), await loadRegistry());
    case 'diff':
      return diffReports(options.files[0] ?? '', options.files[1] ?? '');
    case 'compare':
      return compareReports(options.files, options.html);
    case 'vm':
      return options.image ? runImageInVm(options) : runInVm(options);
    case 'clean':
      return cleanLeftovers();
    case 'report':
      return reportForLab(options.lab);
  }
}

/** Returns the exit code; usage and environment errors print one line and give 2. The entry point hands over the suites. */
export async function main(argv: readonly string[], loadRegistry: LoadRegistry): Promise<number> {
  try {
    return await dispatch(parseOptions(argv), loadRegistry);
  } catch (error) {
    if (error instanceof UsageError || error instanceof EnvironmentError) {
      process.stderr.write(`nsconform: ${error.message}\n`);
      return 2;
    }
    // An observer killed or crashed before the cases ran (while probing): a harness error, in one line.
    if (error instanceof ObserverDiedError) {
      process.stderr.write(`nsconform: harness error, no reports written: ${error.message}\n`);
      return EXIT.harness;
    }
    throw error;
  }
}
