import type { Test } from 'tap';
import { startTestSystem } from '../support/system.js';
import { buildMockDataPlatform } from '../../domains/dataplatform/mock-server.js';

/**
 * A store filled by a real run of the saga, for the CLI to read: ana queues
 * and pays (COMPLETED, delivered, her token expired), carl cannot afford it (FAILED, compensated), and
 * dora pays but the data platform refuses her delivery with a 400 (dead
 * letter) until `platformAccepts()`.
 */
export async function sagaStore(t: Test) {
  let refusing = true;
  const platform = buildMockDataPlatform();
  platform.addHook('preHandler', async (request, reply) => {
    const body = request.body as { userId?: string } | undefined;
    if (refusing && request.method === 'POST' && body?.userId === 'dora') {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'dora is not welcome here' });
    }
  });
  const system = await startTestSystem(t, { dataPlatform: platform });
  const schedule = await system.openSchedule(4, 100);

  // ana queues first, so the queue's line (a live read model) has a token in it.
  const token = await system.issueToken('ana');
  await system.settle();
  await system.charge('ana', 500);
  const happy = await system.holdAndPay(schedule, 'ana', 1);
  await system.settle();

  await system.charge('carl', 50);
  const poor = await system.holdAndPay(schedule, 'carl', 2);
  await system.settle();

  await system.charge('dora', 500);
  const refused = await system.holdAndPay(schedule, 'dora', 3);
  await system.settle();

  return {
    system,
    dataDir: system.config.dataDir,
    schedule,
    token,
    happy,
    poor,
    refused,
    platformAccepts() {
      refusing = false;
    },
  };
}
