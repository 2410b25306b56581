// Ids and capabilities in a new user namespace before any mapping — user_namespaces(7), capabilities(7).
import { fullCapabilityMask } from '../../../harness/env/host-facts.ts';
import { describeText, type Facts } from '../../../harness/observer/record.ts';
import { expectText, onCreated, withOrWithout, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal, type MatrixVariant } from '../variant.ts';

const hasUser = (variant: MatrixVariant): boolean => createsKind(variant, 'user');

function renderCaps(hex: string): string {
  return `0x${BigInt(`0x${hex}`).toString(16)}`;
}

function renderIds(facts: Pick<Facts, 'uid' | 'gid' | 'caps'>): string {
  return `uid ${facts.uid.join('/')}, gid ${facts.gid.join('/')}, CapPrm ${renderCaps(facts.caps.prm)}, CapEff ${renderCaps(facts.caps.eff)}`;
}

export const userClaim: MatrixClaim = {
  key: 'user',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence: withOrWithout(
    hasUser,
    'unmapped ids read as the overflow ids and the capability set is full',
    "the child keeps the parent's ids and capabilities",
  ),
  specIds: (variant) => (hasUser(variant) ? ['USER-01', 'USER-05', 'USER-20'] : ['CLONE-01']),
  manPage: () =>
    'user_namespaces(7) "User and group ID mappings: uid_map and gid_map", "Capabilities"; capabilities(7)',
  judge: onCreated(({ variant, env, parent, child }) => {
    if (!hasUser(variant)) return expectText(renderIds(parent), renderIds(child));
    const { overflowuid: uid, overflowgid: gid, capLastCap } = env.host;
    const full = fullCapabilityMask(capLastCap).toString(16).padStart(16, '0');
    const expected = `${renderIds({ uid: [uid, uid, uid], gid: [gid, gid, gid], caps: { ...child.caps, prm: full, eff: full } })}, maps "" and ""`;
    return expectText(
      expected,
      `${renderIds(child)}, maps ${describeText(child.uidMap)} and ${describeText(child.gidMap)}`,
    );
  }),
};
