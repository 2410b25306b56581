// Errors the CLI turns into one line and exit code 2: bad input, or an environment the suite cannot run in.

/** A bad argument, option, filter or path given by the user. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Something missing on this machine: the observer binary, a writable report path, /proc. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}
