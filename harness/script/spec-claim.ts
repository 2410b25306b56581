// Spec claims: a script the observer runs and the checks that judge its record, expanded into one case per privilege mode.
import { chown } from 'node:fs/promises';
import { withDir } from 'tmp-promise';
import type { CaseInfo, ObservationGroup, Observed, RunContext, Suite, Verdict } from '../case.ts';
import type { Environment } from '../env/environment.ts';
import { uniqueNeeds, type Need } from '../needs/index.ts';
import type { PrivilegeModeName } from '../privilege-mode.ts';
import { Script, type ScriptIdentity } from './builder.ts';
import { claimCaseInfo, type ClaimBase } from './claim.ts';
import { judgeChecks, readsOf, type Check } from './checks.ts';
import { withoutConsequencesOf } from './refused-consequences.ts';
import { harnessGroup, type HarnessClaim } from './harness-claim.ts';
import { ScriptRun } from './run.ts';
import { lateReading, type Timely } from './timely.ts';
import { judgeVariants, type KnownVariant } from './variants.ts';

/**
 * The spec's privilege classes (§1): A any caller; U unprivileged through a user namespace;
 * N must lack the capability (runs only in the unprivileged mode, where a root runner drops to
 * a uid without capabilities); R real root (skipped with that reason in the unprivileged mode).
 */
export type Priv = 'A' | 'U' | 'N' | 'R';

/** A behaviour some kernels show where the documentation is silent or departs (spec §3), judged by its own checks. */
export interface SpecVariant extends KnownVariant {
  /** The modes it was seen in, where it is not all of them. */
  readonly modes?: readonly PrivilegeModeName[];
  readonly checks: (who: ScriptIdentity) => readonly Check[];
}

export interface SpecClaim extends ClaimBase {
  readonly priv: Priv;
  /** Needs of the unprivileged mode only: what a user namespace's root may do changed across releases (kernel-release). */
  readonly unprivilegedNeeds?: readonly Need[];
  readonly timeoutMs?: number;
  /** Runs alone, after the pooled cases: what it measures is shared with concurrent cases on some kernels. */
  readonly serial?: boolean;
  /** The steps; env is there for paths the harness found (e.g. the BusyBox a scenario copies in). */
  readonly script: (who: ScriptIdentity, env: Environment) => Script;
  /** Fills the case's scratch dir before the script runs (Node-side files only: no namespace work here). */
  readonly prepare?: (scratch: string, who: ScriptIdentity, env: Environment) => Promise<void>;
  /** What every kernel must show; the variants' checks then tell which known behaviour this kernel showed. */
  readonly checks: (who: ScriptIdentity) => readonly Check[];
  readonly variants?: readonly SpecVariant[];
  /** A reading that shows something only when taken soon enough: too late by the clock, its checks make a skip. */
  readonly timely?: Timely;
}

export interface SpecObservation {
  readonly who: ScriptIdentity;
  readonly script: Script;
  readonly run: ScriptRun;
}

export function modesOf(claim: SpecClaim): PrivilegeModeName[] {
  // R claims hold only for real root: a runner that is not root skips their one case with "needs real root".
  return claim.priv === 'N' ? ['unprivileged'] : claim.priv === 'R' ? ['root'] : ['root', 'unprivileged'];
}

/**
 * The needs a case has beyond the claim's own: root for the root mode (R claims hold for root of the
 * initial user namespace only), ids to drop to for the unprivileged mode, the kinds, user namespaces for U.
 */
