// nsconform env: the probe answers, as text or JSON.
import { describeEnvironment, probeEnvironment } from '../env/environment.ts';
import type { Options } from './args.ts';
import { withSession } from './session.ts';

export async function printEnvironment(options: Options): Promise<number> {
  const env = await withSession(options.concurrency, ({ pool }) => probeEnvironment(pool));
  const entries = describeEnvironment(env);
  if (options.jsonOutput) process.stdout.write(`${JSON.stringify(Object.fromEntries(entries), null, 1)}\n`);
  else {
    const width = Math.max(...entries.map(([name]) => name.length));
    process.stdout.write(`${entries.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n')}\n`);
  }
  return 0;
}
