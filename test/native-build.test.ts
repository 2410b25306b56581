// The install step: a machine without a C compiler gets one line saying what to install; a missing observer is named.
import { spawnSync } from 'node:child_process';
import test from 'ava';
import { requireObserverBinary } from '../harness/observer/binary.ts';
import { EnvironmentError } from '../harness/errors.ts';

const BUILD = new URL('../scripts/build-native.js', import.meta.url).pathname;

test('without a compiler the build stops with one line naming what to install', (t) => {
  const result = spawnSync(process.execPath, [BUILD], { env: { PATH: '/nonexistent' }, encoding: 'utf8' });
  t.is(result.status, 1);
  t.regex(
    result.stderr,
    /^nsconform: no C compiler found \(tried cc, gcc, clang\): install one, e\.g\. "apt-get install gcc"[^\n]*\n$/,
  );
});

test('a missing observer binary is an environment error that says to run npm install', (t) => {
  t.throws(() => requireObserverBinary('/nonexistent/nsconform-observer'), {
    instanceOf: EnvironmentError,
    message: /not built .* run "npm install"/,
  });
});
