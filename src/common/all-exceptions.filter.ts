import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';
import type { ErrorBody } from './error-body';

/**
 * Turns every error into the common body. Unknown errors answer a bare 500:
 * their message could carry anything (a connection string, a vendor dump).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string }>();
    const response = http.getResponse<Response>();
    const body = this.toBody(exception);
    // body-parser fails before the logger has named the request: name it here.
    const requestId = request.id ?? response.getHeader('X-Request-Id') ?? randomUUID();
    if (!response.headersSent) response.setHeader('X-Request-Id', String(requestId));
    body.request_id = String(requestId);
    if (body.statusCode >= 500) {
      this.logger.error({ err: exception }, `${request.method} ${request.path} failed`);
    }
    if (!response.headersSent) response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const answer = exception.getResponse();
      const error = STATUS_CODES[statusCode] ?? 'Error';
      if (typeof answer === 'string') return { statusCode, error, message: answer };
      const { message, details } = answer as { message?: unknown; details?: ErrorBody['details'] };
      return {
        statusCode,
        error,
        message: Array.isArray(message) ? message.join('; ') : String(message ?? error),
        ...(details === undefined ? {} : { details }),
      };
    }
    // body-parser's errors (malformed JSON, too large) carry their own 4xx status.
    const status = (exception as { status?: unknown; type?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const isJson = (exception as { type?: unknown }).type === 'entity.parse.failed';
      return {
        statusCode: status,
        error: STATUS_CODES[status] ?? 'Error',
        message: isJson ? 'The request body is not valid JSON' : String((exception as Error).message),
      };
    }
    return { statusCode: HttpStatus.INTERNAL_SERVER_ERROR, error: 'Internal Server Error', message: 'Internal server error' };
  }
}
