import { Command } from 'commander';
import { deadLetters, blockingCancellation, redriveDelivery, type DeadLetter } from '../inspect/dead-letters.js';
import { createOutput, type Output } from './output.js';
import { withStores } from './session.js';

/** A letter's line: a reservation's as it always read; a cancellation's says so and names every seat and the reason. */
function describeLetter(letter: DeadLetter, out: Output): string {
  const head = (marker: string) =>
    `${out.color.red('DEAD')}  ${out.color.bold(letter.paymentId)}${marker}  ${out.color.dim(letter.deadLetteredAt)}  after ${letter.attempts} attempts  `;
  if (letter.kind === 'cancellation') {
    const { payload } = letter;
    return `${head(` ${out.color.yellow('cancellation')}`)}user=${payload.userId} seats=${payload.scheduleId}#${payload.seatNos.join(',')} amount=${payload.amount} reason=${payload.reason}`;
  }
  const { payload } = letter;
  return `${head('')}user=${payload.userId} seat=${payload.scheduleId}#${payload.seatNo} amount=${payload.amount}`;
}

async function list(out: Output): Promise<void> {
  await withStores(async ({ events: store }) => {
    const letters = await deadLetters(store);
    for (const letter of letters) {
      out.record(letter);
      out.line(describeLetter(letter, out));
      out.line(`      last error: ${letter.lastStatus ?? 'no answer'} ${letter.lastError ?? ''}`);
      const blocking = blockingCancellation(letter);
      if (blocking) out.line(`      refunded: its cancellation is ${blocking}, so the reservation cannot be sent again`);
    }
    out.line(letters.length === 0 ? out.color.green('no dead letters') : `${letters.length} dead letters; redrive with: dead-letters redrive <paymentId> | --all`);
  });
}

async function redrive(paymentId: string | undefined, options: { all?: boolean }, out: Output): Promise<void> {
  if ((paymentId === undefined) === !options.all) {
    out.note('name one paymentId, or --all');
    process.exitCode = 2;
    return;
  }
  await withStores(async ({ events: store }) => {
    let ids: string[];
    if (paymentId !== undefined) ids = [paymentId];
    else {
      const letters = await deadLetters(store);
      const chosen = new Set<string>();
      for (const letter of letters) {
        const blocking = blockingCancellation(letter);
        // One redrive per payment: the decider picks its dead letter (its cancellation's before its reservation's).
        if (blocking === undefined) chosen.add(letter.paymentId);
        else {
          out.record({ paymentId: letter.paymentId, redriven: false, cancellationStatus: blocking });
          out.line(`${out.color.dim('skipped')} ${letter.paymentId}: its cancellation is ${blocking}, so the reservation cannot be sent again`);
        }
      }
      ids = [...chosen];
    }
    for (const id of ids) {
      const result = await redriveDelivery(store, id, new Date(), 'concertctl');
      out.record({ paymentId: id, ...(result.kind ? { kind: result.kind } : {}), redriven: true, position: result.position, dueAt: result.dueAt });
      out.line(`${out.color.yellow('redriven')} ${id}${result.kind ? ' (its cancellation)' : ''}: due now; the dataplatform service sends it again`);
    }
    if (ids.length === 0) out.line('no dead letters to redrive');
  });
}

export function deadLettersCommand(): Command {
  const command = new Command('dead-letters')
    // `redrive … --json` is redrive's own --json, not this command's.
    .enablePositionalOptions()
    .description(
      'list deliveries the data platform refused for good (reservations, and cancellations of refunded payments), with their last error; `dead-letters redrive` sends them again',
    )
    .option('--json', 'one JSON object per dead letter')
    .action((options: { json?: boolean }) => list(createOutput(options)));
  command
    .command('redrive')
    .description('take dead-lettered deliveries back for a fresh round of attempts (the running dataplatform service makes them)')
    .argument('[paymentId]', 'the payment whose dead letter to redrive: its cancellation if that is dead-lettered, else its reservation')
    .option('--all', 'every dead letter')
    .option('--json', 'one JSON object per redrive')
    .action((paymentId: string | undefined, options: { all?: boolean; json?: boolean }) => redrive(paymentId, options, createOutput(options)));
  return command;
}
