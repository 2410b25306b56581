// nsconform env: a diagnosis in the manner of lxc-checkconfig (each kind and mode, why not, the fix), or JSON.
import { describeEnvironment, diagnose } from '../env/describe.ts';
import { probeEnvironment } from '../env/environment.ts';
import type { Options } from './args.ts';
import { withSession } from './session.ts';

export async function printEnvironment(options: Options): Promise<number> {
  const env = await withSession(options.concurrency, ({ pool }) => probeEnvironment(pool));
  if (options.jsonOutput)
    process.stdout.write(`${JSON.stringify(Object.fromEntries(describeEnvironment(env)), null, 1)}\n`);
  else process.stdout.write(diagnose(env));
  return 0;
}
