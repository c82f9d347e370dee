import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
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