export function claimNeeds(claim: SpecClaim, mode: PrivilegeModeName): Need[] {
  const needs: Need[] = [];
  if (mode === 'root' || claim.priv === 'R') needs.push({ kind: 'root' });
  if (claim.priv === 'R') needs.push({ kind: 'initial-user-ns' });
  if (mode === 'unprivileged') needs.push({ kind: 'unprivileged-ids' });
  for (const ns of claim.kinds) needs.push({ kind: 'kernel-has', ns });
  if (mode === 'unprivileged' && claim.priv === 'U')
    needs.push({ kind: 'can-create', ns: 'user', mode: 'unprivileged' });
  const own = (claim.needs ?? []).filter((need) => mode === 'unprivileged' || need.kind !== 'unprivileged-ids');
  return uniqueNeeds([...needs, ...own, ...(mode === 'unprivileged' ? (claim.unprivilegedNeeds ?? []) : [])]);
}

/** What the script itself shows it needs: the machine its ops run on, each refusable call it makes, each kind it asks to create. */
export function scriptNeeds(script: Script, mode: PrivilegeModeName): Need[] {
  const { uid, gid, projid } = script.outerIds;
  return [
    ...[...script.machines].map((machine): Need => ({ kind: 'machine', machine })),
    ...[...script.calls].map((call): Need => ({ kind: 'syscall', call })),
    ...[...script.createdKinds].map((ns): Need => ({ kind: 'can-create', ns, mode })),
    ...(mode === 'root' && script.createsUserUnprivileged
      ? [{ kind: 'can-create', ns: 'user', mode: 'unprivileged' } satisfies Need]
      : []),
    ...(uid.size + gid.size + projid.size
      ? [{ kind: 'mapped-ids', mode, uids: [...uid], gids: [...gid], projids: [...projid] } satisfies Need]
      : []),
    ...[...script.revealingMounts]
      .filter(([, inUserNs]) => inUserNs)
      .map(([fs]): Need => ({ kind: 'revealing-mount', fs })),
    // The runner's own capabilities matter to the root mode only: the unprivileged one has none, by design.
    ...script.required.filter((need) => mode === 'root' || need.kind !== 'capability'),
  ];
}

/** Owner for files the harness makes for the script: as the runner sees the script's ids (a nested drop maps them onto the runner). */
export function fileOwner(who: ScriptIdentity, env: Environment): { uid: number; gid: number } {
  const drop = who.mode === 'unprivileged' ? env.unprivilegedDrop : null;
  return drop?.nested ? { uid: env.host.euid, gid: env.host.gid } : { uid: who.uid, gid: who.gid };
}

export function identityOf(mode: PrivilegeModeName, context: Pick<RunContext, 'env'>): ScriptIdentity {
  if (mode === 'root') return { mode, uid: 0, gid: 0 };
  const drop = context.env.unprivilegedDrop;
  return { mode, uid: drop?.uid ?? process.getuid?.() ?? 0, gid: drop?.gid ?? process.getgid?.() ?? 0 };
}

export function caseInfoOf(suite: string, claim: SpecClaim, mode: PrivilegeModeName): CaseInfo {
  return claimCaseInfo(
    suite,
    claim,
    mode,
    claimNeeds(claim, mode),
    { mode, priv: claim.priv, key: claim.key },
    claim.serial,
  );
}

/** Runs the claim's script for one mode in a scratch dir of its own, made once an observer is free and removed afterwards on every path. */
export async function observeClaim(
  claim: SpecClaim,
  mode: PrivilegeModeName,
  context: RunContext,
): Promise<Observed<SpecObservation>> {
  const who = identityOf(mode, context);
  const script = claim.script(who, context.env);
  const drop = mode === 'unprivileged' ? context.env.unprivilegedDrop : null;
  return context.pool.withScript((runScript) =>
    withDir(
      async ({ path }) => {
        if (claim.prepare) await claim.prepare(path, who, context.env);
        if (drop && !drop.nested) await chown(path, drop.uid, drop.gid);
        const timeoutMs = claim.timeoutMs ?? context.timeoutMs;
        const record = await runScript({ drop, timeoutMs, scratch: path, lines: script.lines });
        const durationMs = record.durationNs / 1e6;
        if (record.outcome === 'timeout') {
          const done = record.steps.map((step) => step.l).join(', ') || 'none';
          return {
            ok: false,
            durationMs,
            error: `script timed out after ${timeoutMs} ms (steps reported: ${done}); its processes were killed and reaped`,
          };
        }
        if (record.outcome === 'failed')
          return { ok: false, durationMs, error: `script could not be run: ${record.reason ?? 'no reason given'}` };
        return { ok: true, durationMs, observation: { who, script, run: new ScriptRun(record) } };
      },
      { tmpdir: context.scratchDir, prefix: 'case-', mode: 0o700, unsafeCleanup: true },
    ),
  );
}

