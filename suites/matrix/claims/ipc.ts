// SysV objects across IPC namespaces — ipc_namespaces(7), msgget(2).
import { expectText, onCreated, withOrWithout, type MatrixClaim } from '../claim.ts';
import { createsKind, expectsRefusal, type MatrixVariant } from '../variant.ts';

const hasIpc = (variant: MatrixVariant): boolean => createsKind(variant, 'ipc');

export const ipcClaim: MatrixClaim = {
  key: 'ipc',
  appliesTo: (variant) => !expectsRefusal(variant),
  sentence: withOrWithout(
    hasIpc,
    'a SysV queue the parent created is invisible',
    'a SysV queue the parent created is visible',
  ),
  specIds: (variant) => (hasIpc(variant) ? ['IPC-01'] : ['CLONE-01']),
  manPage: () => 'ipc_namespaces(7); msgget(2)',
  judge: onCreated(({ variant, child }) => {
    const result = child.ops.msgget;
    const actual = result?.ok
      ? 'msgget(key, 0) found the queue'
      : `msgget(key, 0) failed with ${result?.errno ?? '(not run)'}`;
    return expectText(hasIpc(variant) ? 'msgget(key, 0) failed with ENOENT' : 'msgget(key, 0) found the queue', actual);
  }),
};
