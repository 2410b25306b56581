// Where the native observer is built, and a clear error when it is not.
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../errors.ts';

export const OBSERVER_BINARY = fileURLToPath(new URL('../../native/build/nsconform-observer', import.meta.url));

export function requireObserverBinary(path: string = OBSERVER_BINARY): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new EnvironmentError(
      `the native observer is not built (${path} is missing): run "npm install", which builds it with this machine's C compiler`,
    );
  }
  return path;
}
