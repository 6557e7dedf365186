import picocolors from 'picocolors';

export type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Where a subcommand writes: lines for people (coloured only on a terminal,
 * never when NO_COLOR is set) or, with --json, one JSON object per line for
 * scripts. Hints and progress go to stderr so stdout stays parseable.
 */
export interface Output {
  readonly json: boolean;
  readonly color: Colors;
  /** A line for people; ignored in --json mode. */
  line(text?: string): void;
  /** One JSON object per line; ignored in human mode. */
  record(value: unknown): void;
  /** A hint or an error, on stderr, in both modes. */
  note(text: string): void;
}

export function colorWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

export { toJson } from '../inspect/json.js';
import { toJson } from '../inspect/json.js';

export function createOutput(options: { json?: boolean }): Output {
  const json = options.json === true;
  const color = picocolors.createColors(!json && colorWanted(process.stdout));
  const noteColor = picocolors.createColors(colorWanted(process.stderr));
  return {
    json,
    color,
    line(text = '') {
      if (!json) process.stdout.write(`${text}\n`);
    },
    record(value) {
      if (json) process.stdout.write(`${toJson(value)}\n`);
    },
    note(text) {
      process.stderr.write(`${noteColor.dim(text)}\n`);
    },
  };
}

export { CliError, UsageError } from '../inspect/errors.js';
