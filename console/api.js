import { EventSourceParserStream } from 'eventsource-parser/stream';

/**
 * The console's one way to the server: the admin routes with the token the
 * operator signed in with, the public ones without. An error answer keeps
 * the server's code and message, which the views show as they are.
 */

const KEY = 'concert-console-token';

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.code ?? 'HTTP_ERROR';
  }
}

async function failure(response) {
  const body = await response.json().catch(() => null);
  return new ApiError(response.status, body);
}

const authorized = (headers = {}, as = token.get()) => (as ? { ...headers, authorization: `Bearer ${as}` } : headers);

export async function get(path, { as } = {}) {
  const response = await fetch(path, { headers: authorized({ accept: 'application/json' }, as) });
  if (!response.ok) throw await failure(response);
  return response.json();
}

export async function post(path) {
  const response = await fetch(path, { method: 'POST', headers: authorized({ accept: 'application/json' }) });
  if (!response.ok) throw await failure(response);
  return response.json();
}

/**
 * The live tail: GET /admin/events read as server-sent events through fetch,
 * since EventSource cannot send an Authorization header. Resolves when the
 * server ends the stream; aborting `signal` stops it.
 */
export async function follow(query, { onReady, onEvent, onSkipped }, signal) {
  const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value));
  const response = await fetch(`/admin/events?${params}`, { headers: authorized({ accept: 'text/event-stream' }), signal });
  if (!response.ok) throw await failure(response);
  const frames = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  for await (const frame of frames) {
    const data = JSON.parse(frame.data);
    if (frame.event === 'ready') onReady(data);
    else if (frame.event === 'event') onEvent(data);
    else if (frame.event === 'skipped') onSkipped(data.skipped);
  }
}
