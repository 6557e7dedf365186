import { Command } from 'commander';
import { seedDemo, seedFromFile } from '../seed.js';
import { createOutput } from './output.js';
import { withStores } from './session.js';

interface SeedOptions {
  file?: string;
  json?: boolean;
}

export function seedCommand(): Command {
  return new Command('seed')
    .description('register the demo concerts (50 seats a schedule, bookings open now), or those of a file')
    .option('--file <concerts.json>', 'POST /concerts bodies: one, an array, or {concerts: [...]}')
    .option('--json', 'one JSON object per concert')
    .action(async (options: SeedOptions) => {
      const out = createOutput(options);
      await withStores(async ({ events: store }) => {
        const now = new Date();
        const { concerts } = options.file ? await seedFromFile(store, options.file, now) : await seedDemo(store, now);
        for (const concert of concerts) {
          out.record(concert);
          out.line(`${out.color.green('registered')} ${out.color.bold(concert.title)}  ${out.color.dim(`concert ${concert.concertId}`)}`);
          for (const s of concert.schedules) {
            out.line(`    schedule ${s.scheduleId}  starts ${s.startsAt}  ${s.seatCount} seats at ${s.price}  booking opens ${s.bookingOpensAt}`);
          }
        }
        out.line(`${concerts.length} concerts, ${concerts.reduce((n, c) => n + c.schedules.length, 0)} schedules`);
      });
    });
}
