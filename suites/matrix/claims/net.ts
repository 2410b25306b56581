// Interfaces in a new network namespace — network_namespaces(7).
import { IFF_UP } from '../../../harness/script/constants.ts';
import type { Interface } from '../../../harness/observer/record.ts';
import { describeAllowed, devicesAllowed } from '../../net/devices-allowed.ts';
import { expectText, onCreated, PASS, withOrWithout, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal, type MatrixVariant } from '../variant.ts';

const hasNet = (variant: MatrixVariant): boolean => createsKind(variant, 'net');

function renderInterfaces(interfaces: readonly Interface[]): string {
  return (
    interfaces
      .map(({ name, flags }) => `${name} ${flags < 0 ? '(flags unreadable)' : flags & IFF_UP ? 'UP' : 'DOWN'}`)
      .sort()
      .join(', ') || '(none)'
  );
}

export const netClaim: MatrixClaim = {
  key: 'net',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence: withOrWithout(hasNet, 'the only interface is lo and it is down', "the child sees the parent's interfaces"),
  specIds: (variant) => (hasNet(variant) ? ['NET-01'] : ['CLONE-01']),
  manPage: () => 'network_namespaces(7)',
  judge: onCreated(({ variant, parent, child, tunnels }) => {
    if (hasNet(variant)) {
      const names = child.interfaces.map(({ name }) => name);
      const down = child.interfaces.every(({ flags }) => flags >= 0 && !(flags & IFF_UP));
      if (devicesAllowed(names, tunnels) && down) return PASS;
      return {
        pass: false,
        expected: `${describeAllowed(tunnels)}, all DOWN (spec D13)`,
        actual: renderInterfaces(child.interfaces),
      };
    }
    const names = (interfaces: readonly Interface[]): string =>
      interfaces
        .map(({ name }) => name)
        .sort()
        .join(', ');
    // Every network namespace has lo: an empty list is a failed read, and two failed reads are not the same devices.
    if (parent.interfaces.length === 0)
      return { pass: false, expected: "the parent's interfaces read (lo at least)", actual: 'none were read' };
    return expectText(names(parent.interfaces), names(child.interfaces));
  }),
};
