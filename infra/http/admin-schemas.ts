import { dateTime, nullable, paymentFields } from './schemas.js';

/** The admin routes' answers, as JSON schemas: what the OpenAPI document shows and Fastify serializes by. */

export const adminSecurity = [{ admin: [] }];

export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

export const eventView = {
  type: 'object',
  required: ['position', 'streamId', 'revision', 'type', 'created', 'id', 'data', 'metadata'],
  properties: {
    position: { type: 'string', description: 'Position in $all, as a string' },
    streamId: { type: 'string' },
    revision: { type: 'integer' },
    type: { type: 'string' },
    created: dateTime,
    id: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
    metadata: {
      type: 'object',
      additionalProperties: true,
      properties: { correlationId: { type: 'string' }, causationId: { type: 'string' }, timerId: { type: 'string' } },
    },
  },
} as const;

export const sagaEvent = {
  ...eventView,
  required: [...eventView.required, 'service', 'parentId', 'cause', 'viaTimer', 'depth', 'sinceMs', 'compensation'],
  properties: {
    ...eventView.properties,
    service: { type: 'string', description: 'The service whose stream it is: its lane' },
    parentId: { ...nullable({ type: 'string' }), description: 'The event of this saga that caused it; null for a root' },
    cause: { type: 'string', enum: ['event', 'timer', 'request', 'elsewhere'], description: 'What started it: an event of the saga, a timer, a request, or an event outside the saga' },
    viaTimer: { type: 'boolean' },
    depth: { type: 'integer' },
    sinceMs: { type: 'integer', description: 'Milliseconds since its cause (or since the previous root)' },
    compensation: { type: 'boolean', description: 'It undoes a step this saga took (a seat released, points refunded)' },
  },
} as const;

export const sagaView = {
  type: 'object',
  required: ['id', 'ref', 'outcome', 'durationMs', 'events'],
  properties: {
    id: { type: 'string' },
    ref: { type: 'object', additionalProperties: true, description: 'Who, what and how much: paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount' },
    outcome: {
      type: 'object',
      required: ['status', 'compensations'],
      properties: {
        status: { type: 'string', enum: ['COMPLETED', 'FAILED', 'PENDING', 'REFUNDING', 'REFUNDED', 'UNKNOWN'] },
        reason: { type: 'string' },
        at: { type: 'string' },
        compensations: { type: 'array', items: { type: 'string' } },
        delivery: { type: 'string', description: 'The data platform delivery: PENDING, SUCCEEDED or DEAD_LETTERED (with the error)' },
      },
    },
    durationMs: { type: 'integer' },
    events: { type: 'array', items: sagaEvent, description: 'In global order' },
  },
} as const;

export const paymentSummary = {
  type: 'object',
  required: ['paymentId', 'reservationId', 'userId', 'status', 'requestedAt'],
  properties: paymentFields,
} as const;

export const foldedView = {
  type: 'object',
  required: ['streamId', 'revision', 'of', 'state', 'events'],
  properties: {
    streamId: { type: 'string' },
    revision: { type: 'integer', description: 'The last revision folded; -1 before the first' },
    of: { type: 'integer', description: "The stream's last revision" },
    state: { description: "The aggregate's state after `revision`, as its service's evolve leaves it" },
    events: { type: 'array', items: eventView, description: 'Every event of the stream, past `revision` too' },
  },
} as const;

export const deadLetterView = {
  type: 'object',
  required: ['paymentId', 'payload', 'attempts', 'lastStatus', 'lastError', 'deadLetteredAt'],
  properties: {
    paymentId: { type: 'string' },
    kind: { type: 'string', enum: ['cancellation'], description: "Present on a refunded payment's cancellation; absent on a reservation" },
    payload: { type: 'object', additionalProperties: true, description: 'What is sent to the data platform' },
    attempts: { type: 'integer' },
    cancellationStatus: {
      type: 'string',
      enum: ['WAITING', 'PENDING', 'SUCCEEDED', 'DEAD_LETTERED'],
      description: "On a refunded payment's reservation only: its cancellation's status; past WAITING the reservation cannot be redriven",
    },
    lastStatus: { ...nullable({ type: 'integer' }), description: 'The last HTTP status; null when nothing answered' },
    lastError: nullable({ type: 'string' }),
    deadLetteredAt: dateTime,
  },
} as const;

export const parkedView = {
  type: 'object',
  required: ['service', 'eventId', 'eventType', 'streamId', 'position', 'handler', 'attempts', 'error', 'parkedAt'],
  properties: {
    service: { type: 'string' },
    eventId: { type: 'string' },
    eventType: { type: 'string' },
    streamId: { type: 'string' },
    position: { type: 'string' },
    handler: { type: 'string', description: 'The reaction that gave up' },
    attempts: { type: 'integer' },
    error: { type: 'string' },
    parkedAt: dateTime,
    lastRedrive: { type: 'object', additionalProperties: true, description: 'The last redrive, which failed too' },
  },
} as const;

export const redriveOutcome = {
  type: 'object',
  required: ['eventId', 'handler', 'outcome', 'redrivenAt'],
  properties: {
    eventId: { type: 'string' },
    handler: { type: 'string' },
    outcome: { type: 'string', enum: ['handled', 'failed'] },
    error: { type: 'string' },
    redrivenAt: dateTime,
  },
} as const;
