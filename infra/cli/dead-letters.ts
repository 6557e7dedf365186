import { Command } from 'commander';
import type { EventStore } from '../eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import { delivery, deliveryStream, type Delivery, type DeliveryState } from '../../domains/dataplatform/delivery.js';
import type { DeliveryEvent } from '../../domains/dataplatform/events.js';
import { allEvents } from './all-events.js';
import { createOutput, type Output } from './output.js';
import { withStores } from './session.js';

/**
 * Deliveries the data platform refused for good. Read from the delivery
 * streams themselves rather than a read model, so the list is right even when
 * no API process is running to keep a model current.
 */

interface DeadLetter extends Delivery {
  deadLetteredAt: string;
}

async function deadLetters(store: EventStore): Promise<DeadLetter[]> {
  const states = new Map<string, { state: DeliveryState; deadLetteredAt: string | null }>();
  for await (const event of allEvents(store, { streamPrefixes: [`${delivery.category}-`] })) {
    const entry = states.get(event.streamId) ?? { state: delivery.initialState(), deadLetteredAt: null };
    entry.state = delivery.evolve(entry.state, { type: event.type, data: event.data } as DeliveryEvent);
    if (event.type === 'DeliveryDeadLettered') entry.deadLetteredAt = (event.data as { deadLetteredAt: string }).deadLetteredAt;
    states.set(event.streamId, entry);
  }
  return [...states.values()].flatMap(({ state, deadLetteredAt }) =>
    state.delivery?.status === 'DEAD_LETTERED' ? [{ ...state.delivery, deadLetteredAt: deadLetteredAt ?? '' }] : [],
  );
}

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
      const now = new Date().toISOString();
      // The decider refuses anything not dead-lettered, so a second redrive is a clear error, not a second round.
      const result = await handleCommand(store, delivery, deliveryStream(id), { type: 'Redrive', data: { now } }, {
        metadata: { correlationId: id, by: 'concertctl' },
      });
      out.record({ paymentId: id, redriven: true, position: result.position, dueAt: now });
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
