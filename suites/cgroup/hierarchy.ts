// Cgroups the cgroup claims create for themselves: below the case's own cgroup, which goes with the case however it ends (spec note 11).
import { CASE_CGROUP, cgroup2Mount, expect, type Ref, type Rule, type Script, str } from '../../harness/kit.ts';

/** The directory a claim makes below its case's cgroup, and its two children. */
export interface OwnCgroups {
  readonly mount: string;
  readonly base: string;
  readonly a: string;
  readonly b: string;
}

/** The base's name in the case's cgroup (a child of the run's, removed as a tree however the case ends; never the root). */
export const OWN_BASE = 'nsconform-claim';

/** The step makeOwnCgroups reads first: the case's cgroup, as the script's first process sees it. */
export const CASE_LINE = 'caseCgroup';

/** The cgroup v2 path in a /proc/PID/cgroup read (its "0::" line). */
export const unifiedPath = (step: string): Ref => expect.at(step, 'text', /^0::(.*)$/m);

/** A path below the case's cgroup; `from` is [unifiedPath(CASE_LINE)]. */
export function belowCase(rel: string): Rule {
  const expected = (from: readonly unknown[]): string | null =>
    typeof from[0] === 'string' ? `${from[0].replace(/\/$/, '')}/${rel}` : null;
  return {
    expects: (from) => expected(from) ?? `below the case's cgroup (which step ${CASE_LINE} did not read)`,
    holds: (value, from) => expected(from) !== null && value === expected(from),
    breaking: (from) => `${expected(from) ?? ''}/elsewhere`,
  };
}

/** The hierarchy's root seen from a namespace rooted `levels` below the case's cgroup: "/.." once per level; `from` as above. */
export function hierarchyRootFrom(levels: number): Rule {
  const expected = (from: readonly unknown[]): string | null =>
    typeof from[0] === 'string' ? '/..'.repeat(from[0].split('/').filter(Boolean).length + levels) : null;
  return {
    expects: (from) => expected(from) ?? `the hierarchy's root (step ${CASE_LINE} did not read the case's cgroup)`,
    holds: (value, from) => expected(from) !== null && value === expected(from),
    breaking: (from) => `${expected(from) ?? ''}/..`,
  };
}

/** mkdir base, base/a and base/b below the case's cgroup (read first, step caseCgroup); steps mkBase, mkA, mkB. */
export function makeOwnCgroups(s: Script): OwnCgroups {
  const base = `${CASE_CGROUP}/${OWN_BASE}`;
  const own = { mount: cgroup2Mount(), base, a: `${base}/a`, b: `${base}/b` };
  s.require({ kind: 'case-cgroup' });
  s.read(CASE_LINE, '/proc/self/cgroup');
  s.sys('mkBase', 'mkdir', str(own.base), 0o755);
  s.sys('mkA', 'mkdir', str(own.a), 0o755);
  s.sys('mkB', 'mkdir', str(own.b), 0o755);
  return own;
}

/** Moves the process whose pid is the result of step `pidLabel` into `cgroup` (a write to its cgroup.procs). */
export function moveInto(s: Script, label: string, cgroup: string, pidLabel: string): string {
  return s.write(label, `${cgroup}/cgroup.procs`, `{${pidLabel}}`);
}

/** rmdir in reverse order once every process the script moved has been reaped; steps rmB, rmA, rmBase. */
export function removeOwnCgroups(s: Script, own: OwnCgroups): void {
  s.sys('rmB', 'rmdir', str(own.b));
  s.sys('rmA', 'rmdir', str(own.a));
  s.sys('rmBase', 'rmdir', str(own.base));
}
