// An open /proc/<pid>/ns/<kind> descriptor pins a namespace; the per-user limits count it — namespaces(7) "Namespace lifetime", "The /proc/sys/user directory".
import { expect, getNamespace, type NamespaceName, ref, Script, type SpecClaim } from '../../harness/kit.ts';
import { flagOf, freedAgain, setLimit } from './slots.ts';
import { enterThroughPin, pinChecks, witnessOf } from './witness.ts';

const KINDS: readonly NamespaceName[] = ['mnt', 'uts', 'ipc', 'pid', 'net', 'user', 'cgroup', 'time'];

function fdPinClaim(kind: NamespaceName): SpecClaim {
  const flag = flagOf(kind);
  const entry = getNamespace(kind).procEntry;
  const witness = witnessOf(kind);
  return {
    key: `fd-pin-${kind}`,
    kinds: kind === 'user' ? ['user'] : ['user', kind],
    claim: `with max_${kind}_namespaces at 1, ${kind === 'ipc' ? 'an' : 'a'} ${kind} namespace held only by an open /proc/<pid>/ns/${entry} descriptor keeps its slot after its last member exits (ns root gets ENOSPC from unshare${kind === 'time' ? ' and clone3' : ', clone3 and clone'}), setns() through the descriptor still works, and closing it frees the slot again`,
    specIds: ['LIFE-02', 'LIM-06', 'LIM-07', 'LIM-11'],
    manPage: 'namespaces(7) "Namespace lifetime", "The /proc/sys/user directory"; clone(2), unshare(2) ERRORS ENOSPC',
    priv: 'U',
    needs: kind === 'time' ? [{ kind: 'clone3-time' }] : [{ kind: 'syscall', call: 'clone3' }],
    script: (who) => {
      const s = new Script();
      s.becomeRoot('p', who);
      s.sys('uid', 'geteuid');
      setLimit(s, 'limit', kind, 1);
      s.fork('member', 'clone3', flag, (c) => {
        witness.leave(c);
        c.post('ready', 0);
        c.await('release', 1);
      });
      s.await('waitReady', 0);
      s.open('nsFd', `/proc/{member}/ns/${entry}`);
      s.probe('unshareMore', flag);
      s.fork('cloneMore', 'clone3', flag, () => undefined);
      // Raw clone() cannot ask for a time namespace: bit 0x80 is part of its exit signal (spec D9).
      if (kind !== 'time') s.fork('rawCloneMore', 'clone', flag, () => undefined);
      s.post('letGo', 1);
      s.wait('memberExit', 'member');
      enterThroughPin(s, 'nsFd', kind, witness);
      s.sys('closeFd', 'close', ref('nsFd'));
      freedAgain(s, 'freed', kind);
      return s;
    },
    checks: () => [
      expect.ok('limit', 'ns root has CAP_SYS_RESOURCE over its own limits'),
      expect.ret('uid', 0, 'the limit applies to uid 0 of the namespace (LIM-07)'),
      expect.ok('member'),
      expect.ok('nsFd'),
      expect.errno('unshareMore', 'ENOSPC', 'unshare(2) beyond the limit'),
      expect.errno('cloneMore', 'ENOSPC', 'clone3(2) beyond the limit'),
      ...(kind === 'time' ? [] : [expect.errno('rawCloneMore', 'ENOSPC', 'clone(2) beyond the limit')]),
      expect.exitCode('memberExit', 0),
      ...pinChecks(witness, 'the descriptor', 'the descriptor alone keeps the namespace counted'),
      expect.ok('closeFd'),
      expect.ok('freed', 'the slot comes back after the last reference is closed (polled, spec note 2)'),
    ],
  };
}

export const fdPinClaims: readonly SpecClaim[] = KINDS.map(fdPinClaim);
