import { Command } from 'commander';
import { deadLetters, redriveDelivery } from '../inspect/dead-letters.js';
import { createOutput, type Output } from './output.js';
import { withStores } from './session.js';

async function list(out: Output): Promise<void> {
  await withStores(async ({ events: store }) => {
    const letters = await deadLetters(store);
    for (const letter of letters) {
      out.record(letter);
      const { payload } = letter;
      out.line(
        `${out.color.red('DEAD')}  ${out.color.bold(letter.paymentId)}  ${out.color.dim(letter.deadLetteredAt)}  after ${letter.attempts} attempts  ` +
          `user=${payload.userId} seat=${payload.scheduleId}#${payload.seatNo} amount=${payload.amount}`,
      );
      out.line(`      last error: ${letter.lastStatus ?? 'no answer'} ${letter.lastError ?? ''}`);
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
    const ids = paymentId !== undefined ? [paymentId] : (await deadLetters(store)).map((letter) => letter.paymentId);
    for (const id of ids) {
      const result = await redriveDelivery(store, id, new Date(), 'concertctl');
      out.record({ paymentId: id, redriven: true, position: result.position, dueAt: result.dueAt });
      out.line(`${out.color.yellow('redriven')} ${id}: due now; the dataplatform service sends it again`);
    }
    if (ids.length === 0) out.line('no dead letters to redrive');
  });
}

export function deadLettersCommand(): Command {
  const command = new Command('dead-letters')
    // `redrive … --json` is redrive's own --json, not this command's.
    .enablePositionalOptions()
    .description('list deliveries the data platform refused for good, with their last error; `dead-letters redrive` sends them again')
    .option('--json', 'one JSON object per dead letter')
    .action((options: { json?: boolean }) => list(createOutput(options)));
  command
    .command('redrive')
    .description('take dead-lettered deliveries back for a fresh round of attempts (the running dataplatform service makes them)')
    .argument('[paymentId]', 'the payment whose delivery to redrive')
    .option('--all', 'every dead letter')
    .option('--json', 'one JSON object per redrive')
    .action((paymentId: string | undefined, options: { all?: boolean; json?: boolean }) => redrive(paymentId, options, createOutput(options)));
  return command;
}
