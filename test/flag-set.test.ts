// The flag-set generator and case naming derived from the namespace table.
import test from 'ava';
import { allFlagSets, flagSetOf, makeFlagSet } from '../harness/flag-set.ts';
import { NAMESPACES } from '../harness/namespaces.ts';
import { allVariants, caseInfoOf } from '../suites/matrix/index.ts';
import { loadSuites } from '../suites/registry.ts';

const { matrixClaims: MATRIX_CLAIMS, matrix: matrixSuite } = await loadSuites();

test('the table has the eight kinds with distinct flags and /proc entries', (t) => {
  t.is(NAMESPACES.length, 8);
  t.is(new Set(NAMESPACES.map((kind) => kind.flag)).size, 8);
  t.is(new Set(NAMESPACES.map((kind) => kind.procEntry)).size, 8);
  t.is(NAMESPACES.reduce((all, kind) => all | kind.flag, 0) >>> 0, 0x7e020080);
});

test('there are 256 flag sets with unique names and flags, the empty one named none', (t) => {
  const sets = allFlagSets();
  t.is(sets.length, 256);
  t.is(new Set(sets.map((set) => set.name)).size, 256);
  t.is(new Set(sets.map((set) => set.cloneFlags)).size, 256);
  t.is(sets[0]?.name, 'none');
  t.is(sets[0]?.cloneFlags, 0);
});

test('flag-set names follow table order whatever order the kinds are given in', (t) => {
  t.is(flagSetOf(['time', 'user', 'mnt']).name, 'mnt+user+time');
  t.is(flagSetOf(['time', 'user', 'mnt']).cloneFlags, 0x10020080);
  t.is(makeFlagSet(255).name, 'mnt+uts+ipc+pid+net+user+cgroup+time');
});

test('case ids are unique, name suite › flag set › claim and end with the variant', (t) => {
  const groups = matrixSuite.groups();
  const ids = groups.flatMap((group) => group.cases.map(({ info }) => info.id));
  t.is(new Set(ids).size, ids.length);
  const first = allVariants().find(
    (variant) => variant.flagSet.name === 'pid+user' && variant.path.name === 'clone3' && variant.mode === 'root',
  );
  t.truthy(first);
  if (!first) return;
  const info = caseInfoOf(
    first,
    MATRIX_CLAIMS.find((claim) => claim.key === 'pid')!,
  );
  t.is(info.id, 'matrix › pid+user › the child is pid 1 with getppid() 0 and one more NSpid level [clone3, root]');
  t.is(info.classname, 'matrix.clone3.root');
  t.deepEqual(info.specIds, ['PID-01', 'PID-02', 'PID-04']);
});

test('the matrix has the case count the table implies', (t) => {
  // Per variant: 8 claims when a child is expected (+1 mount claim when CLONE_NEWNS is passed), 1 when refused.
  let expected = 0;
  for (const mode of ['root', 'unprivileged']) {
    for (const path of ['clone3', 'unshare', 'clone']) {
      for (const set of allFlagSets()) {
        const effective = set.kinds.filter((kind) => !(path === 'clone' && kind.name === 'time'));
        const refused =
          mode === 'unprivileged' && effective.length > 0 && !effective.some((kind) => kind.name === 'user');
        expected += refused ? 1 : 8 + (effective.some((kind) => kind.name === 'mnt') ? 1 : 0);
      }
    }
  }
  t.is(
    matrixSuite.groups().reduce((sum, group) => sum + group.cases.length, 0),
    expected,
  );
  t.is(expected, 10204);
});
