import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Rejection, type RejectionKind } from '../../bus/decider.js';
import { ConcurrencyExhaustedError } from '../../bus/command.js';

/**
 * A refusal decided at the HTTP edge rather than by a decider: a missing or
 * forged token, an unknown id, a booking window. Same shape on the wire.
 */
export class HttpProblem extends Error {
  override readonly name = 'HttpProblem';
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new HttpProblem(404, code, message);

const STATUS_OF: Record<RejectionKind, number> = { conflict: 409, not_found: 404, forbidden: 403, invalid: 400 };

/** Fastify's error shape: `{statusCode, code, error, message}`. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
  /** SEAT_UNAVAILABLE: which of the seats asked for are taken. */
  unavailable?: number[];
}

export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
}

/** `409 Conflict` → `CONFLICT`: a code for client errors that Fastify raised without one. */
const codeOf = (statusCode: number) => (STATUS_CODES[statusCode] ?? 'ERROR').toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/**
 * Every error becomes Fastify's shape. Domain rejections keep their code with
 * the status of their kind; Fastify's own client errors (validation, bad JSON,
 * 413, 415) keep theirs. Anything else is ours, not the client's: a 500 that
 * is logged and says nothing of its insides.
 */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof Rejection) {
    return reply.code(STATUS_OF[error.kind]).send({ ...errorBody(STATUS_OF[error.kind], error.code, error.message), ...error.details });
  }
  if (error instanceof HttpProblem) {
    return reply.code(error.statusCode).headers(error.headers).send(errorBody(error.statusCode, error.code, error.message));
  }
  if (error instanceof ConcurrencyExhaustedError) {
    // Many clients at one seat or wallet at once: the client may simply try again.
    request.log.warn({ err: error }, 'a stream stayed contended through every retry');
    return reply.code(409).send(errorBody(409, 'CONTENDED', 'too many concurrent changes to the same item; try again'));
  }
  const statusCode = (error as FastifyError).statusCode;
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    const code = (error as FastifyError).code ?? codeOf(statusCode);
    return reply.code(statusCode).send(errorBody(statusCode, code, error.message));
  }
  request.log.error({ err: error }, 'unexpected error');
  return reply.code(500).send(errorBody(500, 'INTERNAL_ERROR', 'an unexpected error occurred; it has been logged'));
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply.code(404).send(errorBody(404, 'ROUTE_NOT_FOUND', `Route ${request.method}:${request.url} not found`));
}
