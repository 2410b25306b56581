// Cgroups the cgroup claims create for themselves: only under a directory named nsconform-*, made and removed by the script (spec note 11).
import { cgroup2Mount, type Script, str } from '../../harness/kit.ts';

let made = 0;

/** A fresh directory name per script, so two runs never share (or remove) each other's cgroups. */
export interface OwnCgroups {
  readonly mount: string;
  readonly base: string;
  readonly a: string;
  readonly b: string;
}

/** mkdir base, base/a and base/b in the cgroup v2 hierarchy; steps mkBase, mkA, mkB. */
export function makeOwnCgroups(s: Script): OwnCgroups {
  const mount = cgroup2Mount();
  made += 1;
  const base = `${mount}/nsconform-${process.pid}-${made}`;
  const own = { mount, base, a: `${base}/a`, b: `${base}/b` };
  s.require({ kind: 'cgroup2', writable: true });
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
