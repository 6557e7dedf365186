import { v4 as uuid } from 'uuid';
import type { EventStore } from '../../infra/eventstore/port.js';
import { handleCommand } from '../../bus/command.js';
import { queueStream, ticket } from './ticket.js';

/** A user joins the line; asking again while a token is live answers with that token. */
export async function issueToken(store: EventStore, userId: string, now: Date) {
  const tokenId = uuid();
  const result = await handleCommand(store, ticket, queueStream(userId), {
    type: 'IssueToken',
    data: { tokenId, userId, now: now.toISOString() },
  }, { metadata: { correlationId: tokenId }, service: 'queue' });
  const current = result.state.current;
  if (!current) throw new Error(`no token for ${userId} after issuing one`);
  return { ticket: current, position: result.position };
}
