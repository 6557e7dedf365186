import Fastify from 'fastify';

/** A data platform that refuses every delivery with a 400 (dead-lettered at once) until it is told to take them. */
export function switchablePlatform() {
  const platform = Fastify();
  const state = { refusing: true, received: [] as string[] };
  platform.post<{ Body: { paymentId: string } }>('/reservations', async (request, reply) => {
    if (state.refusing) return reply.code(400).send({ message: 'schema mismatch' });
    state.received.push(request.body.paymentId);
    return reply.code(201).send({ ok: true });
  });
  platform.get('/reservations', async () => state.received.map((paymentId) => ({ paymentId, attempts: 1 })));
  return { platform, state };
}
