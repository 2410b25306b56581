// Kernel health: a new taint flag or a kernel WARNING/BUG/oops line during the run fails a kernel-health case.
import test from 'ava';
import { judgeHealth, judgeLog, judgeTaint, takeHealthSnapshot } from '../harness/health/kernel-health.ts';
import { parseRecord, readKmsg, type KmsgReading, type KmsgRecord } from '../harness/health/kmsg.ts';
import { describeTaint, readTaint, type TaintReading } from '../harness/health/taint.ts';

const IS_ROOT = process.geteuid?.() === 0;
const taint = (mask: number): TaintReading => ({ ok: true, mask: BigInt(mask) });
const log = (...records: KmsgRecord[]): KmsgReading => ({ ok: true, records });
const kernel = (seq: number, text: string): KmsgRecord => ({ seq, facility: 0, text });

test('kmsg records parse into sequence number, facility and message', (t) => {
  t.deepEqual(
    parseRecord('4,1234,5678901,-;WARNING: CPU: 1 PID: 42 at kernel/nsproxy.c:100 foo+0x1/0x2\n SUBSYSTEM=cpu\n'),
    { seq: 1234, facility: 0, text: 'WARNING: CPU: 1 PID: 42 at kernel/nsproxy.c:100 foo+0x1/0x2' },
  );
  t.is(parseRecord('14,7,1,-;systemd: hello')?.facility, 1);
  t.is(parseRecord('garbage'), null);
});

test('taint: a flag gained during the run fails with its letter; unchanged passes; unreadable skips with the reason', (t) => {
  t.is(judgeTaint(taint(1), taint(1), 0).outcome.status, 'pass');
  const failed = judgeTaint(taint(0), taint(512 + 128), 0).outcome;
  t.is(failed.status, 'fail');
  t.regex(
    failed.status === 'fail' ? failed.actual : '',
    /^new taint D \(kernel died recently \(OOPS or BUG\)\), W \(kernel issued a warning\) \(0 → 640\)$/,
  );
  t.is(judgeTaint(taint(4096), taint(0), 0).outcome.status, 'pass', 'a flag that went away is no new taint');
  const skipped = judgeTaint(
    { ok: false, reason: 'cannot read /proc/sys/kernel/tainted: ENOENT' },
    taint(0),
    0,
  ).outcome;
  t.deepEqual(skipped, { status: 'skip', reason: 'cannot read /proc/sys/kernel/tainted: ENOENT: taint not checked' });
  t.is(describeTaint(1n << 30n), 'bit 30');
});

test('log: only kernel lines after the run began that look like a splat fail the case, and they are carried', (t) => {
  const before = takeHealthSnapshot(
    () => taint(0),
    () => log(kernel(9, 'BUG: an old one'), kernel(10, 'boot done')),
  );
  t.is(before.lastSeq, 10);
  const after = log(
    kernel(9, 'BUG: an old one'),
    kernel(10, 'boot done'),
    kernel(11, 'WARNING: CPU: 0 PID: 7 at kernel/ucount.c:1 inc_ucount+0x1/0x2'),
    { seq: 12, facility: 1, text: 'WARNING: a user process wrote this' },
    kernel(13, 'eth0: link up'),
    kernel(14, 'refcount_t: underflow; use-after-free.'),
  );
  const outcome = judgeLog(before, after, 0).outcome;
  t.is(outcome.status, 'fail');
  t.is(
    outcome.status === 'fail' ? outcome.actual : '',
    '2 kernel log lines:\nWARNING: CPU: 0 PID: 7 at kernel/ucount.c:1 inc_ucount+0x1/0x2\nrefcount_t: underflow; use-after-free.',
  );
  t.is(judgeLog(before, log(kernel(11, 'eth0: link up')), 0).outcome.status, 'pass');
  const unreadable = takeHealthSnapshot(
    () => taint(0),
    () => ({ ok: false, reason: 'cannot read /dev/kmsg: EPERM (kernel.dmesg_restrict, or not root)' }),
  );
  t.deepEqual(judgeLog(unreadable, log(), 0).outcome, {
    status: 'skip',
    reason: 'cannot read /dev/kmsg: EPERM (kernel.dmesg_restrict, or not root): the kernel log was not checked',
  });
});

test('on this machine the taint file and, as root, /dev/kmsg read, and an idle moment is healthy', (t) => {
  t.true(readTaint().ok);
  t.is(readKmsg('/nonexistent/kmsg').ok, false);
  if (!IS_ROOT) {
    t.log('not root: /dev/kmsg may be refused; the reading is only checked as root');
    return;
  }
  const reading = readKmsg();
  t.true(reading.ok && reading.records.length > 0, reading.ok ? 'no records' : reading.reason);
  const before = takeHealthSnapshot();
  t.deepEqual(
    judgeHealth(before, 0).map((result) => result.outcome.status),
    ['pass', 'pass'],
  );
});

test('an unreadable kernel log says how to make it readable, not only the errno', (t) => {
  const missing = readKmsg('/nonexistent-kmsg-device');
  t.false(missing.ok);
  if (!missing.ok) t.regex(missing.reason, /^cannot read \/nonexistent-kmsg-device: ENOENT — .*--device \/dev\/kmsg/);
});
