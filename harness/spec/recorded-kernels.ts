// The kernel each claim's recorded run came from (test/fixtures/spec-runs/<suite>.json: claim key → mode → run); older runs carry none.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SPEC_RUNS_DIR = fileURLToPath(new URL('../../test/fixtures/spec-runs/', import.meta.url));

/** mode → kernel release, or null when the run was recorded without one. */
export type RecordedKernels = ReadonlyMap<string, string | null>;

function kernelOf(run: unknown): string | null {
  if (run === null || typeof run !== 'object' || Array.isArray(run)) return null;
  const kernel = (run as { kernel?: unknown }).kernel;
  return typeof kernel === 'string' && kernel ? kernel : null;
}

/** claim key → its recorded runs; a suite without a fixture file gives an empty map. */
export function readRecordedKernels(suite: string, dir: string = SPEC_RUNS_DIR): Map<string, RecordedKernels> {
  const path = join(dir, `${suite}.json`);
  if (!existsSync(path)) return new Map();
  const runs = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>>;
  return new Map(Object.entries(runs).map(([key, modes]) => [key, new Map(Object.entries(modes).map(([mode, run]) => [mode, kernelOf(run)]))]));
}

/** "6.18.44 (root, unprivileged)"; "not recorded (root)" for a run without its kernel; "no recorded run". */
export function describeKernels(kernels: RecordedKernels | undefined): string {
  const modesByKernel = new Map<string, string[]>();
  for (const [mode, kernel] of kernels ?? []) {
    const name = kernel ?? 'not recorded';
    modesByKernel.set(name, [...(modesByKernel.get(name) ?? []), mode]);
  }
  if (modesByKernel.size === 0) return 'no recorded run';
  return [...modesByKernel].map(([kernel, modes]) => `${kernel} (${modes.join(', ')})`).join('; ');
}
