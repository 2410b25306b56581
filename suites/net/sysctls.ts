// /proc/sys/net settings belong to one network namespace — network_namespaces(7).
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';

const { at } = expect;
// ip_default_ttl rather than ip_forward: its per-namespace default (64) does not depend on net.core.devconf_inherit_init_net.
const TTL = '/proc/sys/net/ipv4/ip_default_ttl';

export const sysctlsPerNamespace: SpecClaim = {
  key: 'sysctls-per-ns',
  kinds: ['user', 'net'],
  claim:
    "a change under /proc/sys/net (ip_default_ttl) made inside a network namespace shows there only: the runner's and a sibling namespace's values are unchanged",
  specIds: ['NET-07'],
  manPage: 'network_namespaces(7); proc(5) /proc/sys/net',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    s.read('outsideTtlBefore', TTL);
    // Writes happen only in a child made with CLONE_NEWNET; the host guard refuses them anywhere else.
    s.fork('setter', 'clone3', CLONE.NEWNET, (c) => {
      c.write('setTtl', TTL, '37');
      c.read('insideTtl', TTL);
      c.post('set', 0);
      c.await('done', 1);
    });
    s.await('waitSet', 0);
    s.read('outsideTtlAfter', TTL);
    s.fork('sibling', 'clone3', CLONE.NEWNET, (c) => {
      c.read('siblingTtl', TTL);
    });
    s.wait('siblingExit', 'sibling');
    s.post('finish', 1);
    s.wait('setterExit', 'setter');
    return s;
  },
  checks: () => [
    expect.ok('setTtl', 'root of the owning user namespace may write its network sysctls'),
    expect.equals(at('insideTtl', 'text'), '37\n'),
    expect.same(
      at('outsideTtlBefore', 'text'),
      at('outsideTtlAfter', 'text'),
      "the runner's namespace keeps its value",
    ),
    expect.equals(at('siblingTtl', 'text'), '64\n', 'a sibling namespace has the default'),
  ],
};
