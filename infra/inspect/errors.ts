/**
 * Refusals of the operator's tools, shared by concertctl and the console's
 * admin routes: the CLI prints the message (exit 1, or 2 for a usage error),
 * the HTTP routes answer 404 or 400 with it.
 */

/** A failure the operator can act on: nothing to redrive, an event that is gone. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
}

/** Options that cannot mean anything (an unknown name, filters that exclude each other), with the valid names. */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError';
}
