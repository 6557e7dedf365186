#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { Rejection } from '../../bus/decider.js';
import { ConfigError } from '../config.js';
import { SeedFileError } from '../seed.js';
import { CliError, UsageError } from './output.js';
import { tailCommand } from './tail.js';
import { traceCommand } from './trace.js';
import { replayCommand } from './replay.js';
import { projectionsCommand } from './projections.js';
import { deadLettersCommand } from './dead-letters.js';
import { parkedCommand } from './parked.js';
import { checkCommand } from './check.js';
import { seedCommand } from './seed.js';

/**
 * concertctl: the operator's view of the event store. Every subcommand works
 * against whatever store the environment names (DATA_DIR, EVENTSTORE_URL,
 * MONGODB_URL), prints for people by default and JSON lines with --json.
 */
const program = new Command('concertctl')
  .description('operate the concert saga: follow, trace and replay events, rebuild read models, redrive failures, check invariants')
  // Subcommands own their options: `projections rebuild all --json` means rebuild's --json.
  .enablePositionalOptions()
  .showHelpAfterError()
  .addCommand(tailCommand())
  .addCommand(traceCommand())
  .addCommand(replayCommand())
  .addCommand(projectionsCommand())
  .addCommand(deadLettersCommand())
  .addCommand(parkedCommand())
  .addCommand(checkCommand())
  .addCommand(seedCommand());

// `concertctl tail | head` closes the pipe: that is the reader being done, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** `seed --file typo.json`: the operator needs the path, not a stack. */
const missingFile = (error: unknown): error is NodeJS.ErrnoException => error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
  } else if (error instanceof Rejection) {
    process.stderr.write(`concertctl: ${error.code}: ${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof UsageError) {
    process.stderr.write(`concertctl: ${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof CliError || error instanceof SeedFileError || missingFile(error)) {
    process.stderr.write(`concertctl: ${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof ConfigError) {
    process.stderr.write(`concertctl: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`concertctl: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
