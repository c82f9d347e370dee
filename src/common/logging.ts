import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { DatabaseError } from 'pg';
import { stdSerializers, type DestinationStream } from 'pino';
import { QueryFailedError } from 'typeorm';
import type { EnvironmentVariables } from '../config/environment';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Whatever a log line may hold, these paths are censored: credentials never reach a log. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.api_secret',
  '*.apiSecret',
  '*.password',
  '*.secretKey',
  '*.accessKeySecret',
  '*.token',
  '*.*.api_secret',
  '*.*.apiSecret',
  '*.*.password',
];

/**
 * The `err` of every log line. A database error's detail (`Failing row
 * contains (...)`), query and parameters can hold an api_key, a sealed secret or
 * a raw vendor payload: of those, only the message, code and constraint are logged.
 */
export function serializeError(error: unknown): unknown {
  // pino-http hands custom serializers pino's own serialization, which keeps the error itself as `raw`.
  const original = (error as { raw?: unknown } | null)?.raw ?? error;
  if (original instanceof QueryFailedError || original instanceof DatabaseError) {
    const { code, constraint } = original as { code?: unknown; constraint?: unknown };
    return { type: original.constructor.name, message: original.message, code, constraint, stack: original.stack };
  }
  return error === original ? stdSerializers.err(original as Error) : error;
}

/** Structured JSON logs; every request line carries the request id that the response header also shows. */
export function loggerParams(environment: EnvironmentVariables, stream?: DestinationStream): Params {
  return {
    pinoHttp: {
      level: environment.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      genReqId: (request: IncomingMessage, response: ServerResponse) => {
        const given = request.headers['x-request-id'];
        const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
        response.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
      serializers: {
        err: serializeError,
        req: (request: { id: unknown; method: unknown; url: unknown }) => ({
          id: request.id,
          method: request.method,
          url: request.url,
        }),
      },
      ...(stream ? { stream } : {}),
    },
  };
}
