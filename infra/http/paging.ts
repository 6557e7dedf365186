import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Collection, Doc, Where } from '../readstore/port.js';
import { LIST_KEY } from '../readstore/position-key.js';
import { HttpProblem } from './errors.js';

/**
 * Paging for every list of API.md's "Lists and paging": the answer stays a
 * JSON array, and a `Link: <…>; rel="next"` header carries an opaque cursor
 * while more items exist. Lists are ordered by a document's list key (the
 * position of the event that created it, see listKey), which never changes
 * and only grows, so a cursor "after this key" skips and repeats nothing
 * while new items arrive.
 */

export const MAX_LIMIT = 100;

/** A cursor is the list key of the page's last item, base64url-encoded: opaque to clients, and a key is never longer than this. */
const MAX_CURSOR = 400;

/** The `limit` and `cursor` query parameters of a list whose page size defaults to `defaultLimit`. */
export const pageQuery = (defaultLimit: number) =>
  ({
    limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: defaultLimit, description: `Items per page, 1–${MAX_LIMIT}` },
    cursor: { type: 'string', minLength: 1, maxLength: MAX_CURSOR, description: 'From the `next` link of the previous page; opaque' },
  }) as const;

/** The response header a paged list documents in OpenAPI. */
export const nextLinkHeader = {
  link: {
    type: 'string',
    description: 'RFC 8288 `<path?cursor=…&limit=N>; rel="next"` (the same query otherwise) while more items exist; absent on the last page',
  },
} as const;

export interface PageQuery {
  limit?: number;
  cursor?: string;
}

export const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');

/** The list key a cursor stands for; anything this server did not hand out as a cursor is a 400. */
export function decodeCursor(cursor: string): string {
  const key = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  // Re-encoding must give the cursor back: no padding tricks, no stray bits, nothing a client made up.
  if (!LIST_KEY.test(key) || encodeCursor(key) !== cursor) throw new HttpProblem(400, 'INVALID_CURSOR', 'cursor is not one this server handed out');
  return key;
}

type Listed = Doc & { listKey: string };

export interface PageRequest<T extends Listed> {
  /** Equality on the list's owner (a user); the collection needs an index on [its fields..., 'listKey']. */
  where?: Where;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
  /**
   * A filter the store cannot express (a case-insensitive substring, the same
   * on every store): the list is read in batches until a page is full.
   */
  keep?: (doc: T) => boolean;
}

/** Documents read per look-up while filtering: a few look-ups fill a page even when few documents match. */
const SCAN_BATCH = 200;

/** One page of a list and the cursor of the next one (null on the last page). */
export async function readPage<T extends Listed>(collection: Collection<T>, request: PageRequest<T>): Promise<{ items: T[]; next: string | null }> {
  const { order, limit, keep } = request;
  let after: string | undefined = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  // A range even on the first page: a document written before list keys existed has none and stays out, rather than sorting anywhere.
  const range = (key: string | undefined) => (key === undefined ? { gte: '0' } : order === 'asc' ? { gt: key } : { lt: key });
  const want = keep ? Math.max(limit + 1, SCAN_BATCH) : limit + 1;
  const items: T[] = [];
  for (;;) {
    const batch = await collection.find({ where: { ...request.where, listKey: range(after) }, sort: [['listKey', order]], limit: want });
    for (const doc of batch) {
      if (keep && !keep(doc)) continue;
      items.push(doc);
      if (items.length > limit) break;
    }
    if (items.length > limit || batch.length < want) break;
    after = batch.at(-1)!.listKey;
  }
  const page = items.slice(0, limit);
  return { items: page, next: items.length > limit ? encodeCursor(page.at(-1)!.listKey) : null };
}

/** Sets `Link: <path?…&cursor=…&limit=N>; rel="next"`, keeping every other parameter of the request. */
export function linkNext(request: FastifyRequest, reply: FastifyReply, next: string | null, limit: number): void {
  if (next === null) return;
  const [path, search] = request.url.split('?', 2) as [string, string | undefined];
  const query = new URLSearchParams(search);
  query.set('cursor', next);
  query.set('limit', String(limit));
  reply.header('link', `<${path}?${query.toString()}>; rel="next"`);
}

/** Reads a page and links the next one: what a list route returns. */
export async function answerPage<T extends Listed>(
  request: FastifyRequest<{ Querystring: PageQuery }>,
  reply: FastifyReply,
  collection: Collection<T>,
  page: Omit<PageRequest<T>, 'limit' | 'cursor'> & { defaultLimit: number },
): Promise<T[]> {
  const limit = request.query.limit ?? page.defaultLimit;
  const { items, next } = await readPage(collection, { ...page, limit, cursor: request.query.cursor });
  linkNext(request, reply, next, limit);
  return items;
}
