// Command-line parsing: every bad input becomes one UsageError sentence.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { CREATION_PATHS } from '../creation-path.ts';
import { UsageError } from '../errors.ts';
import { GRANULARITIES, type Granularity } from '../lava/lava-cases.ts';
import { ORIGIN_ID_PATTERN, ORIGIN_PATTERN } from '../kcidb/tests.ts';
import { PRIVILEGE_MODES } from '../privilege-mode.ts';
import { parseAppend, parseModuleList, parseSysctl, type GuestSettings } from '../vm/guest-settings.ts';

export type Command = 'run' | 'list' | 'env' | 'diff' | 'compare' | 'vm' | 'clean' | 'report' | 'help' | 'version';
const COMMANDS: readonly Command[] = [
  'run',
  'list',
  'env',
  'diff',
  'compare',
  'vm',
  'clean',
  'report',
  'help',
  'version',
];

export interface Options {
  command: Command;
  only: string[];
  modes: string[];
  paths: string[];
  junit: string;
  json: string | null;
  jsonOutput: boolean;
  /** run: the HTML report for people (null: report.html beside the JUnit report); compare: the HTML page to write beside the Markdown table. */
  html: string | null;
  /** KTAP report, off unless asked for. */
  ktap: string | null;
  /** Case-id globs to leave out, after --only. */
  exclude: string[];
  /** A JSON or JUnit report whose failed and errored cases are the selection. */
  rerunFailed: string | null;
  /** Each selected case this many times, reported as one case with every outcome. */
  repeat: number;
  /** list: print the checklist in spec/ with the cases citing each id. */
  spec: boolean;
  concurrency: number;
  timeoutMs: number;
  /** diff: the two reports; compare: any number. */
  files: string[];
  /** vm: a kernel image, a Debian kernel package file, or a Debian kernel package name. */
  kernel: string | null;
  /** vm: deadline for the whole guest run. */
  vmTimeoutS: number;
  /** vm: the modules directory of a bare kernel image. */
  kernelModules: string | null;
  /** vm: sysctls, modules and kernel parameters for the guest. */
  guest: GuestSettings;
  /** report: what to write for a lab, from one JSON report. */
  lab: LabReport;
  /** vm: a distribution's cloud image (qcow2 or raw, a file; a URL with --download-image), booted instead of --kernel. */
  image: string | null;
  /** vm --image: boot this kernel and initrd (the image's own, copied out) directly instead of the image's bootloader. */
  imageKernel: string | null;
  imageInitrd: string | null;
  /** vm --image <URL>: the user's consent to download it. */
  downloadImage: boolean;
}

export interface LabReport {
  /** The JSON report read. */
  results: string;
  /** Print LAVA signals and write result.txt. */
  lava: boolean;
  granularity: Granularity;
  /** result.txt (default beside the JSON report). */
  resultTxt: string | null;
  kcidb: { file: string; origin: string; buildId: string } | null;
}

export const DEFAULT_JUNIT = 'reports/junit.xml';
export const DEFAULT_JSON = 'reports/results.json';
export const DEFAULT_KTAP = 'reports/ktap.txt';
export const HTML_FILE_NAME = 'report.html';
export const DEFAULT_TIMEOUT_MS = 10000;
const DEFAULT_VM_TIMEOUT_S = 3000;

