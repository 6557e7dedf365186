import type { ErrorExample } from './schemas.js';

/**
 * Answers the system gave, recorded from one run of the newcomer's journey
 * (test clock at 2030-01-01T10:00Z) and of the error cases, shown in the
 * OpenAPI document next to the schemas they are answers of. The linter checks
 * every one against its schema; test/http/errors.test.ts asks for every error
 * again through the typed client and compares it with the one here, and the
 * journey compares each success answer's shape. Lists are cut to their first
 * items.
 */

const ids = {
  concertId: 'e3ca26bd-65b8-4f9e-a988-cb930bf6ce14',
  scheduleId: '6feea67d-915b-4052-b717-4a1ef2973df7',
  tokenId: '805af20f-55e4-4f8d-857c-e0b87d8722a0',
  reservationId: 'b50814be-2dac-465b-9a2e-10ca33f9765a',
  paymentId: 'a4270168-f889-56f2-ac23-7dda97bcfea9',
} as const;

/** What a route refuses a body larger than BODY_LIMIT with, whichever route it is. */
const tooLarge: ErrorExample = { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE', error: 'Payload Too Large', message: 'Request body is too large' };

const keyReused: ErrorExample = {
  statusCode: 422,
  code: 'IDEMPOTENCY_KEY_REUSED',
  error: 'Unprocessable Entity',
  message: 'this Idempotency-Key was already used for a different request',
};

/** The Queue-Token guard's refusals, shared by every route that needs a token. */
const queueTokenRefusals: ErrorExample[] = [
  { statusCode: 401, code: 'QUEUE_TOKEN_MISSING', error: 'Unauthorized', message: 'the Queue-Token header is required' },
  { statusCode: 401, code: 'QUEUE_TOKEN_INVALID', error: 'Unauthorized', message: 'the queue token is forged, altered or malformed' },
  { statusCode: 401, code: 'QUEUE_TOKEN_UNKNOWN', error: 'Unauthorized', message: 'no such queue token was issued' },
];

const notActive: ErrorExample = {
  statusCode: 403,
  code: 'QUEUE_TOKEN_NOT_ACTIVE',
  error: 'Forbidden',
  message: 'the queue token is still waiting in line; only an ACTIVE token may do this',
};

/** A lookup whose read model did not catch up within READ_YOUR_WRITES_MS (its projector restarting, say): it cannot say "unknown". */
const behind = (model: string): ErrorExample => ({
  statusCode: 503,
  code: 'READ_MODEL_BEHIND',
  error: 'Service Unavailable',
  message: `the ${model} read model is behind the latest writes; try again`,
});

/**
 * The user-token guard's refusals, shared by every route that names a user
 * (only with USER_JWT_SECRET or USER_JWKS_URL set); the owner is ana.
 */
const userTokenRefusals: ErrorExample[] = [
  { statusCode: 401, code: 'USER_TOKEN_REQUIRED', error: 'Unauthorized', message: 'this route needs Authorization: Bearer <user token>' },
  { statusCode: 401, code: 'USER_TOKEN_INVALID', error: 'Unauthorized', message: 'the user token is forged, altered, malformed or not yet valid' },
  { statusCode: 401, code: 'USER_TOKEN_EXPIRED', error: 'Unauthorized', message: 'the user token has expired' },
  { statusCode: 403, code: 'NOT_OWNER', error: 'Forbidden', message: "the user token is not ana's" },
  { statusCode: 503, code: 'IDENTITY_UNAVAILABLE', error: 'Service Unavailable', message: 'the user token cannot be checked now; try again' },
];

const badCursor: ErrorExample = { statusCode: 400, code: 'INVALID_CURSOR', error: 'Bad Request', message: 'cursor is not one this server handed out' };

/** The admin guard's refusals, shared by every admin route. */
const adminRefusals: ErrorExample[] = [
  { statusCode: 401, code: 'ADMIN_TOKEN_REQUIRED', error: 'Unauthorized', message: 'this route needs Authorization: Bearer <admin token>' },
  { statusCode: 401, code: 'ADMIN_TOKEN_INVALID', error: 'Unauthorized', message: 'the admin token is wrong' },
];

const invalid = (message: string): ErrorExample => ({ statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message });

export const examples = {
  registerConcert: {
    request: {
      title: 'Spring Gala',
      schedules: [{ startsAt: '2030-06-01T19:00:00.000Z', bookingOpensAt: '2030-01-01T09:00:00.000Z', seatCount: 2, price: 100 }],
    },
    response: {
      concertId: ids.concertId,
      title: 'Spring Gala',
      schedules: [{ scheduleId: ids.scheduleId, startsAt: '2030-06-01T19:00:00.000Z', bookingOpensAt: '2030-01-01T09:00:00.000Z', seatCount: 2, price: 100 }],
    },
    errors: [
      invalid("body must have required property 'title'"),
      ...adminRefusals,
      tooLarge,
      keyReused,
    ],
  },
  listConcerts: {
    response: [{ concertId: ids.concertId, title: 'Spring Gala', scheduleCount: 1 }],
    errors: [invalid('querystring must NOT have additional properties'), badCursor],
  },
  listSchedules: {
    response: [
      {
        scheduleId: ids.scheduleId,
        concertId: ids.concertId,
        startsAt: '2030-06-01T19:00:00.000Z',
        bookingOpensAt: '2030-01-01T09:00:00.000Z',
        totalSeats: 2,
        availableSeats: 2,
        soldOut: false,
        price: 100,
        status: 'OPEN',
        refundsPending: 0,
      },
    ],
    errors: [
      invalid('params/concertId must NOT have more than 128 characters'),
      { statusCode: 404, code: 'CONCERT_NOT_FOUND', error: 'Not Found', message: 'no concert nope' },
      behind('concerts'),
    ],
  },
  getSchedule: {
    response: {
      scheduleId: ids.scheduleId,
      concertId: ids.concertId,
      startsAt: '2030-06-01T19:00:00.000Z',
      bookingOpensAt: '2030-01-01T09:00:00.000Z',
      totalSeats: 2,
      availableSeats: 0,
      soldOut: false,
      price: 100,
      status: 'CANCELLING',
      refundsPending: 1,
    },
    errors: [
      invalid('params/scheduleId must NOT have more than 128 characters'),
      { statusCode: 404, code: 'SCHEDULE_NOT_FOUND', error: 'Not Found', message: 'no schedule nope' },
      behind('schedules'),
    ],
  },
  cancelSchedule: {
    response: { scheduleId: ids.scheduleId, status: 'CANCELLING' },
    errors: [
      invalid('params/scheduleId must NOT have more than 128 characters'),
      ...adminRefusals,
      { statusCode: 404, code: 'SCHEDULE_NOT_FOUND', error: 'Not Found', message: 'no schedule nope' },
      behind('schedules'),
    ],
  },
  listSeats: {
    response: [
      { seatNo: 1, price: 100, status: 'AVAILABLE' },
      { seatNo: 2, price: 100, status: 'AVAILABLE' },
    ],
    errors: [
      invalid('params/scheduleId must NOT have more than 128 characters'),
      { statusCode: 404, code: 'SCHEDULE_NOT_FOUND', error: 'Not Found', message: 'no schedule nope' },
      behind('schedules'),
    ],
  },
  issueQueueToken: {
    request: { userId: 'ana' },
    response: {
      tokenId: ids.tokenId,
      userId: 'ana',
      status: 'WAITING',
      position: 1,
      token: 'WyI4MDVhZjIwZi01NWU0LTRmOGQtODU3Yy1lMGI4N2Q4NzIyYTAiLCJhbmEiXQ.KjKtSHXxaEbb-dhA5WInH3VgzbU1cMT7SyUZXLTIijE',
    },
    // No 422: keys are kept per user and the body is only the user, so a key can never come back with another body.
    errors: [invalid('body/userId must match pattern "^[A-Za-z0-9._@-]+$"'), tooLarge, ...userTokenRefusals],
  },
  getCurrentQueueToken: {
    response: { tokenId: ids.tokenId, userId: 'ana', status: 'ACTIVE', position: 0, etaMs: 0, expiresAt: '2030-01-01T10:10:00.000Z' },
    errors: queueTokenRefusals,
  },
  holdSeat: {
    request: { scheduleId: ids.scheduleId, seatNo: 1 },
    response: {
      reservationId: ids.reservationId,
      scheduleId: ids.scheduleId,
      seatNo: 1,
      seatNos: [1],
      price: 100,
      amount: 100,
      userId: 'ana',
      status: 'HELD',
      expiresAt: '2030-01-01T10:05:00.000Z',
    },
    errors: [
      invalid('body/seatNo must be >= 1'),
      ...queueTokenRefusals,
      notActive,
      { statusCode: 404, code: 'SCHEDULE_NOT_FOUND', error: 'Not Found', message: 'no schedule nope' },
      { statusCode: 404, code: 'SEAT_NOT_FOUND', error: 'Not Found', message: `schedule ${ids.scheduleId} has seats 1 to 3` },
      {
        statusCode: 409,
        code: 'SEAT_UNAVAILABLE',
        error: 'Conflict',
        message: `seat(s) 1 of schedule ${ids.scheduleId} are not available`,
        unavailable: [1],
      },
      { statusCode: 409, code: 'SEAT_LIMIT', error: 'Conflict', message: `ana has 4 seat(s) of schedule ${ids.scheduleId}; at most 4 per user` },
      { statusCode: 409, code: 'SCHEDULE_CANCELLED', error: 'Conflict', message: `schedule ${ids.scheduleId} is cancelled` },
      { statusCode: 409, code: 'BOOKING_NOT_OPEN', error: 'Conflict', message: `booking for schedule ${ids.scheduleId} opens at 2030-01-02T09:00:00.000Z` },
      { statusCode: 409, code: 'BOOKING_CLOSED', error: 'Conflict', message: `schedule ${ids.scheduleId} started at 2030-01-01T09:30:00.000Z` },
      tooLarge,
      keyReused,
      behind('schedules'),
    ],
  },
  getReservation: {
    response: {
      reservationId: ids.reservationId,
      scheduleId: ids.scheduleId,
      seatNo: 1,
      seatNos: [1],
      price: 100,
      amount: 100,
      userId: 'ana',
      status: 'RESERVED',
      expiresAt: '2030-01-01T10:05:00.000Z',
      paymentId: ids.paymentId,
    },
    errors: [
      invalid('params/reservationId must NOT have more than 128 characters'),
      { statusCode: 404, code: 'RESERVATION_NOT_FOUND', error: 'Not Found', message: 'no reservation nope' },
      behind('reservations'),
      ...userTokenRefusals,
    ],
  },
  cancelReservation: {
    request: { userId: 'ana' },
    // Its other success answer: a hold, released at once (200); `response` is a paid one's (202).
    released: { reservationId: ids.reservationId, status: 'RELEASED' },
    response: { reservationId: ids.reservationId, paymentId: ids.paymentId, status: 'CANCELLING' },
    errors: [
      invalid("body must have required property 'userId'"),
      { statusCode: 404, code: 'RESERVATION_NOT_FOUND', error: 'Not Found', message: 'no reservation nope' },
      { statusCode: 409, code: 'CANCELLATION_CLOSED', error: 'Conflict', message: 'cancellations closed at 2030-01-01T09:30:00.000Z' },
      { statusCode: 409, code: 'PAYMENT_IN_PROGRESS', error: 'Conflict', message: `payment ${ids.paymentId} is still pending` },
      { statusCode: 409, code: 'NOT_CANCELLABLE', error: 'Conflict', message: `reservation ${ids.reservationId} is RELEASED` },
      tooLarge,
      // No 422: keys are kept per user and the body is only the user, so a key can never come back with another body.
      behind('reservations'),
      ...userTokenRefusals,
    ],
  },
  listUserReservations: {
    response: [
      {
        reservationId: ids.reservationId,
        scheduleId: ids.scheduleId,
        concertId: ids.concertId,
        title: 'Spring Gala',
        seatNos: [1],
        amount: 100,
        status: 'RESERVED',
        paymentId: ids.paymentId,
        updatedAt: '2030-01-01T10:00:00.000Z',
      },
    ],
    errors: [invalid('querystring/limit must be <= 100'), badCursor, ...userTokenRefusals],
  },
  chargePoints: {
    request: { amount: 500 },
    response: { userId: 'ana', balance: 500 },
    errors: [invalid('body/amount must be >= 1'), tooLarge, keyReused, ...userTokenRefusals],
  },
  getPointBalance: {
    response: { userId: 'ana', balance: 400 },
    errors: [invalid('params/userId must match pattern "^[A-Za-z0-9._@-]+$"'), ...userTokenRefusals],
  },
  listPointHistory: {
    response: [
      { kind: 'DEBIT', amount: 100, balanceAfter: 400, paymentId: ids.paymentId, at: '2030-01-01T10:00:00.000Z' },
      { kind: 'CHARGE', amount: 500, balanceAfter: 500, at: '2030-01-01T10:00:00.000Z' },
    ],
    errors: [invalid('querystring/limit must be >= 1'), badCursor, ...userTokenRefusals],
  },
  requestPayment: {
    request: { reservationId: ids.reservationId },
    response: { paymentId: ids.paymentId, reservationId: ids.reservationId, status: 'PENDING' },
    errors: [
      invalid("body must have required property 'reservationId'"),
      ...queueTokenRefusals,
      { statusCode: 403, code: 'NOT_HOLDER', error: 'Forbidden', message: `reservation ${ids.reservationId} is not held by ben` },
      notActive,
      { statusCode: 404, code: 'RESERVATION_NOT_FOUND', error: 'Not Found', message: 'no reservation nope' },
      tooLarge,
      keyReused,
      behind('reservations'),
    ],
  },
  getPayment: {
    response: {
      paymentId: ids.paymentId,
      reservationId: ids.reservationId,
      userId: 'ana',
      amount: 100,
      status: 'COMPLETED',
      requestedAt: '2030-01-01T10:00:00.000Z',
      scheduleId: ids.scheduleId,
      seatNo: 1,
      deadlineAt: '2030-01-01T10:00:30.000Z',
      completedAt: '2030-01-01T10:00:00.000Z',
    },
    errors: [
      invalid('querystring/waitMs must be <= 30000'),
      { statusCode: 404, code: 'PAYMENT_NOT_FOUND', error: 'Not Found', message: 'no payment nope' },
      behind('payments'),
      ...userTokenRefusals,
    ],
  },
  tracePayment: {
    response: [
      {
        position: '6',
        eventId: '6339f92f-743e-4e22-aff3-ec4352920be7',
        streamId: `seat-${ids.scheduleId}_1`,
        revision: 0,
        type: 'SeatHeld',
        created: '2030-01-01T10:00:00.000Z',
        causationId: null,
        data: {
          reservationId: ids.reservationId,
          scheduleId: ids.scheduleId,
          seatNo: 1,
          userId: 'ana',
          price: 100,
          heldAt: '2030-01-01T10:00:00.000Z',
          expiresAt: '2030-01-01T10:05:00.000Z',
        },
        metadata: { correlationId: ids.reservationId },
      },
      {
        position: '8',
        eventId: 'fe3dc5a2-82b4-4810-aecf-1fc1da17e82c',
        streamId: `payment-${ids.paymentId}`,
        revision: 0,
        type: 'PaymentRequested',
        created: '2030-01-01T10:00:00.000Z',
        causationId: null,
        data: {
          paymentId: ids.paymentId,
          reservationId: ids.reservationId,
          userId: 'ana',
          concertId: ids.concertId,
          scheduleId: ids.scheduleId,
          seatNo: 1,
          amount: 100,
          requestedAt: '2030-01-01T10:00:00.000Z',
          deadlineAt: '2030-01-01T10:00:30.000Z',
        },
        metadata: { correlationId: ids.paymentId },
      },
      {
        position: '9',
        eventId: '3083ea16-43c7-558a-8552-145475c29bfc',
        streamId: `seat-${ids.scheduleId}_1`,
        revision: 1,
        type: 'SeatReserved',
        created: '2030-01-01T10:00:00.000Z',
        causationId: 'fe3dc5a2-82b4-4810-aecf-1fc1da17e82c',
        data: {
          paymentId: ids.paymentId,
          reservationId: ids.reservationId,
          userId: 'ana',
          concertId: ids.concertId,
          scheduleId: ids.scheduleId,
          seatNo: 1,
          amount: 100,
          reservedAt: '2030-01-01T10:00:00.000Z',
        },
        metadata: { correlationId: ids.paymentId, causationId: 'fe3dc5a2-82b4-4810-aecf-1fc1da17e82c' },
      },
    ],
    errors: [
      invalid('params/paymentId must NOT have more than 128 characters'),
      { statusCode: 404, code: 'PAYMENT_NOT_FOUND', error: 'Not Found', message: 'no payment nope' },
      behind('saga-traces'),
      ...userTokenRefusals,
    ],
  },
  listSoldOut: {
    response: [
      {
        rank: 1,
        scheduleId: ids.scheduleId,
        concertId: ids.concertId,
        title: 'Spring Gala',
        bookingOpenedAt: '2030-01-01T09:00:00.000Z',
        soldOutAt: '2030-01-01T10:00:00.000Z',
        durationMs: 3_600_000,
      },
    ],
    errors: [invalid('querystring/limit must be >= 1')],
  },
  getHealth: {
    response: {
      status: 'ok',
      eventStore: { kind: 'sqlite', ok: true },
      readStore: { kind: 'sqlite', ok: true },
      projections: [
        { name: 'concerts', kind: 'read-model', position: '28', head: '28', behind: false, lag: 0, lagUnit: 'events' },
        { name: 'schedules', kind: 'read-model', position: '28', head: '28', behind: false, lag: 0, lagUnit: 'events' },
      ],
      parked: 0,
      pid: 48213,
    },
    errors: [invalid('querystring must NOT have additional properties')],
  },
  getMetrics: {
    errors: [invalid('querystring must NOT have additional properties')],
  },
  tailEvents: {
    errors: [
      invalid('querystring/from must match pattern "^(start|end|[0-9]{1,40})$"'),
      {
        statusCode: 400,
        code: 'INVALID_FILTER',
        error: 'Bad Request',
        message:
          'category reservation: no such stream category (reservation is a service; its streams are seat-…); the categories are: concert, seat, holdings, payment, points, queue, admission, ranking, delivery, parked',
      },
      ...adminRefusals,
    ],
  },
  findSagas: {
    response: [
      {
        paymentId: '892ad14c-473e-532f-b294-8e88998ed6a9',
        reservationId: '96bdacf3-7483-43f0-963d-3351059d8875',
        userId: 'ana',
        status: 'FAILED',
        requestedAt: '2030-01-01T10:00:00.000Z',
        scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
        seatNo: 1,
        amount: 100
      }
    ],
    errors: [invalid("querystring must have required property 'q'"), ...adminRefusals],
  },
  traceSaga: {
    response: {
      id: '892ad14c-473e-532f-b294-8e88998ed6a9',
      ref: {
        reservationId: '96bdacf3-7483-43f0-963d-3351059d8875',
        userId: 'ana',
        scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
        seatNo: 1,
        paymentId: '892ad14c-473e-532f-b294-8e88998ed6a9',
        concertId: '49f14587-1a90-4d70-bfa1-702f2f83ea83',
        amount: 100
      },
      outcome: {
        status: 'FAILED',
        compensations: [
          'SeatReleased'
        ],
        reason: 'INSUFFICIENT_BALANCE',
        at: '2030-01-01T10:00:00.000Z'
      },
      durationMs: 0,
      events: [
        {
          position: '6',
          streamId: 'payment-892ad14c-473e-532f-b294-8e88998ed6a9',
          revision: 0,
          type: 'PaymentRequested',
          created: '2030-01-01T10:00:00.000Z',
          id: '512f934f-f904-410c-bad9-71987404badf',
          data: {
            paymentId: '892ad14c-473e-532f-b294-8e88998ed6a9',
            reservationId: '96bdacf3-7483-43f0-963d-3351059d8875',
            userId: 'ana',
            concertId: '49f14587-1a90-4d70-bfa1-702f2f83ea83',
            scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
            seatNo: 1,
            amount: 100,
            requestedAt: '2030-01-01T10:00:00.000Z',
            deadlineAt: '2030-01-01T10:00:30.000Z'
          },
          metadata: {
            correlationId: '892ad14c-473e-532f-b294-8e88998ed6a9'
          },
          service: 'payment',
          parentId: null,
          cause: 'request',
          viaTimer: false,
          depth: 0,
          sinceMs: 0,
          compensation: false
        },
        {
          position: '9',
          streamId: 'payment-892ad14c-473e-532f-b294-8e88998ed6a9',
          revision: 1,
          type: 'PaymentFailed',
          created: '2030-01-01T10:00:00.000Z',
          id: 'ade799fe-01d1-51fc-936f-0f86106af7b5',
          data: {
            paymentId: '892ad14c-473e-532f-b294-8e88998ed6a9',
            reservationId: '96bdacf3-7483-43f0-963d-3351059d8875',
            userId: 'ana',
            concertId: '49f14587-1a90-4d70-bfa1-702f2f83ea83',
            scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
            seatNo: 1,
            amount: 100,
            reason: 'INSUFFICIENT_BALANCE',
            requestedAt: '2030-01-01T10:00:00.000Z',
            failedAt: '2030-01-01T10:00:00.000Z'
          },
          metadata: {
            correlationId: '892ad14c-473e-532f-b294-8e88998ed6a9',
            causationId: '257a1f86-f39e-5782-99a1-ae2654efeea5'
          },
          service: 'payment',
          parentId: '257a1f86-f39e-5782-99a1-ae2654efeea5',
          cause: 'event',
          viaTimer: false,
          depth: 3,
          sinceMs: 0,
          compensation: false
        },
        {
          position: '10',
          streamId: 'seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_1',
          revision: 2,
          type: 'SeatReleased',
          created: '2030-01-01T10:00:00.000Z',
          id: '73872de5-a545-568e-9285-0ed68e093236',
          data: {
            paymentId: '892ad14c-473e-532f-b294-8e88998ed6a9',
            reservationId: '96bdacf3-7483-43f0-963d-3351059d8875',
            userId: 'ana',
            concertId: '49f14587-1a90-4d70-bfa1-702f2f83ea83',
            scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
            seatNo: 1,
            amount: 100,
            reason: 'INSUFFICIENT_BALANCE',
            releasedAt: '2030-01-01T10:00:00.000Z'
          },
          metadata: {
            correlationId: '892ad14c-473e-532f-b294-8e88998ed6a9',
            causationId: '257a1f86-f39e-5782-99a1-ae2654efeea5'
          },
          service: 'reservation',
          parentId: '257a1f86-f39e-5782-99a1-ae2654efeea5',
          cause: 'event',
          viaTimer: false,
          depth: 3,
          sinceMs: 0,
          compensation: true
        }
      ]
    },
    errors: [
      invalid('params/id must NOT have more than 128 characters'),
      { statusCode: 404, code: 'SAGA_NOT_FOUND', error: 'Not Found', message: 'no events for nope: not a paymentId, reservationId or correlationId in this store' },
      ...adminRefusals,
    ],
  },
  foldStream: {
    response: {
      streamId: 'seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_1',
      revision: 1,
      of: 2,
      state: {
        status: 'RESERVED',
        holder: {
          reservationId: '96bdacf3-7483-43f0-963d-3351059d8875',
          scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
          seatNo: 1,
          userId: 'ana',
          price: 100,
          expiresAt: '2030-01-01T10:05:00.000Z'
        },
        reservedFor: '892ad14c-473e-532f-b294-8e88998ed6a9',
        expired: [],
        confirmed: [
          '892ad14c-473e-532f-b294-8e88998ed6a9'
        ],
        rejected: [],
        released: []
      },
      events: [
        {
          position: '5',
          streamId: 'seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_1',
          revision: 0,
          type: 'SeatHeld',
          created: '2030-01-01T10:00:00.000Z',
          id: 'a64fa2f4-0ee5-49e8-8f7d-07c9d7ce69bb',
          data: {
            reservationId: '96bdacf3-7483-43f0-963d-3351059d8875',
            scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
            seatNo: 1,
            userId: 'ana',
            price: 100,
            heldAt: '2030-01-01T10:00:00.000Z',
            expiresAt: '2030-01-01T10:05:00.000Z'
          },
          metadata: {
            correlationId: '96bdacf3-7483-43f0-963d-3351059d8875'
          }
        },
        {
          position: '7',
          streamId: 'seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_1',
          revision: 1,
          type: 'SeatReserved',
          created: '2030-01-01T10:00:00.000Z',
          id: '9b472442-ddcb-5767-81c9-bab358379f4e',
          data: {
            paymentId: '892ad14c-473e-532f-b294-8e88998ed6a9',
            reservationId: '96bdacf3-7483-43f0-963d-3351059d8875',
            userId: 'ana',
            concertId: '49f14587-1a90-4d70-bfa1-702f2f83ea83',
            scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
            seatNo: 1,
            amount: 100,
            reservedAt: '2030-01-01T10:00:00.000Z'
          },
          metadata: {
            correlationId: '892ad14c-473e-532f-b294-8e88998ed6a9',
            causationId: '512f934f-f904-410c-bad9-71987404badf'
          }
        }
      ]
    },
    errors: [
      invalid('querystring/toRevision must match pattern "^[0-9]{1,9}$"'),
      { statusCode: 404, code: 'STREAM_NOT_FOUND', error: 'Not Found', message: 'seat-nope: no such stream' },
      ...adminRefusals,
    ],
  },
  listDeadLetters: {
    response: [
      {
        paymentId: 'e3a172ae-4d7a-57ab-9436-82bc0c800d3a',
        payload: {
          paymentId: 'e3a172ae-4d7a-57ab-9436-82bc0c800d3a',
          reservationId: '24cd38e5-a9e2-47d6-ac9c-a9a408f46cc0',
          userId: 'ben',
          concertId: '49f14587-1a90-4d70-bfa1-702f2f83ea83',
          scheduleId: '8e194847-2a1d-4eab-a628-f376fb8e1fe6',
          seatNo: 2,
          amount: 100,
          paidAt: '2030-01-01T10:00:00.000Z'
        },
        attempts: 1,
        lastStatus: 400,
        lastError: 'HTTP 400: {"message":"schema mismatch"}',
        deadLetteredAt: '2030-01-01T10:00:00.000Z'
      }
    ],
    errors: [invalid('querystring must NOT have additional properties'), ...adminRefusals],
  },
  redriveDeadLetter: {
    response: {
      paymentId: 'e3a172ae-4d7a-57ab-9436-82bc0c800d3a',
      dueAt: '2030-01-01T10:02:00.000Z'
    },
    errors: [
      invalid('params/paymentId must NOT have more than 128 characters'),
      { statusCode: 404, code: 'DELIVERY_NOT_FOUND', error: 'Not Found', message: 'no delivery for this payment' },
      { statusCode: 409, code: 'NOT_DEAD_LETTERED', error: 'Conflict', message: `delivery ${ids.paymentId} is SUCCEEDED, not dead-lettered` },
      {
        statusCode: 409,
        code: 'CANCELLATION_SENT',
        error: 'Conflict',
        message: `delivery ${ids.paymentId} was refunded and its cancellation is under way or sent: the reservation cannot follow its own cancellation`,
      },
      ...adminRefusals,
    ],
  },
  listParked: {
    response: [
      {
        service: 'point',
        eventId: 'eb52754c-d666-5c3d-82e2-cef304fc55e1',
        eventType: 'SeatReserved',
        streamId: 'seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_2',
        position: '14',
        handler: 'point.debitOnSeatReserved',
        attempts: 5,
        error: 'Error: wallet unreachable',
        parkedAt: '2030-01-01T10:02:00.000Z'
      }
    ],
    errors: [invalid('querystring must NOT have additional properties'), ...adminRefusals],
  },
  redriveParked: {
    response: [
      {
        eventId: 'eb52754c-d666-5c3d-82e2-cef304fc55e1',
        handler: 'point.debitOnSeatReserved',
        outcome: 'handled',
        redrivenAt: '2030-01-01T10:02:00.000Z'
      }
    ],
    errors: [
      invalid('params/eventId must NOT have more than 128 characters'),
      { statusCode: 404, code: 'PARKED_EVENT_NOT_FOUND', error: 'Not Found', message: 'no parked event nope (already redriven, or never parked)' },
      { statusCode: 409, code: 'CANNOT_REDRIVE', error: 'Conflict', message: 'point has no reaction named point.retired any more; nothing to redrive it with' },
      ...adminRefusals,
    ],
  },
} as const satisfies Record<string, { request?: object; response?: object; released?: object; errors: readonly ErrorExample[] }>;