export function variantsOf(claim: SpecClaim, mode: PrivilegeModeName): readonly SpecVariant[] {
  return (claim.variants ?? []).filter((variant) => !variant.modes || variant.modes.includes(mode));
}

/** The claim's checks, less those of a reading that came too late to show anything. */
function checksInTime(claim: SpecClaim, observation: SpecObservation): readonly Check[] {
  const checks = claim.checks(observation.who);
  const { timely } = claim;
  if (!timely || lateReading(timely, observation.run) === null) return checks;
  return checks.filter((check) => !readsOf(check).some((label) => timely.readings.includes(label)));
}

export function judgeClaim(claim: SpecClaim, observation: SpecObservation): Verdict {
  const { who, script } = observation;
  if (!claim.variants) return judgeChecks(checksInTime(claim, observation), observation.run, script);
  const variants = variantsOf(claim, who.mode);
  const judged = new Set(variants.flatMap((variant) => variant.checks(who).flatMap(readsOf)));
  const run = withoutConsequencesOf(observation.run, judged);
  const common = judgeChecks(checksInTime(claim, observation), run, script);
  if (!common.pass) return common;
  return judgeVariants(variants, (variant) => judgeChecks(variant.checks(who), run, script));
}

/** The skip of a claim whose timely reading came too late, when everything else it checks holds (else it fails). */
export function lateSkip(claim: SpecClaim, observation: SpecObservation): string | null {
  const late = claim.timely ? lateReading(claim.timely, observation.run) : null;
  return late !== null && judgeClaim(claim, observation).pass ? late : null;
}

/** A suite of spec claims, and of harness claims (nsfs), as the registry found them in its folder. */
export interface SpecSuite extends Suite {
  readonly claims: readonly SpecClaim[];
  readonly harnessClaims: readonly HarnessClaim[];
}

/** Whether an export of a claim file is a spec claim: what the registry collects. */
export function isSpecClaim(value: unknown): value is SpecClaim {
  const claim = value as Partial<SpecClaim> | null;
  return (
    typeof claim === 'object' &&
    claim !== null &&
    typeof claim.key === 'string' &&
    typeof claim.script === 'function' &&
    typeof claim.checks === 'function'
  );
}

/** A suite of spec claims: one observation group, and so one script run, per claim and mode; harness claims once each. */
export function specSuite(
  name: string,
  description: string,
  claims: readonly SpecClaim[],
  harnessClaims: readonly HarnessClaim[] = [],
): SpecSuite {
  return {
    name,
    description,
    claims,
    harnessClaims,
    groups: () => [
      ...(harnessClaims.map((claim) => harnessGroup(name, claim)) as ObservationGroup[]),
      ...(claims.flatMap((claim) =>
        modesOf(claim).map((mode): ObservationGroup<SpecObservation> => ({
          key: `${name}:${claim.key}:${mode}`,
          cases: [
            {
              info: caseInfoOf(name, claim, mode),
              needsFor: (env) => scriptNeeds(claim.script(identityOf(mode, { env }), env), mode),
              judge: (observation) => judgeClaim(claim, observation),
              skipOn: (observation) => lateSkip(claim, observation),
            },
          ],
          observe: (context) => observeClaim(claim, mode, context),
        })),
      ) as ObservationGroup[]),
    ],
  };
}
