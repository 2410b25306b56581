// Command-line parsing: every bad input becomes one UsageError sentence.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { CREATION_PATHS } from '../creation-path.ts';
import { UsageError } from '../errors.ts';
import { PRIVILEGE_MODES } from '../privilege-mode.ts';

export type Command = 'run' | 'list' | 'env' | 'diff' | 'vm' | 'help' | 'version';
const COMMANDS: readonly Command[] = ['run', 'list', 'env', 'diff', 'vm', 'help', 'version'];

export interface Options {
  command: Command;
  only: string[];
  modes: string[];
  paths: string[];
  junit: string;
  json: string | null;
  jsonOutput: boolean;
  /** list: print the checklist in spec/ with the cases citing each id. */
  spec: boolean;
  concurrency: number;
  timeoutMs: number;
  /** diff: the two reports. */
  files: string[];
  /** vm: a kernel image, a Debian kernel package file, or a Debian kernel package name. */
  kernel: string | null;
  /** vm: deadline for the whole guest run. */
  vmTimeoutS: number;
}

export const DEFAULT_JUNIT = 'reports/junit.xml';
export const DEFAULT_JSON = 'reports/results.json';
const DEFAULT_TIMEOUT_MS = 10000;
const DEFAULT_VM_TIMEOUT_S = 3000;

export const USAGE = `usage: nsconform [run|list|env] [options]
       nsconform diff <old report> <new report>
       nsconform vm --kernel <image | .deb | package name> [run options]

  run (default)        run the suite on this kernel and write reports/
  list                 list the cases, their claims and spec ids
  env                  print what the environment probes found
  diff                 compare two JUnit or JSON reports; exit 1 on regressions
  vm                   boot another kernel in qemu and run the suite there, as root and unprivileged

options:
  --only <glob>        run only case ids matching the glob (* and ?; may repeat)
  --mode <m>           root, unprivileged or both (default both)
  --path <p>           clone3, unshare, clone or all (default all; a comma list works)
  --junit <file>       JUnit report (default ${DEFAULT_JUNIT})
  --json [<file>]      run: JSON results (default ${DEFAULT_JSON}); list, env: print JSON
  --spec               list: the checklist (spec/), each id with the claims and cases citing it
  --concurrency <n>    observer processes running cases at once (default: CPU count)
  --timeout <ms>       deadline for one case (default ${DEFAULT_TIMEOUT_MS})
  --kernel <k>         vm: bzImage/vmlinuz, linux-image-*.deb, or a Debian package name
  --vm-timeout <s>     vm: deadline for the whole guest run (default ${DEFAULT_VM_TIMEOUT_S})
  --help, --version
exit status: 0 nothing failed, 1 a case failed or errored, 2 bad usage or environment`;

function parseInteger(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} takes a whole number, not ${JSON.stringify(text)}`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`--${name} must be between ${min} and ${max}, not ${value}`);
  return value;
}

function parseChoice(name: string, text: string, choices: readonly string[], all: string): string[] {
  const picked = text.split(',').flatMap((word) => (word === all ? [...choices] : [word]));
  const bad = picked.find((word) => !choices.includes(word));
  if (bad !== undefined || picked.length === 0) throw new UsageError(`--${name} takes ${[...choices, all].join(', ')}, not ${JSON.stringify(bad ?? text)}`);
  return [...new Set(picked)];
}

function parseCommand(positionals: readonly string[]): Command {
  const word = positionals[0] ?? 'run';
  if (!COMMANDS.includes(word as Command)) throw new UsageError(`unknown command ${JSON.stringify(word)}: use run, list, env, diff or vm (see nsconform --help)`);
  const command = word as Command;
  const operands = positionals.length - 1;
  if (command === 'diff' && operands !== 2) throw new UsageError('diff takes two reports: nsconform diff <old> <new>');
  if (command !== 'diff' && operands > 0) throw new UsageError(`one command at a time, not ${positionals.map((entry) => JSON.stringify(entry)).join(' ')}`);
  return command;
}

const OPTION_SPEC = {
  only: { type: 'string', multiple: true },
  mode: { type: 'string' },
  path: { type: 'string' },
  junit: { type: 'string' },
  json: { type: 'string' },
  spec: { type: 'boolean' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  kernel: { type: 'string' },
  'vm-timeout': { type: 'string' },
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


/** --json may stand alone ("print JSON" for list and env); parseArgs wants a value, so supply the default. */
function normalizeJsonFlag(argv: readonly string[]): { argv: string[]; bare: boolean } {
  let bare = false;
  const out = argv.flatMap((word, index) => {
    const next = argv[index + 1];
    if (word === '--json' && (next === undefined || next.startsWith('-') || COMMANDS.includes(next as Command))) {
      bare = true;
      return ['--json', DEFAULT_JSON];
    }
    return [word];
  });
  return { argv: out, bare };
}

export function parseOptions(argv: readonly string[]): Options {
  const { argv: normalized, bare } = normalizeJsonFlag(argv);
  const { values, positionals } = readArgs(normalized);
  let command = parseCommand(positionals);
  if (values.help) command = 'help';
  else if (values.version) command = 'version';
  if (command === 'vm' && !values.kernel) throw new UsageError('vm needs --kernel <bzImage | linux-image-*.deb | package name>');
  if (values.spec && command !== 'list') throw new UsageError('--spec goes with list: nsconform list --spec');
  const only = values.only ?? [];
  const emptyGlob = only.find((glob) => glob.trim() === '');
  if (emptyGlob !== undefined) throw new UsageError('--only takes a non-empty glob on case ids (see nsconform list)');
  return {
    command,
    only,
    modes: values.mode === undefined || values.mode === 'both' ? PRIVILEGE_MODES.map((mode) => mode.name) : parseChoice('mode', values.mode, PRIVILEGE_MODES.map((mode) => mode.name), 'both'),
    paths: values.path === undefined ? CREATION_PATHS.map((path) => path.name) : parseChoice('path', values.path, CREATION_PATHS.map((path) => path.name), 'all'),
    junit: values.junit ?? DEFAULT_JUNIT,
    json: values.json ?? (command === 'run' ? DEFAULT_JSON : null),
    jsonOutput: values.json !== undefined && (bare || command !== 'run'),
    spec: values.spec ?? false,
    concurrency: values.concurrency === undefined ? Math.min(availableParallelism(), 16) : parseInteger('concurrency', values.concurrency, 1, 64),
    timeoutMs: values.timeout === undefined ? DEFAULT_TIMEOUT_MS : parseInteger('timeout', values.timeout, 10, 600000),
    files: command === 'diff' ? positionals.slice(1) : [],
    kernel: values.kernel ?? null,
    vmTimeoutS: values['vm-timeout'] === undefined ? DEFAULT_VM_TIMEOUT_S : parseInteger('vm-timeout', values['vm-timeout'], 10, 86400),
  };
}
