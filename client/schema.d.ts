/**
 * The HTTP API's types, generated from the OpenAPI document the server
 * serves at /docs/json. Do not edit: change the route schemas, then run
 * `npm run client:generate` (a test fails while this file is stale).
 */

export interface paths {
    "/concerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Concerts, oldest registration first; `q` keeps those whose title contains it (any case) */
        get: operations["listConcerts"];
        put?: never;
        /** Register a concert with its schedules (admin) */
        post: operations["registerConcert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schedules/{scheduleId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a schedule (admin): no more holds, holds released, pending payments failed, completed ones refunded
         * @description Answers once the schedule reads CANCELLING, so that any hold asked for after the answer is refused. A repeat answers the current status.
         */
        post: operations["cancelSchedule"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/concerts/{concertId}/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A concert's schedules with their free seats, earliest first */
        get: operations["listSchedules"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schedules/{scheduleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One schedule with its free seats, and once cancelled how far its cancellation has come */
        get: operations["getSchedule"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schedules/{scheduleId}/seats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The seat map of a schedule: every seat from 1 to its seat count */
        get: operations["listSeats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queue/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join the waiting line; asking again while the token is live gives the same token */
        post: operations["issueQueueToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/queue/tokens/current": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the token in Queue-Token stands */
        get: operations["getCurrentQueueToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reservations/{reservationId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a reservation: a hold is released at once (200); a paid one is refunded through the saga (202)
         * @description A paid reservation may be cancelled until CANCELLATION_CUTOFF_MS (86400000 ms here) before its schedule starts. A repeat answers as the first did.
         */
        post: operations["cancelReservation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hold one seat, or up to 4 of one schedule all or nothing, for HOLD_TTL_MS (300000 ms here)
         * @description Either seatNo or seatNos. A user may hold or own at most MAX_SEATS_PER_USER (4 here) seats of one schedule.
         */
        post: operations["holdSeat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reservations/{reservationId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A hold and what became of it */
        get: operations["getReservation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{userId}/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's reservations, newest hold first (empty for a user never seen) */
        get: operations["listUserReservations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{userId}/points/charge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add points; a retry with the same Idempotency-Key charges once */
        post: operations["chargePoints"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{userId}/points": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The balance (0 for a user never seen) */
        get: operations["getPointBalance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/users/{userId}/points/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every charge, debit and refund of a user's points, newest first (empty for a user never seen) */
        get: operations["listPointHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pay for a hold with points; the token must be ACTIVE and the reservation's user's
         * @description One payment per reservation: a repeat answers with the same payment (202 while PENDING, 200 once ended).
         */
        post: operations["requestPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{paymentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A payment; with waitMs, held until it ends or waitMs passes */
        get: operations["getPayment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rankings/sold-out": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Schedules that sold out, fastest first */
        get: operations["listSoldOut"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Stores reachable, how far every subscriber lags, how many events are parked */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics: requests, saga outcomes and latency, subscriber lag */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/payments/{paymentId}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The payment's saga: its events across every stream, in global order, with causation links
         * @description With user identity on, only the payment's user may read it, as with GET /payments/:paymentId.
         */
        get: operations["tracePayment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live tail: events as they are appended, as server-sent events, with the filters of concertctl tail
         * @description Frames: `ready` once the subscription stands (data: `{after}`, the position it follows from), then an `event` per event (id: its position, data: the event), and `skipped` (data: `{skipped}`) where events were dropped because the client read slower than they came (TAIL_BUFFER_EVENTS).
         */
        get: operations["tailEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/sagas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Find payments by payment id, reservation id or user id, newest first */
        get: operations["findSagas"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/sagas/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One saga as a causation tree, from the event store: what concertctl trace shows */
        get: operations["traceSaga"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/streams/{streamId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A stream's events and its aggregate's state folded up to a revision: what concertctl replay shows */
        get: operations["foldStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Deliveries the data platform refused for good (reservations, and cancellations of refunded payments), with their last error */
        get: operations["listDeadLetters"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/dead-letters/{paymentId}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Take a payment's dead letter (its cancellation's if that is dead, else its reservation's) back for a fresh round of attempts, due now (concertctl dead-letters redrive) */
        post: operations["redriveDeadLetter"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/parked": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events a reaction gave up on, minus those redriven since */
        get: operations["listParked"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/parked/{eventId}/redrive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the reactions that parked this event on it again, as their service would, and record the outcome (concertctl parked redrive) */
        post: operations["redriveParked"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listConcerts: {
        parameters: {
            query?: {
                /** @description Part of the title, any case */
                q?: string;
                /** @description Items per page, 1–100 */
                limit?: number;
                /** @description From the `next` link of the previous page; opaque */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description RFC 8288 `<path?cursor=…&limit=N>; rel="next"` (the same query otherwise) while more items exist; absent on the last page */
                    link?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "concertId": "e3ca26bd-65b8-4f9e-a988-cb930bf6ce14",
                     *         "title": "Spring Gala",
                     *         "scheduleCount": 1
                     *       }
                     *     ]
                     */
                    "application/json": {
                        concertId: string;
                        title: string;
                        scheduleCount: number;
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION, INVALID_CURSOR */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    registerConcert: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key get the first successful answer again */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "title": "Spring Gala",
                 *       "schedules": [
                 *         {
                 *           "startsAt": "2030-06-01T19:00:00.000Z",
                 *           "bookingOpensAt": "2030-01-01T09:00:00.000Z",
                 *           "seatCount": 2,
                 *           "price": 100
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": {
                    title: string;
                    schedules: {
                        /** Format: date-time */
                        startsAt: string;
                        /**
                         * Format: date-time
                         * @description Defaults to now; not after startsAt
                         */
                        bookingOpensAt?: string;
                        seatCount: number;
                        price: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "concertId": "e3ca26bd-65b8-4f9e-a988-cb930bf6ce14",
                     *       "title": "Spring Gala",
                     *       "schedules": [
                     *         {
                     *           "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *           "startsAt": "2030-06-01T19:00:00.000Z",
                     *           "bookingOpensAt": "2030-01-01T09:00:00.000Z",
                     *           "seatCount": 2,
                     *           "price": 100
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        concertId: string;
                        title: string;
                        schedules: {
                            scheduleId: string;
                            /** Format: date-time */
                            startsAt: string;
                            /** Format: date-time */
                            bookingOpensAt: string;
                            seatCount: number;
                            price: number;
                        }[];
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Body larger than 1 MiB. Codes: FST_ERR_CTP_BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Idempotency-Key reused with a different request. Codes: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    cancelSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *       "status": "CANCELLING"
                     *     }
                     */
                    "application/json": {
                        scheduleId: string;
                        /** @enum {string} */
                        status: "CANCELLING" | "CANCELLED";
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: SCHEDULE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    listSchedules: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                concertId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *         "concertId": "e3ca26bd-65b8-4f9e-a988-cb930bf6ce14",
                     *         "startsAt": "2030-06-01T19:00:00.000Z",
                     *         "bookingOpensAt": "2030-01-01T09:00:00.000Z",
                     *         "totalSeats": 2,
                     *         "availableSeats": 2,
                     *         "soldOut": false,
                     *         "price": 100,
                     *         "status": "OPEN",
                     *         "refundsPending": 0
                     *       }
                     *     ]
                     */
                    "application/json": {
                        scheduleId: string;
                        concertId: string;
                        /** Format: date-time */
                        startsAt: string;
                        /** Format: date-time */
                        bookingOpensAt: string;
                        totalSeats: number;
                        /** @description Seats neither held nor reserved */
                        availableSeats: number;
                        /** @description Every seat paid for */
                        soldOut: boolean;
                        price: number;
                        /**
                         * @description CANCELLING from the admin's cancel until every seat is withdrawn and every payment undone
                         * @enum {string}
                         */
                        status: "OPEN" | "CANCELLING" | "CANCELLED";
                        /** @description Refunds of completed payments the cancellation asked for and that are not done yet */
                        refundsPending: number;
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: CONCERT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    getSchedule: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *       "concertId": "e3ca26bd-65b8-4f9e-a988-cb930bf6ce14",
                     *       "startsAt": "2030-06-01T19:00:00.000Z",
                     *       "bookingOpensAt": "2030-01-01T09:00:00.000Z",
                     *       "totalSeats": 2,
                     *       "availableSeats": 0,
                     *       "soldOut": false,
                     *       "price": 100,
                     *       "status": "CANCELLING",
                     *       "refundsPending": 1
                     *     }
                     */
                    "application/json": {
                        scheduleId: string;
                        concertId: string;
                        /** Format: date-time */
                        startsAt: string;
                        /** Format: date-time */
                        bookingOpensAt: string;
                        totalSeats: number;
                        /** @description Seats neither held nor reserved */
                        availableSeats: number;
                        /** @description Every seat paid for */
                        soldOut: boolean;
                        price: number;
                        /**
                         * @description CANCELLING from the admin's cancel until every seat is withdrawn and every payment undone
                         * @enum {string}
                         */
                        status: "OPEN" | "CANCELLING" | "CANCELLED";
                        /** @description Refunds of completed payments the cancellation asked for and that are not done yet */
                        refundsPending: number;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: SCHEDULE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    listSeats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                scheduleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "seatNo": 1,
                     *         "price": 100,
                     *         "status": "AVAILABLE"
                     *       },
                     *       {
                     *         "seatNo": 2,
                     *         "price": 100,
                     *         "status": "AVAILABLE"
                     *       }
                     *     ]
                     */
                    "application/json": {
                        seatNo: number;
                        price: number;
                        /** @enum {string} */
                        status: "AVAILABLE" | "HELD" | "RESERVED";
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: SCHEDULE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    issueQueueToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key get the first successful answer again */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "userId": "ana"
                 *     }
                 */
                "application/json": {
                    userId: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "tokenId": "805af20f-55e4-4f8d-857c-e0b87d8722a0",
                     *       "userId": "ana",
                     *       "status": "WAITING",
                     *       "position": 1,
                     *       "token": "WyI4MDVhZjIwZi01NWU0LTRmOGQtODU3Yy1lMGI4N2Q4NzIyYTAiLCJhbmEiXQ.KjKtSHXxaEbb-dhA5WInH3VgzbU1cMT7SyUZXLTIijE"
                     *     }
                     */
                    "application/json": {
                        tokenId: string;
                        userId: string;
                        /** @enum {string} */
                        status: "WAITING" | "ACTIVE" | "EXPIRED";
                        /** @description Place in the waiting line (1 = admitted next); 0 when not waiting */
                        position: number;
                        /**
                         * Format: date-time
                         * @description When an ACTIVE token stops being accepted
                         */
                        expiresAt?: string;
                        token: string;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Body larger than 1 MiB. Codes: FST_ERR_CTP_BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    getCurrentQueueToken: {
        parameters: {
            query?: never;
            header?: {
                /** @description The token from POST /queue/tokens; it must be ACTIVE */
                "queue-token"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "tokenId": "805af20f-55e4-4f8d-857c-e0b87d8722a0",
                     *       "userId": "ana",
                     *       "status": "ACTIVE",
                     *       "position": 0,
                     *       "etaMs": 0,
                     *       "expiresAt": "2030-01-01T10:10:00.000Z"
                     *     }
                     */
                    "application/json": {
                        tokenId: string;
                        userId: string;
                        /** @enum {string} */
                        status: "WAITING" | "ACTIVE" | "EXPIRED";
                        /** @description Place in the waiting line (1 = admitted next); 0 when not waiting */
                        position: number;
                        /**
                         * Format: date-time
                         * @description When an ACTIVE token stops being accepted
                         */
                        expiresAt?: string;
                        /** @description Estimated wait from the recent admission rate; null when unknown */
                        etaMs: number | null;
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: QUEUE_TOKEN_MISSING, QUEUE_TOKEN_INVALID, QUEUE_TOKEN_UNKNOWN */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    cancelReservation: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key get the first successful answer again */
                "idempotency-key"?: string;
            };
            path: {
                reservationId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "userId": "ana"
                 *     }
                 */
                "application/json": {
                    userId: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *       "status": "RELEASED"
                     *     }
                     */
                    "application/json": {
                        reservationId: string;
                        /** @description The payment being refunded (CANCELLING) */
                        paymentId?: string;
                        /** @enum {string} */
                        status: "RELEASED" | "CANCELLING";
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *       "paymentId": "a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *       "status": "CANCELLING"
                     *     }
                     */
                    "application/json": {
                        reservationId: string;
                        /** @description The payment being refunded (CANCELLING) */
                        paymentId?: string;
                        /** @enum {string} */
                        status: "RELEASED" | "CANCELLING";
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: RESERVATION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Refused by the current state. Codes: CANCELLATION_CLOSED, PAYMENT_IN_PROGRESS, NOT_CANCELLABLE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Body larger than 1 MiB. Codes: FST_ERR_CTP_BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND, IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    holdSeat: {
        parameters: {
            query?: never;
            header?: {
                /** @description The token from POST /queue/tokens; it must be ACTIVE */
                "queue-token"?: string;
                /** @description Retries with the same key get the first successful answer again */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                 *       "seatNo": 1
                 *     }
                 */
                "application/json": {
                    scheduleId: string;
                    seatNo?: number;
                    /** @description Held all or nothing */
                    seatNos?: number[];
                } & (unknown | unknown);
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *       "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *       "seatNo": 1,
                     *       "seatNos": [
                     *         1
                     *       ],
                     *       "price": 100,
                     *       "amount": 100,
                     *       "userId": "ana",
                     *       "status": "HELD",
                     *       "expiresAt": "2030-01-01T10:05:00.000Z"
                     *     }
                     */
                    "application/json": {
                        reservationId: string;
                        scheduleId: string;
                        /** @description The first of seatNos */
                        seatNo: number;
                        /** @description Every seat of the reservation, ascending */
                        seatNos: number[];
                        /** @description Per seat */
                        price: number;
                        /** @description price × seats: what the payment debits */
                        amount: number;
                        userId: string;
                        /** @enum {string} */
                        status: "HELD" | "RESERVED" | "EXPIRED" | "RELEASED" | "CANCELLING" | "CANCELLED";
                        /**
                         * Format: date-time
                         * @description When the hold ends unless paid for
                         */
                        expiresAt: string;
                        /** @description Once a payment is requested for it */
                        paymentId?: string;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: QUEUE_TOKEN_MISSING, QUEUE_TOKEN_INVALID, QUEUE_TOKEN_UNKNOWN */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: QUEUE_TOKEN_NOT_ACTIVE */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: SCHEDULE_NOT_FOUND, SEAT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Refused by the current state. Codes: SEAT_UNAVAILABLE, SEAT_LIMIT, SCHEDULE_CANCELLED, BOOKING_NOT_OPEN, BOOKING_CLOSED */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Body larger than 1 MiB. Codes: FST_ERR_CTP_BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Idempotency-Key reused with a different request. Codes: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    getReservation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reservationId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *       "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *       "seatNo": 1,
                     *       "seatNos": [
                     *         1
                     *       ],
                     *       "price": 100,
                     *       "amount": 100,
                     *       "userId": "ana",
                     *       "status": "RESERVED",
                     *       "expiresAt": "2030-01-01T10:05:00.000Z",
                     *       "paymentId": "a4270168-f889-56f2-ac23-7dda97bcfea9"
                     *     }
                     */
                    "application/json": {
                        reservationId: string;
                        scheduleId: string;
                        /** @description The first of seatNos */
                        seatNo: number;
                        /** @description Every seat of the reservation, ascending */
                        seatNos: number[];
                        /** @description Per seat */
                        price: number;
                        /** @description price × seats: what the payment debits */
                        amount: number;
                        userId: string;
                        /** @enum {string} */
                        status: "HELD" | "RESERVED" | "EXPIRED" | "RELEASED" | "CANCELLING" | "CANCELLED";
                        /**
                         * Format: date-time
                         * @description When the hold ends unless paid for
                         */
                        expiresAt: string;
                        /** @description Once a payment is requested for it */
                        paymentId?: string;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: RESERVATION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND, IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    listUserReservations: {
        parameters: {
            query?: {
                /** @description Items per page, 1–100 */
                limit?: number;
                /** @description From the `next` link of the previous page; opaque */
                cursor?: string;
            };
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description RFC 8288 `<path?cursor=…&limit=N>; rel="next"` (the same query otherwise) while more items exist; absent on the last page */
                    link?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *         "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *         "concertId": "e3ca26bd-65b8-4f9e-a988-cb930bf6ce14",
                     *         "title": "Spring Gala",
                     *         "seatNos": [
                     *           1
                     *         ],
                     *         "amount": 100,
                     *         "status": "RESERVED",
                     *         "paymentId": "a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *         "updatedAt": "2030-01-01T10:00:00.000Z"
                     *       }
                     *     ]
                     */
                    "application/json": {
                        reservationId: string;
                        scheduleId: string;
                        concertId: string;
                        /** @description The concert's title */
                        title: string;
                        /** @description Ascending */
                        seatNos: number[];
                        /** @description What the seats cost together */
                        amount: number;
                        /** @enum {string} */
                        status: "HELD" | "RESERVED" | "EXPIRED" | "RELEASED" | "CANCELLING" | "CANCELLED";
                        /** @description Once a payment is requested for it */
                        paymentId?: string;
                        /**
                         * Format: date-time
                         * @description When its status or payment last changed
                         */
                        updatedAt: string;
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION, INVALID_CURSOR */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    chargePoints: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retries with the same key get the first successful answer again */
                "idempotency-key"?: string;
            };
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "amount": 500
                 *     }
                 */
                "application/json": {
                    amount: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "userId": "ana",
                     *       "balance": 500
                     *     }
                     */
                    "application/json": {
                        userId: string;
                        balance: number;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Body larger than 1 MiB. Codes: FST_ERR_CTP_BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Idempotency-Key reused with a different request. Codes: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    getPointBalance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "userId": "ana",
                     *       "balance": 400
                     *     }
                     */
                    "application/json": {
                        userId: string;
                        balance: number;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    listPointHistory: {
        parameters: {
            query?: {
                /** @description Items per page, 1–100 */
                limit?: number;
                /** @description From the `next` link of the previous page; opaque */
                cursor?: string;
            };
            header?: never;
            path: {
                userId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    /** @description RFC 8288 `<path?cursor=…&limit=N>; rel="next"` (the same query otherwise) while more items exist; absent on the last page */
                    link?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "kind": "DEBIT",
                     *         "amount": 100,
                     *         "balanceAfter": 400,
                     *         "paymentId": "a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *         "at": "2030-01-01T10:00:00.000Z"
                     *       },
                     *       {
                     *         "kind": "CHARGE",
                     *         "amount": 500,
                     *         "balanceAfter": 500,
                     *         "at": "2030-01-01T10:00:00.000Z"
                     *       }
                     *     ]
                     */
                    "application/json": {
                        /** @enum {string} */
                        kind: "CHARGE" | "DEBIT" | "REFUND";
                        /** @description Points moved, always positive; the kind says which way */
                        amount: number;
                        balanceAfter: number;
                        /** @description The payment a debit or a refund belongs to */
                        paymentId?: string;
                        /** Format: date-time */
                        at: string;
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION, INVALID_CURSOR */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    requestPayment: {
        parameters: {
            query?: never;
            header?: {
                /** @description The token from POST /queue/tokens; it must be ACTIVE */
                "queue-token"?: string;
                /** @description Retries with the same key get the first successful answer again */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a"
                 *     }
                 */
                "application/json": {
                    reservationId: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        paymentId: string;
                        reservationId: string;
                        /**
                         * @description A payment being refunded is COMPLETED until the refund is done
                         * @enum {string}
                         */
                        status: "PENDING" | "COMPLETED" | "FAILED" | "REFUNDED";
                        /**
                         * @description Why it FAILED
                         * @enum {string}
                         */
                        reason?: "HOLD_EXPIRED" | "NOT_HOLDER" | "ALREADY_RESERVED" | "INSUFFICIENT_BALANCE" | "TIMEOUT" | "SCHEDULE_CANCELLED";
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "paymentId": "a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *       "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *       "status": "PENDING"
                     *     }
                     */
                    "application/json": {
                        paymentId: string;
                        reservationId: string;
                        /**
                         * @description A payment being refunded is COMPLETED until the refund is done
                         * @enum {string}
                         */
                        status: "PENDING" | "COMPLETED" | "FAILED" | "REFUNDED";
                        /**
                         * @description Why it FAILED
                         * @enum {string}
                         */
                        reason?: "HOLD_EXPIRED" | "NOT_HOLDER" | "ALREADY_RESERVED" | "INSUFFICIENT_BALANCE" | "TIMEOUT" | "SCHEDULE_CANCELLED";
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: QUEUE_TOKEN_MISSING, QUEUE_TOKEN_INVALID, QUEUE_TOKEN_UNKNOWN */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_HOLDER, QUEUE_TOKEN_NOT_ACTIVE */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: RESERVATION_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Body larger than 1 MiB. Codes: FST_ERR_CTP_BODY_TOO_LARGE */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Idempotency-Key reused with a different request. Codes: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    getPayment: {
        parameters: {
            query?: {
                /** @description Long poll: the longest to wait for the end */
                waitMs?: number;
            };
            header?: never;
            path: {
                paymentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "paymentId": "a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *       "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *       "userId": "ana",
                     *       "amount": 100,
                     *       "status": "COMPLETED",
                     *       "requestedAt": "2030-01-01T10:00:00.000Z",
                     *       "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *       "seatNo": 1,
                     *       "deadlineAt": "2030-01-01T10:00:30.000Z",
                     *       "completedAt": "2030-01-01T10:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        paymentId: string;
                        reservationId: string;
                        userId: string;
                        scheduleId?: string;
                        seatNo?: number;
                        amount: number;
                        /**
                         * @description A payment being refunded is COMPLETED until the refund is done
                         * @enum {string}
                         */
                        status: "PENDING" | "COMPLETED" | "FAILED" | "REFUNDED";
                        /** Format: date-time */
                        requestedAt: string;
                        /**
                         * @description Why it FAILED
                         * @enum {string}
                         */
                        reason?: "HOLD_EXPIRED" | "NOT_HOLDER" | "ALREADY_RESERVED" | "INSUFFICIENT_BALANCE" | "TIMEOUT" | "SCHEDULE_CANCELLED";
                        /**
                         * Format: date-time
                         * @description A payment still PENDING then fails with TIMEOUT
                         */
                        deadlineAt?: string;
                        /** Format: date-time */
                        completedAt?: string;
                        /** Format: date-time */
                        failedAt?: string;
                        /**
                         * Format: date-time
                         * @description Once REFUNDED
                         */
                        refundedAt?: string;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: PAYMENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND, IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    listSoldOut: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "rank": 1,
                     *         "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *         "concertId": "e3ca26bd-65b8-4f9e-a988-cb930bf6ce14",
                     *         "title": "Spring Gala",
                     *         "bookingOpenedAt": "2030-01-01T09:00:00.000Z",
                     *         "soldOutAt": "2030-01-01T10:00:00.000Z",
                     *         "durationMs": 3600000
                     *       }
                     *     ]
                     */
                    "application/json": {
                        rank: number;
                        scheduleId: string;
                        concertId: string;
                        title: string;
                        /** Format: date-time */
                        bookingOpenedAt: string;
                        /** Format: date-time */
                        soldOutAt: string;
                        /** @description From booking open to the last seat paid */
                        durationMs: number;
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok",
                     *       "eventStore": {
                     *         "kind": "sqlite",
                     *         "ok": true
                     *       },
                     *       "readStore": {
                     *         "kind": "sqlite",
                     *         "ok": true
                     *       },
                     *       "projections": [
                     *         {
                     *           "name": "concerts",
                     *           "kind": "read-model",
                     *           "position": "28",
                     *           "head": "28",
                     *           "behind": false,
                     *           "lag": 0,
                     *           "lagUnit": "events"
                     *         },
                     *         {
                     *           "name": "schedules",
                     *           "kind": "read-model",
                     *           "position": "28",
                     *           "head": "28",
                     *           "behind": false,
                     *           "lag": 0,
                     *           "lagUnit": "events"
                     *         }
                     *       ],
                     *       "parked": 0,
                     *       "pid": 48213
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "degraded";
                        eventStore: {
                            kind: string;
                            ok: boolean;
                        };
                        readStore: {
                            kind: string;
                            ok: boolean;
                        };
                        /** @description Every checkpointed subscriber: read models, reactions and timers of each service */
                        projections: {
                            name: string;
                            /** @enum {string} */
                            kind: "read-model" | "reactions" | "timers";
                            /** @description Last position applied, an opaque ordered integer of up to 128 bits, as a string; null before the first checkpoint */
                            position: string | null;
                            /** @description The head of $all the lag was measured against, as a string */
                            head: string;
                            /** @description Whether $all holds events after position: the exact answer on every event store */
                            behind: boolean;
                            /** @description How far behind the head, in lagUnit: events of $all on SQLite (its positions are consecutive); on EventStoreDB, bytes of transaction log between the commit positions, since a difference of its packed positions counts nothing (0 while behind only within one transaction: see behind) */
                            lag: number;
                            /** @enum {string} */
                            lagUnit: "events" | "bytes";
                        }[];
                        /** @description Events parked by reactions and not redriven; null when unknown */
                        parked: number | null;
                        /** @description The process that answered: under --cluster or a load balancer, which of the api processes it was */
                        pid?: number;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok" | "degraded";
                        eventStore: {
                            kind: string;
                            ok: boolean;
                        };
                        readStore: {
                            kind: string;
                            ok: boolean;
                        };
                        /** @description Every checkpointed subscriber: read models, reactions and timers of each service */
                        projections: {
                            name: string;
                            /** @enum {string} */
                            kind: "read-model" | "reactions" | "timers";
                            /** @description Last position applied, an opaque ordered integer of up to 128 bits, as a string; null before the first checkpoint */
                            position: string | null;
                            /** @description The head of $all the lag was measured against, as a string */
                            head: string;
                            /** @description Whether $all holds events after position: the exact answer on every event store */
                            behind: boolean;
                            /** @description How far behind the head, in lagUnit: events of $all on SQLite (its positions are consecutive); on EventStoreDB, bytes of transaction log between the commit positions, since a difference of its packed positions counts nothing (0 while behind only within one transaction: see behind) */
                            lag: number;
                            /** @enum {string} */
                            lagUnit: "events" | "bytes";
                        }[];
                        /** @description Events parked by reactions and not redriven; null when unknown */
                        parked: number | null;
                        /** @description The process that answered: under --cluster or a load balancer, which of the api processes it was */
                        pid?: number;
                    };
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    tracePayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                paymentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "position": "6",
                     *         "eventId": "6339f92f-743e-4e22-aff3-ec4352920be7",
                     *         "streamId": "seat-6feea67d-915b-4052-b717-4a1ef2973df7_1",
                     *         "revision": 0,
                     *         "type": "SeatHeld",
                     *         "created": "2030-01-01T10:00:00.000Z",
                     *         "causationId": null,
                     *         "data": {
                     *           "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *           "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *           "seatNo": 1,
                     *           "userId": "ana",
                     *           "price": 100,
                     *           "heldAt": "2030-01-01T10:00:00.000Z",
                     *           "expiresAt": "2030-01-01T10:05:00.000Z"
                     *         },
                     *         "metadata": {
                     *           "correlationId": "b50814be-2dac-465b-9a2e-10ca33f9765a"
                     *         }
                     *       },
                     *       {
                     *         "position": "8",
                     *         "eventId": "fe3dc5a2-82b4-4810-aecf-1fc1da17e82c",
                     *         "streamId": "payment-a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *         "revision": 0,
                     *         "type": "PaymentRequested",
                     *         "created": "2030-01-01T10:00:00.000Z",
                     *         "causationId": null,
                     *         "data": {
                     *           "paymentId": "a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *           "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *           "userId": "ana",
                     *           "concertId": "e3ca26bd-65b8-4f9e-a988-cb930bf6ce14",
                     *           "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *           "seatNo": 1,
                     *           "amount": 100,
                     *           "requestedAt": "2030-01-01T10:00:00.000Z",
                     *           "deadlineAt": "2030-01-01T10:00:30.000Z"
                     *         },
                     *         "metadata": {
                     *           "correlationId": "a4270168-f889-56f2-ac23-7dda97bcfea9"
                     *         }
                     *       },
                     *       {
                     *         "position": "9",
                     *         "eventId": "3083ea16-43c7-558a-8552-145475c29bfc",
                     *         "streamId": "seat-6feea67d-915b-4052-b717-4a1ef2973df7_1",
                     *         "revision": 1,
                     *         "type": "SeatReserved",
                     *         "created": "2030-01-01T10:00:00.000Z",
                     *         "causationId": "fe3dc5a2-82b4-4810-aecf-1fc1da17e82c",
                     *         "data": {
                     *           "paymentId": "a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *           "reservationId": "b50814be-2dac-465b-9a2e-10ca33f9765a",
                     *           "userId": "ana",
                     *           "concertId": "e3ca26bd-65b8-4f9e-a988-cb930bf6ce14",
                     *           "scheduleId": "6feea67d-915b-4052-b717-4a1ef2973df7",
                     *           "seatNo": 1,
                     *           "amount": 100,
                     *           "reservedAt": "2030-01-01T10:00:00.000Z"
                     *         },
                     *         "metadata": {
                     *           "correlationId": "a4270168-f889-56f2-ac23-7dda97bcfea9",
                     *           "causationId": "fe3dc5a2-82b4-4810-aecf-1fc1da17e82c"
                     *         }
                     *       }
                     *     ]
                     */
                    "application/json": {
                        position: string;
                        eventId: string;
                        streamId: string;
                        revision: number;
                        type: string;
                        /** Format: date-time */
                        created: string;
                        /** @description The eventId of the event this one answered (for a timer, the event that set it) */
                        causationId: string | null;
                        /** @description The event's data, e.g. a failure's `reason` (absent from traces recorded before it was kept) */
                        data?: {
                            [key: string]: unknown;
                        };
                        /** @description correlationId, causationId, and for an event a timer fired, timerId */
                        metadata?: {
                            correlationId?: string;
                            causationId?: string;
                            timerId?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: USER_TOKEN_REQUIRED, USER_TOKEN_INVALID, USER_TOKEN_EXPIRED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Genuine credentials that may not do this. Codes: NOT_OWNER */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: PAYMENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description A store does not answer, or a read model is behind the latest writes: try again (Retry-After). Codes: READ_MODEL_BEHIND, IDENTITY_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    tailEvents: {
        parameters: {
            query?: {
                /** @description One stream, e.g. payment-<paymentId> */
                stream?: string;
                /** @description Stream categories, comma-separated (concert, seat, holdings, payment, points, queue, admission, ranking, delivery, parked) */
                category?: string;
                /** @description Event types, comma-separated, e.g. PaymentFailed,SeatReleased */
                type?: string;
                /** @description Only events of this correlation (a paymentId, a reservationId…) */
                correlation?: string;
                /** @description start, end, or a position (inclusive) */
                from?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A stream of server-sent events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION, INVALID_FILTER */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    findSagas: {
        parameters: {
            query: {
                q: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "paymentId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *         "reservationId": "96bdacf3-7483-43f0-963d-3351059d8875",
                     *         "userId": "ana",
                     *         "status": "FAILED",
                     *         "requestedAt": "2030-01-01T10:00:00.000Z",
                     *         "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *         "seatNo": 1,
                     *         "amount": 100
                     *       }
                     *     ]
                     */
                    "application/json": {
                        paymentId: string;
                        reservationId: string;
                        userId: string;
                        scheduleId?: string;
                        seatNo?: number;
                        amount?: number;
                        /**
                         * @description A payment being refunded is COMPLETED until the refund is done
                         * @enum {string}
                         */
                        status: "PENDING" | "COMPLETED" | "FAILED" | "REFUNDED";
                        /** Format: date-time */
                        requestedAt: string;
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    traceSaga: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A paymentId, a reservationId or any correlationId */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *       "ref": {
                     *         "reservationId": "96bdacf3-7483-43f0-963d-3351059d8875",
                     *         "userId": "ana",
                     *         "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *         "seatNo": 1,
                     *         "paymentId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *         "concertId": "49f14587-1a90-4d70-bfa1-702f2f83ea83",
                     *         "amount": 100
                     *       },
                     *       "outcome": {
                     *         "status": "FAILED",
                     *         "compensations": [
                     *           "SeatReleased"
                     *         ],
                     *         "reason": "INSUFFICIENT_BALANCE",
                     *         "at": "2030-01-01T10:00:00.000Z"
                     *       },
                     *       "durationMs": 0,
                     *       "events": [
                     *         {
                     *           "position": "6",
                     *           "streamId": "payment-892ad14c-473e-532f-b294-8e88998ed6a9",
                     *           "revision": 0,
                     *           "type": "PaymentRequested",
                     *           "created": "2030-01-01T10:00:00.000Z",
                     *           "id": "512f934f-f904-410c-bad9-71987404badf",
                     *           "data": {
                     *             "paymentId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *             "reservationId": "96bdacf3-7483-43f0-963d-3351059d8875",
                     *             "userId": "ana",
                     *             "concertId": "49f14587-1a90-4d70-bfa1-702f2f83ea83",
                     *             "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *             "seatNo": 1,
                     *             "amount": 100,
                     *             "requestedAt": "2030-01-01T10:00:00.000Z",
                     *             "deadlineAt": "2030-01-01T10:00:30.000Z"
                     *           },
                     *           "metadata": {
                     *             "correlationId": "892ad14c-473e-532f-b294-8e88998ed6a9"
                     *           },
                     *           "service": "payment",
                     *           "parentId": null,
                     *           "cause": "request",
                     *           "viaTimer": false,
                     *           "depth": 0,
                     *           "sinceMs": 0,
                     *           "compensation": false
                     *         },
                     *         {
                     *           "position": "9",
                     *           "streamId": "payment-892ad14c-473e-532f-b294-8e88998ed6a9",
                     *           "revision": 1,
                     *           "type": "PaymentFailed",
                     *           "created": "2030-01-01T10:00:00.000Z",
                     *           "id": "ade799fe-01d1-51fc-936f-0f86106af7b5",
                     *           "data": {
                     *             "paymentId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *             "reservationId": "96bdacf3-7483-43f0-963d-3351059d8875",
                     *             "userId": "ana",
                     *             "concertId": "49f14587-1a90-4d70-bfa1-702f2f83ea83",
                     *             "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *             "seatNo": 1,
                     *             "amount": 100,
                     *             "reason": "INSUFFICIENT_BALANCE",
                     *             "requestedAt": "2030-01-01T10:00:00.000Z",
                     *             "failedAt": "2030-01-01T10:00:00.000Z"
                     *           },
                     *           "metadata": {
                     *             "correlationId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *             "causationId": "257a1f86-f39e-5782-99a1-ae2654efeea5"
                     *           },
                     *           "service": "payment",
                     *           "parentId": "257a1f86-f39e-5782-99a1-ae2654efeea5",
                     *           "cause": "event",
                     *           "viaTimer": false,
                     *           "depth": 3,
                     *           "sinceMs": 0,
                     *           "compensation": false
                     *         },
                     *         {
                     *           "position": "10",
                     *           "streamId": "seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_1",
                     *           "revision": 2,
                     *           "type": "SeatReleased",
                     *           "created": "2030-01-01T10:00:00.000Z",
                     *           "id": "73872de5-a545-568e-9285-0ed68e093236",
                     *           "data": {
                     *             "paymentId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *             "reservationId": "96bdacf3-7483-43f0-963d-3351059d8875",
                     *             "userId": "ana",
                     *             "concertId": "49f14587-1a90-4d70-bfa1-702f2f83ea83",
                     *             "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *             "seatNo": 1,
                     *             "amount": 100,
                     *             "reason": "INSUFFICIENT_BALANCE",
                     *             "releasedAt": "2030-01-01T10:00:00.000Z"
                     *           },
                     *           "metadata": {
                     *             "correlationId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *             "causationId": "257a1f86-f39e-5782-99a1-ae2654efeea5"
                     *           },
                     *           "service": "reservation",
                     *           "parentId": "257a1f86-f39e-5782-99a1-ae2654efeea5",
                     *           "cause": "event",
                     *           "viaTimer": false,
                     *           "depth": 3,
                     *           "sinceMs": 0,
                     *           "compensation": true
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        id: string;
                        /** @description Who, what and how much: paymentId, reservationId, userId, concertId, scheduleId, seatNo, amount */
                        ref: {
                            [key: string]: unknown;
                        };
                        outcome: {
                            /** @enum {string} */
                            status: "COMPLETED" | "FAILED" | "PENDING" | "REFUNDING" | "REFUNDED" | "UNKNOWN";
                            reason?: string;
                            at?: string;
                            compensations: string[];
                            /** @description The data platform delivery: PENDING, SUCCEEDED or DEAD_LETTERED (with the error) */
                            delivery?: string;
                        };
                        durationMs: number;
                        /** @description In global order */
                        events: {
                            /** @description Position in $all, as a string */
                            position: string;
                            streamId: string;
                            revision: number;
                            type: string;
                            /** Format: date-time */
                            created: string;
                            id: string;
                            data: {
                                [key: string]: unknown;
                            };
                            metadata: {
                                correlationId?: string;
                                causationId?: string;
                                timerId?: string;
                            } & {
                                [key: string]: unknown;
                            };
                            /** @description The service whose stream it is: its lane */
                            service: string;
                            /** @description The event of this saga that caused it; null for a root */
                            parentId: string | null;
                            /**
                             * @description What started it: an event of the saga, a timer, a request, or an event outside the saga
                             * @enum {string}
                             */
                            cause: "event" | "timer" | "request" | "elsewhere";
                            viaTimer: boolean;
                            depth: number;
                            /** @description Milliseconds since its cause (or since the previous root) */
                            sinceMs: number;
                            /** @description It undoes a step this saga took (a seat released, points refunded) */
                            compensation: boolean;
                        }[];
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: SAGA_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    foldStream: {
        parameters: {
            query?: {
                /** @description The last revision folded (inclusive); the whole stream when absent */
                toRevision?: string;
            };
            header?: never;
            path: {
                /** @description e.g. seat-<scheduleId>_<seatNo>, payment-<paymentId> */
                streamId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "streamId": "seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_1",
                     *       "revision": 1,
                     *       "of": 2,
                     *       "state": {
                     *         "status": "RESERVED",
                     *         "holder": {
                     *           "reservationId": "96bdacf3-7483-43f0-963d-3351059d8875",
                     *           "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *           "seatNo": 1,
                     *           "userId": "ana",
                     *           "price": 100,
                     *           "expiresAt": "2030-01-01T10:05:00.000Z"
                     *         },
                     *         "reservedFor": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *         "expired": [],
                     *         "confirmed": [
                     *           "892ad14c-473e-532f-b294-8e88998ed6a9"
                     *         ],
                     *         "rejected": [],
                     *         "released": []
                     *       },
                     *       "events": [
                     *         {
                     *           "position": "5",
                     *           "streamId": "seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_1",
                     *           "revision": 0,
                     *           "type": "SeatHeld",
                     *           "created": "2030-01-01T10:00:00.000Z",
                     *           "id": "a64fa2f4-0ee5-49e8-8f7d-07c9d7ce69bb",
                     *           "data": {
                     *             "reservationId": "96bdacf3-7483-43f0-963d-3351059d8875",
                     *             "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *             "seatNo": 1,
                     *             "userId": "ana",
                     *             "price": 100,
                     *             "heldAt": "2030-01-01T10:00:00.000Z",
                     *             "expiresAt": "2030-01-01T10:05:00.000Z"
                     *           },
                     *           "metadata": {
                     *             "correlationId": "96bdacf3-7483-43f0-963d-3351059d8875"
                     *           }
                     *         },
                     *         {
                     *           "position": "7",
                     *           "streamId": "seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_1",
                     *           "revision": 1,
                     *           "type": "SeatReserved",
                     *           "created": "2030-01-01T10:00:00.000Z",
                     *           "id": "9b472442-ddcb-5767-81c9-bab358379f4e",
                     *           "data": {
                     *             "paymentId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *             "reservationId": "96bdacf3-7483-43f0-963d-3351059d8875",
                     *             "userId": "ana",
                     *             "concertId": "49f14587-1a90-4d70-bfa1-702f2f83ea83",
                     *             "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *             "seatNo": 1,
                     *             "amount": 100,
                     *             "reservedAt": "2030-01-01T10:00:00.000Z"
                     *           },
                     *           "metadata": {
                     *             "correlationId": "892ad14c-473e-532f-b294-8e88998ed6a9",
                     *             "causationId": "512f934f-f904-410c-bad9-71987404badf"
                     *           }
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        streamId: string;
                        /** @description The last revision folded; -1 before the first */
                        revision: number;
                        /** @description The stream's last revision */
                        of: number;
                        /** @description The aggregate's state after `revision`, as its service's evolve leaves it */
                        state: unknown;
                        /** @description Every event of the stream, past `revision` too */
                        events: {
                            /** @description Position in $all, as a string */
                            position: string;
                            streamId: string;
                            revision: number;
                            type: string;
                            /** Format: date-time */
                            created: string;
                            id: string;
                            data: {
                                [key: string]: unknown;
                            };
                            metadata: {
                                correlationId?: string;
                                causationId?: string;
                                timerId?: string;
                            } & {
                                [key: string]: unknown;
                            };
                        }[];
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: STREAM_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    listDeadLetters: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "paymentId": "e3a172ae-4d7a-57ab-9436-82bc0c800d3a",
                     *         "payload": {
                     *           "paymentId": "e3a172ae-4d7a-57ab-9436-82bc0c800d3a",
                     *           "reservationId": "24cd38e5-a9e2-47d6-ac9c-a9a408f46cc0",
                     *           "userId": "ben",
                     *           "concertId": "49f14587-1a90-4d70-bfa1-702f2f83ea83",
                     *           "scheduleId": "8e194847-2a1d-4eab-a628-f376fb8e1fe6",
                     *           "seatNo": 2,
                     *           "amount": 100,
                     *           "paidAt": "2030-01-01T10:00:00.000Z"
                     *         },
                     *         "attempts": 1,
                     *         "lastStatus": 400,
                     *         "lastError": "HTTP 400: {\"message\":\"schema mismatch\"}",
                     *         "deadLetteredAt": "2030-01-01T10:00:00.000Z"
                     *       }
                     *     ]
                     */
                    "application/json": {
                        paymentId: string;
                        /**
                         * @description Present on a refunded payment's cancellation; absent on a reservation
                         * @enum {string}
                         */
                        kind?: "cancellation";
                        /** @description What is sent to the data platform */
                        payload: {
                            [key: string]: unknown;
                        };
                        attempts: number;
                        /**
                         * @description On a refunded payment's reservation only: its cancellation's status; past WAITING the reservation cannot be redriven
                         * @enum {string}
                         */
                        cancellationStatus?: "WAITING" | "PENDING" | "SUCCEEDED" | "DEAD_LETTERED";
                        /** @description The last HTTP status; null when nothing answered */
                        lastStatus: number | null;
                        lastError: string | null;
                        /** Format: date-time */
                        deadLetteredAt: string;
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    redriveDeadLetter: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                paymentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "paymentId": "e3a172ae-4d7a-57ab-9436-82bc0c800d3a",
                     *       "dueAt": "2030-01-01T10:02:00.000Z"
                     *     }
                     */
                    "application/json": {
                        paymentId: string;
                        /**
                         * @description Present when it was the payment's cancellation that was redriven
                         * @enum {string}
                         */
                        kind?: "cancellation";
                        /** Format: date-time */
                        dueAt: string;
                    };
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: DELIVERY_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Refused by the current state. Codes: NOT_DEAD_LETTERED, CANCELLATION_SENT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    listParked: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "service": "point",
                     *         "eventId": "eb52754c-d666-5c3d-82e2-cef304fc55e1",
                     *         "eventType": "SeatReserved",
                     *         "streamId": "seat-8e194847-2a1d-4eab-a628-f376fb8e1fe6_2",
                     *         "position": "14",
                     *         "handler": "point.debitOnSeatReserved",
                     *         "attempts": 5,
                     *         "error": "Error: wallet unreachable",
                     *         "parkedAt": "2030-01-01T10:02:00.000Z"
                     *       }
                     *     ]
                     */
                    "application/json": {
                        service: string;
                        eventId: string;
                        eventType: string;
                        streamId: string;
                        position: string;
                        /** @description The reaction that gave up */
                        handler: string;
                        attempts: number;
                        error: string;
                        /** Format: date-time */
                        parkedAt: string;
                        /** @description The last redrive, which failed too */
                        lastRedrive?: {
                            [key: string]: unknown;
                        };
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
    redriveParked: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                eventId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example [
                     *       {
                     *         "eventId": "eb52754c-d666-5c3d-82e2-cef304fc55e1",
                     *         "handler": "point.debitOnSeatReserved",
                     *         "outcome": "handled",
                     *         "redrivenAt": "2030-01-01T10:02:00.000Z"
                     *       }
                     *     ]
                     */
                    "application/json": {
                        eventId: string;
                        handler: string;
                        /** @enum {string} */
                        outcome: "handled" | "failed";
                        error?: string;
                        /** Format: date-time */
                        redrivenAt: string;
                    }[];
                };
            };
            /** @description Bad input: the message says what is wrong. Codes: FST_ERR_VALIDATION */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Missing, forged or unknown credentials. Codes: ADMIN_TOKEN_REQUIRED, ADMIN_TOKEN_INVALID */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Unknown id. Codes: PARKED_EVENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
            /** @description Refused by the current state. Codes: CANNOT_REDRIVE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        statusCode: number;
                        code: string;
                        error: string;
                        message: string;
                        /** @description SEAT_UNAVAILABLE: the seats asked for that are taken */
                        unavailable?: number[];
                    };
                };
            };
        };
    };
}
