/** The part of pino (Fastify's logger) the services use; tests pass a silent or recording one. */
export interface Log {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
  debug(fields: object, message?: string): void;
}

export const silentLog: Log = { info: () => {}, warn: () => {}, error: () => {}, debug: () => {} };