export const USAGE = `usage: nsconform [run|list|env] [options]
       nsconform diff <old report> <new report>
       nsconform compare <report>… [--html <file>]
       nsconform vm --kernel <image | .deb | package name> [run options]
       nsconform vm --image <cloud image .qcow2 | .raw> [run options]
       nsconform clean
       nsconform report --lava <results.json> [--granularity cell|case] [--kcidb <file> --kcidb-origin <o> --kcidb-build-id <o:id>]

  run (default)        run the suite on this kernel and write reports/
  list                 list the cases, their claims and spec ids
  env                  print what the environment probes found
  diff                 compare two JUnit or JSON reports; exit 1 on regressions, 2 on a truncated or foreign one
  compare              one table of the cases whose outcome differs across reports (kernels): Markdown, --html
  vm                   boot another kernel, or a distribution's cloud image, in qemu and run the suite there,
                       as root and unprivileged
  clean                remove what killed runs left (processes, IPC objects, cgroups, scratch dirs), from their journals
  report               a JSON report as LAVA test-case signals and result.txt (--lava), and KCIDB tests (--kcidb)

options:
  --only <glob>        run only case ids matching the glob (* and ?; may repeat)
  --mode <m>           root, unprivileged or both (default both)
  --path <p>           clone3, unshare, clone or all (default all; a comma list works)
  --junit <file>       JUnit report (default ${DEFAULT_JUNIT})
  --json [<file>]      run: JSON results (default ${DEFAULT_JSON}); list, env: print JSON
  --html <file>        run: self-contained HTML report (default ${HTML_FILE_NAME} beside the JUnit report);
                       compare: also write the table as a self-contained HTML page
  --ktap [<file>]      run: KTAP results, the kernel selftests' format (${DEFAULT_KTAP} when no file is given)
  --exclude <glob>     leave out case ids matching the glob (may repeat)
  --rerun-failed <report>  run only the failed and errored cases of a JSON or JUnit report
  --repeat <n>         run each selected case n times; a case that both passed and failed is flaky
  --spec               list: the checklist (spec/), each id with the claims and cases citing it
  --concurrency <n>    observer processes running cases at once (default: CPU count)
  --timeout <ms>       deadline for one case (default ${DEFAULT_TIMEOUT_MS})
  --kernel <k>         vm: bzImage/vmlinuz, linux-image-*.deb, or a Debian package name
  --kernel-modules <d> vm: the modules directory (lib/modules/<release>) of a bare kernel image
  --sysctl <key=value> vm: set in the guest before the run (may repeat)
  --modules <a,b>      vm: load these modules in the guest before the run
  --append <params>    vm: more kernel command-line parameters
  --image <file>       vm: a distribution's cloud image (qcow2/raw), booted with its own kernel and userspace
                       through a copy-on-write overlay; cloud-init installs gcc and Node >= 20.19 if missing
  --download-image     vm: let --image be an https URL, downloaded to nsconform's image cache (nothing is
                       downloaded without it)
  --image-kernel <f>   vm --image: boot this kernel (and --image-initrd <f>) directly, not the image's bootloader
  --vm-timeout <s>     vm: deadline for the whole guest run (default ${DEFAULT_VM_TIMEOUT_S})
  --lava <results.json>  report: print LAVA signals for the report's cases, write result.txt beside it
  --granularity <g>    report: cell (default: one case per matrix flag set × path × mode) or case (one per claim)
  --result-txt <file>  report: where result.txt goes (test-definitions format)
  --kcidb <file>       report: write KCIDB v5 test objects (never submitted); needs the next two
  --kcidb-origin <o>   report: the submitting CI system ([a-z0-9_]+)
  --kcidb-build-id <id>  report: the tested build's KCIDB id (<origin>:<id>)
  --help, --version
exit status: 0 all cases passed or skipped with a reason; 1 the kernel failed a case;
             2 bad usage or an environment the suite cannot run in; 3 a harness error, a changed host,
             or a report that could not be written (the results are not to be trusted as kernel verdicts)`;

function parseInteger(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} takes a whole number, not ${JSON.stringify(text)}`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, not ${value}`);
  return value;
}

function parseChoice(name: string, text: string, choices: readonly string[], all: string): string[] {
  const picked = text.split(',').flatMap((word) => (word === all ? [...choices] : [word]));
  const bad = picked.find((word) => !choices.includes(word));
  if (bad !== undefined || picked.length === 0)
    throw new UsageError(`--${name} takes ${[...choices, all].join(', ')}, not ${JSON.stringify(bad ?? text)}`);
  return [...new Set(picked)];
}

function parseCommand(positionals: readonly string[]): Command {
  const word = positionals[0] ?? 'run';
  if (!COMMANDS.includes(word as Command))
    throw new UsageError(
      `unknown command ${JSON.stringify(word)}: use run, list, env, diff, compare, vm or clean (see nsconform --help)`,
    );
  const command = word as Command;
  const operands = positionals.length - 1;
  if (command === 'report' && operands > 1)
    throw new UsageError('report reads one JSON report: nsconform report --lava <results.json>');
  if (command === 'diff' && operands !== 2) throw new UsageError('diff takes two reports: nsconform diff <old> <new>');
  if (command === 'compare' && operands < 1)
    throw new UsageError('compare takes one or more reports: nsconform compare <report>…');
  if (command !== 'diff' && command !== 'compare' && command !== 'report' && operands > 0)
    throw new UsageError(`one command at a time, not ${positionals.map((entry) => JSON.stringify(entry)).join(' ')}`);
  return command;
}

