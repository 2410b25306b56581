// Observing a matrix variant: one observer request, turned into a created or refused observation.
import type { Observed, RunContext } from '../../harness/case.ts';
import type { Environment } from '../../harness/env/environment.ts';
import type { Op } from '../../harness/observer/request.ts';
import type { ChildFacts, Exit, Facts, Outside } from '../../harness/observer/record.ts';
import type { TunnelEvidence } from '../net/devices-allowed.ts';
import { hostTunnelEvidence } from '../net/devices-evidence.ts';
import { describeCall, expectsRefusal, passesFlag, type MatrixVariant } from './variant.ts';

/** The name the child gives its own UTS namespace; never the host's. */
export const CHILD_HOSTNAME = 'nsconform-child';

interface Common {
  readonly variant: MatrixVariant;
  readonly env: Environment;
  readonly parent: Facts;
  /** Which fallback tunnel devices a new network namespace holds here (spec D13), read once by the harness. */
  readonly tunnels: TunnelEvidence;
}

export interface CreatedObservation extends Common {
  readonly kind: 'created';
  readonly childPid: number;
  readonly child: ChildFacts;
  readonly outside: Outside;
  readonly exit: Exit;
}

export interface RefusedObservation extends Common {
  readonly kind: 'refused';
  readonly errno: string;
}

export type MatrixObservation = CreatedObservation | RefusedObservation;

export function opsFor(variant: MatrixVariant): Op[] {
  if (expectsRefusal(variant)) return [];
  const ops: Op[] = ['msgget'];
  if (passesFlag(variant, 'uts')) ops.push('sethostname');
  if (passesFlag(variant, 'mnt')) ops.push('mount-tmpfs');
  return ops;
}

function describeExit(exit: Exit | null): string {
  if (!exit) return 'no exit status';
  return 'signal' in exit ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

export async function observeVariant(
  variant: MatrixVariant,
  context: RunContext,
): Promise<Observed<MatrixObservation>> {
  const record = await context.pool.run({
    path: variant.path.name,
    cloneFlags: variant.flagSet.cloneFlags,
    drop: variant.mode === 'unprivileged' ? context.env.unprivilegedDrop : null,
    timeoutMs: context.timeoutMs,
    scratch: context.scratchDir,
    hostname: CHILD_HOSTNAME,
    ops: opsFor(variant),
  });
  const call = describeCall(variant);
  if (record.outcome === 'timeout') {
    return {
      ok: false,
      error: `${call} timed out after ${(record.durationNs / 1e6).toFixed(1)} ms (deadline ${context.timeoutMs} ms); its processes were killed and reaped`,
    };
  }
  if (record.outcome === 'failed') return { ok: false, error: `${call} could not be run: ${record.reason}` };
  const common = { variant, env: context.env, parent: record.parent, tunnels: hostTunnelEvidence() };
  const durationMs = record.durationNs / 1e6;
  if (!record.creation.ok)
    return { ok: true, durationMs, observation: { ...common, kind: 'refused', errno: record.creation.errno } };
  if (!record.child || !record.outside || !record.exit) {
    return {
      ok: false,
      error: `${call}: the child (pid ${record.creation.childPid}) ended before reporting (${describeExit(record.exit)})`,
    };
  }
  return {
    ok: true,
    durationMs,
    observation: {
      ...common,
      kind: 'created',
      childPid: record.creation.childPid,
      child: record.child,
      outside: record.outside,
      exit: record.exit,
    },
  };
}
