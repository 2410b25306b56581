// The one constants module: errno names come from node:os's table, spelled as the observer spells them.
import test from 'ava';
import { errnoName, NS_IOCTL, SIG } from '../harness/script/constants.ts';

test('errno numbers read as the names the observer writes, never an alias', (t) => {
  t.is(errnoName(1), 'EPERM');
  t.is(errnoName(25), 'ENOTTY');
  t.is(errnoName(11), 'EAGAIN');
  t.is(errnoName(95), 'EOPNOTSUPP', 'as native/src/names.c writes it, not ENOTSUP');
  t.is(errnoName(99999), 'E99999', 'a number the table lacks keeps its number');
});

test('ioctl_ns requests are _IO(0xb7, n) and signal numbers are signal(7)s', (t) => {
  t.deepEqual(Object.values(NS_IOCTL), [0xb701, 0xb702, 0xb703, 0xb704]);
  t.deepEqual([SIG.KILL, SIG.CHLD, SIG.TERM], [9, 17, 15]);
});
