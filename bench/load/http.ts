import { Pool } from 'undici';
import type { Recorder } from '../support/recorder.js';

/** One answer: status and parsed JSON body (null when the body was empty or not JSON). */
export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/**
 * A keep-alive connection pool to one server that times every request under
 * the route name it is filed under. Latency runs from the call (queueing in
 * the pool included: that is the wait a user sees) to the last body byte.
 */
export class TimedPool {
  private readonly pool: Pool;

  constructor(
    url: string,
    connections: number,
    private readonly recorder: Recorder,
  ) {
    this.pool = new Pool(url, { connections, pipelining: 1, headersTimeout: 120_000, bodyTimeout: 120_000, keepAliveTimeout: 60_000 });
  }

  async call<T = unknown>(route: string, method: 'GET' | 'POST', path: string, options: CallOptions = {}): Promise<Answer<T>> {
    const started = performance.now();
    try {
      const response = await this.pool.request({
        method,
        path,
        headers: { ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
      const text = await response.body.text();
      this.recorder.answered(route, response.statusCode, performance.now() - started);
      let body: unknown = null;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      return { status: response.statusCode, body: body as T };
    } catch (error) {
      // A call cut short by the end of the run is not a failure of the server.
      if (!options.signal?.aborted) this.recorder.failed(route, error);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
