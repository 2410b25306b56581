// The runner the guest starts: the TypeScript sources bundled once on the host, so that no guest compiles them under emulation.
import { bundleRunner } from '../../bin/runner-bundle.js';

export { RUNNER_BUNDLE as GUEST_BUNDLE, JANITOR_BUNDLE } from '../../bin/runner-bundle.js';

const FALLBACK = 'bin/nsconform.js';

/** The bundle's path relative to the project, or bin/nsconform.js (tsx in the guest) when esbuild is not at hand. */
export async function prepareGuestEntry(projectDir: string, note: (line: string) => void): Promise<string> {
  try {
    return await bundleRunner(projectDir);
  } catch (error) {
    note(
      `nsconform vm: could not bundle the runner (${(error as Error).message.split('\n')[0]}); the guest compiles the sources with tsx, which is slower`,
    );
    return FALLBACK;
  }
}