const OPTION_SPEC = {
  only: { type: 'string', multiple: true },
  mode: { type: 'string' },
  path: { type: 'string' },
  junit: { type: 'string' },
  json: { type: 'string' },
  ktap: { type: 'string' },
  html: { type: 'string' },
  exclude: { type: 'string', multiple: true },
  'rerun-failed': { type: 'string' },
  repeat: { type: 'string' },
  spec: { type: 'boolean' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  kernel: { type: 'string' },
  'vm-timeout': { type: 'string' },
  'kernel-modules': { type: 'string' },
  sysctl: { type: 'string', multiple: true },
  modules: { type: 'string', multiple: true },
  append: { type: 'string' },
  lava: { type: 'string' },
  granularity: { type: 'string' },
  'result-txt': { type: 'string' },
  kcidb: { type: 'string' },
  'kcidb-origin': { type: 'string' },
  'kcidb-build-id': { type: 'string' },
  image: { type: 'string' },
  'image-kernel': { type: 'string' },
  'image-initrd': { type: 'string' },
  'download-image': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** util.parseArgs speaks in TypeErrors with codes; turn them into one readable line. */
function readArgs(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTION_SPEC, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's messages run over several lines with advice on "--"; the first sentence is the one that matters.
    const message = (error as Error).message.split(/\.\s/)[0]?.replace(/\.$/, '') ?? 'bad arguments';
    throw new UsageError(`${message} (see nsconform --help)`);
  }
}

/** Options whose file may be left out: parseArgs wants a value, so supply the default. */
const OPTIONAL_FILE: Readonly<Record<string, string>> = { '--json': DEFAULT_JSON, '--ktap': DEFAULT_KTAP };

/** --json alone also means "print JSON" for list and env. */
function normalizeOptionalFiles(argv: readonly string[]): { argv: string[]; bare: boolean } {
  let bare = false;
  const out = argv.flatMap((word, index) => {
    const next = argv[index + 1];
    const fallback = OPTIONAL_FILE[word];
    if (fallback !== undefined && (next === undefined || next.startsWith('-') || COMMANDS.includes(next as Command))) {
      if (word === '--json') bare = true;
      return [word, fallback];
    }
    return [word];
  });
  return { argv: out, bare };
}

function checkGlobs(option: string, globs: readonly string[]): string[] {
  if (globs.some((glob) => glob.trim() === ''))
    throw new UsageError(`--${option} takes a non-empty glob on case ids (see nsconform list)`);
  return [...globs];
}

type Values = ReturnType<typeof readArgs>['values'];

function parseKcidb(values: Values): LabReport['kcidb'] {
  const origin = values['kcidb-origin'];
  const buildId = values['kcidb-build-id'];
  if (values.kcidb === undefined) {
    if (origin !== undefined || buildId !== undefined)
      throw new UsageError('--kcidb-origin and --kcidb-build-id go with --kcidb <file>');
    return null;
  }
  if (origin === undefined || buildId === undefined)
    throw new UsageError('--kcidb needs --kcidb-origin <your CI system> and --kcidb-build-id <origin>:<build id>');
  if (!ORIGIN_PATTERN.test(origin))
    throw new UsageError(
      `--kcidb-origin takes lower-case letters, digits and _ (KCIDB's origin), not ${JSON.stringify(origin)}`,
    );
  if (!ORIGIN_ID_PATTERN.test(buildId))
    throw new UsageError(`--kcidb-build-id takes <origin>:<id> (KCIDB's build id), not ${JSON.stringify(buildId)}`);
  return { file: values.kcidb, origin, buildId };
}

/** report: one JSON report, by --lava or as the operand, and at least one thing to make of it. */
function parseLabReport(command: Command, values: Values, positionals: readonly string[]): LabReport {
  const labOnly = (['lava', 'granularity', 'result-txt', 'kcidb', 'kcidb-origin', 'kcidb-build-id'] as const).find(
    (name) => values[name] !== undefined,
  );
  const kcidb = parseKcidb(values);
  const granularity = (values.granularity ?? 'cell') as Granularity;
  if (!GRANULARITIES.includes(granularity))
    throw new UsageError(
      `--granularity takes ${GRANULARITIES.join(' or ')}, not ${JSON.stringify(values.granularity)}`,
    );
  const empty: LabReport = { results: '', lava: false, granularity, resultTxt: null, kcidb };
  if (command !== 'report') {
    if (labOnly) throw new UsageError(`--${labOnly} applies to nsconform report only`);
    return empty;
  }
  const operand = positionals[1];
  if (values.lava !== undefined && operand !== undefined)
    throw new UsageError(`report reads one JSON report: ${JSON.stringify(values.lava)} or ${JSON.stringify(operand)}`);
  const results = values.lava ?? operand;
  if (results === undefined || (values.lava === undefined && kcidb === null))
    throw new UsageError('report needs --lava <results.json>, or <results.json> --kcidb <file> (see nsconform --help)');
  if (values['result-txt'] !== undefined && values.lava === undefined)
    throw new UsageError('--result-txt goes with --lava');
  return { ...empty, results, lava: values.lava !== undefined, resultTxt: values['result-txt'] ?? null };
}

/** --image boots a whole distribution: a kernel of the user's choosing goes with --kernel, the image's own with --image-kernel. */
function checkImageOptions(values: ReturnType<typeof readArgs>['values']): void {
  if (values.image !== undefined && values.kernel !== undefined)
    throw new UsageError(
      "--kernel and --image exclude each other: --image boots the image's own kernel (--image-kernel picks one directly)",
    );
  const imageOnly = (['image-kernel', 'image-initrd', 'download-image'] as const).find(
    (name) => values[name] !== undefined,
  );
  if (imageOnly && values.image === undefined) throw new UsageError(`--${imageOnly} goes with --image`);
  if (values['image-initrd'] !== undefined && values['image-kernel'] === undefined)
    throw new UsageError('--image-initrd goes with --image-kernel');
  if (values.image === undefined) return;
  if (values['kernel-modules'] !== undefined)
    throw new UsageError('--kernel-modules goes with --kernel: an image brings its own modules');
  if (values.append !== undefined && values['image-kernel'] === undefined)
    throw new UsageError(
      "--append needs --image-kernel: booted by its own bootloader, an image keeps its bootloader's command line",
    );
  if (/^[a-z]+:\/\//i.test(values.image) && !values['download-image'])
    throw new UsageError(
      `--image ${values.image} is a URL: nsconform downloads nothing unasked; add --download-image, or download it yourself and pass the file`,
    );
}

export function parseOptions(argv: readonly string[]): Options {
  const { argv: normalized, bare } = normalizeOptionalFiles(argv);
  const { values, positionals } = readArgs(normalized);
  let command = parseCommand(positionals);
  if (values.help) command = 'help';
  else if (values.version) command = 'version';
  if (command === 'vm' && !values.kernel && !values.image)
    throw new UsageError('vm needs --kernel <bzImage | linux-image-*.deb | package name> or --image <cloud image>');
  const vmOnly = (
    [
      'kernel-modules',
      'sysctl',
      'modules',
      'append',
      'image',
      'image-kernel',
      'image-initrd',
      'download-image',
    ] as const
  ).find((name) => values[name] !== undefined);
  if (vmOnly && command !== 'vm') throw new UsageError(`--${vmOnly} applies to nsconform vm only`);
  checkImageOptions(values);
  const only = checkGlobs('only', values.only ?? []);
  if (values.spec && command !== 'list') throw new UsageError('--spec goes with list: nsconform list --spec');
  return {
    command,
    only,
    modes:
      values.mode === undefined || values.mode === 'both'
        ? PRIVILEGE_MODES.map((mode) => mode.name)
        : parseChoice(
            'mode',
            values.mode,
            PRIVILEGE_MODES.map((mode) => mode.name),
            'both',
          ),
    paths:
      values.path === undefined
        ? CREATION_PATHS.map((path) => path.name)
        : parseChoice(
            'path',
            values.path,
            CREATION_PATHS.map((path) => path.name),
            'all',
          ),
    junit: values.junit ?? DEFAULT_JUNIT,
    json: values.json ?? (command === 'run' ? DEFAULT_JSON : null),
    jsonOutput: values.json !== undefined && (bare || command !== 'run'),
    ktap: values.ktap ?? null,
    html: values.html ?? null,
    exclude: checkGlobs('exclude', values.exclude ?? []),
    rerunFailed: values['rerun-failed'] ?? null,
    repeat: values.repeat === undefined ? 1 : parseInteger('repeat', values.repeat, 1, 1000),
    spec: values.spec ?? false,
    concurrency:
      values.concurrency === undefined
        ? Math.min(availableParallelism(), 16)
        : parseInteger('concurrency', values.concurrency, 1, 64),
    timeoutMs: values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseInteger('timeout', values.timeout, 10, 600000),
    files: command === 'diff' || command === 'compare' ? positionals.slice(1) : [],
    kernel: values.kernel ?? null,
    vmTimeoutS:
      values['vm-timeout'] === undefined
        ? DEFAULT_VM_TIMEOUT_S
        : parseInteger('vm-timeout', values['vm-timeout'], 10, 86400),
    kernelModules: values['kernel-modules'] ?? null,
    guest: {
      sysctls: (values.sysctl ?? []).map(parseSysctl),
      modules: parseModuleList(values.modules ?? []),
      append: parseAppend(values.append),
    },
    lab: parseLabReport(command, values, positionals),
    image: values.image ?? null,
    imageKernel: values['image-kernel'] ?? null,
    imageInitrd: values['image-initrd'] ?? null,
    downloadImage: values['download-image'] ?? false,
  };
}
