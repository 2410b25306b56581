// How deep user namespaces nest, and the projid_map rules shared with uid_map — user_namespaces(7) "Nested namespaces", "Project ID mappings".
import { CLONE, expect, Script, type SpecClaim } from '../../harness/kit.ts';

const { at } = expect;
/** This kernel's deepest user namespace, counted from the initial one (spec D4; the page says 32). */
const DEEPEST = 33;

export const nestingLimit: SpecClaim = {
  key: 'nesting-limit',
  kinds: ['user'],
  claim:
    'from the initial user namespace, user namespaces nest 33 levels deep; one more by unshare or clone gives ENOSPC (man page: at most 32 levels; kernel: 33, spec D4)',
  specIds: ['USER-38'],
  manPage: 'user_namespaces(7) "Nested namespaces"; unshare(2) and clone(2) ERRORS ENOSPC',
  priv: 'U',
  // The depth of a caller below the initial namespace cannot be read from inside (spec note 3): count from there.
  needs: [{ kind: 'initial-user-ns' }],
  script: () => {
    const s = new Script();
    // unshare(CLONE_NEWUSER) and map 0 to the previous level's ids until unshare fails.
    s.op.nestuser('nest');
    s.sys('unshareMore', 'unshare', CLONE.NEWUSER);
    s.fork('cloneMore', 'clone3', CLONE.NEWUSER, () => {});
    return s;
  },
  checks: () => [
    expect.equals(at('nest', 'stage'), 'unshare', 'every level created was mapped'),
    expect.equals(at('nest', 'deepest'), DEEPEST, 'levels created below the initial namespace'),
    expect.equals(at('nest', 'stop'), 'ENOSPC'),
    expect.errno('unshareMore', 'ENOSPC'),
    expect.errno('cloneMore', 'ENOSPC', 'clone(CLONE_NEWUSER) at the limit'),
  ],
};

/** How many levels the second process makes before it starts counting. */
const HEAD_START = 5;

export const nestingIsAbsoluteDepth: SpecClaim = {
  key: 'nesting-relative',
  kinds: ['user'],
  claim:
    'the user-namespace nesting limit counts depth from the initial namespace: a process 5 levels further down reaches ENOSPC at the same depth, after 5 fewer namespaces',
  specIds: ['USER-38'],
  manPage: 'user_namespaces(7) "Nested namespaces"',
  priv: 'U',
  script: () => {
    const s = new Script();
    s.fork('upper', 'clone3', 0, (c) => {
      c.op.nestuser('fromHere');
    });
    s.wait('upperExit', 'upper');
    s.fork('lower', 'clone3', 0, (c) => {
      c.op.nestuser('fromBelow', HEAD_START);
    });
    s.wait('lowerExit', 'lower');
    return s;
  },
  checks: () => [
    expect.equals(at('fromHere', 'stop'), 'ENOSPC'),
    expect.equals(at('fromBelow', 'stop'), 'ENOSPC'),
    expect.equals(at('fromBelow', 'pre'), HEAD_START),
    expect.same(
      at('fromHere', 'deepest'),
      at('fromBelow', 'deepest'),
      'the same deepest level, counted from the caller',
    ),
    expect.compare(at('fromBelow', 'created'), '<', at('fromHere', 'created')),
  ],
};

const PROJID_MAP = '/proc/self/projid_map';

export const projidMapRules: SpecClaim = {
  key: 'projid-map-rules',
  kinds: ['user'],
  claim:
    'projid_map follows the uid_map rules: empty at first, EINVAL for a zero length, a non-numeric field or overlapping ranges, written once (EPERM after), and writable from the parent namespace but not from the grandparent (EPERM)',
  specIds: ['USER-31'],
  manPage: 'user_namespaces(7) "Project ID mappings"',
  priv: 'U',
  script: (who) => {
    const s = new Script();
    s.becomeRoot('p', who);
    s.read('empty', PROJID_MAP);
    s.write('zeroLength', PROJID_MAP, '0 0 0');
    s.write('nonNumeric', PROJID_MAP, 'x 0 1');
    s.write('overlapping', PROJID_MAP, '0 0 2\n1 5 1');
    s.write('first', PROJID_MAP, '0 0 1');
    s.write('second', PROJID_MAP, '0 0 1');
    s.read('written', PROJID_MAP);
    s.fork('child', 'clone3', CLONE.NEWUSER, (c) => {
      // An unmapped process cannot create a user namespace: wait for this one's maps.
      c.await('childMapped', 2);
      c.fork('grandchild', 'clone3', CLONE.NEWUSER, (g) => {
        g.await('release', 1);
      });
      // Posted once the fork step stored the grandchild's pid for {grandchild}.
      c.post('ready', 0);
      c.wait('grandchildExit', 'grandchild');
    });
    s.mapIds('map', '{child}', 0, 0);
    s.post('mapped', 2);
    s.await('childReady', 0);
    s.write('fromGrandparent', '/proc/{grandchild}/projid_map', '0 0 1');
    s.write('fromParent', '/proc/{child}/projid_map', '0 0 1');
    s.read('childMap', '/proc/{child}/projid_map');
    s.post('done', 1);
    s.wait('childExit', 'child');
    return s;
  },
  checks: () => [
    expect.ok('pUidMap'),
    expect.ret('empty', 0, 'a new namespace has an empty projid_map'),
    expect.errno('zeroLength', 'EINVAL'),
    expect.errno('nonNumeric', 'EINVAL'),
    expect.errno('overlapping', 'EINVAL'),
    expect.ok('first'),
    expect.errno('second', 'EPERM', 'written once'),
    expect.matches(at('written', 'text'), /^\s*0\s+0\s+1\n$/),
    expect.ok('grandchild'),
    expect.errno('fromGrandparent', 'EPERM'),
    expect.ok('fromParent'),
    expect.matches(at('childMap', 'text'), /^\s*0\s+0\s+1\n$/),
  ],
};
