import { Injectable, NestMiddleware } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Response } from 'express';
import type { Actor, AuthenticatedRequest } from './actor';

const storage = new AsyncLocalStorage<AuthenticatedRequest>();

/**
 * Makes the current request reachable from services (the audit log needs its
 * actor and request id) without passing it through every signature.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: AuthenticatedRequest, _response: Response, next: NextFunction): void {
    storage.run(request, next);
  }
}

/** Read when needed, not when the request starts: the guard sets the actor, pino-http the id. */
export const RequestContext = {
  actor(): Actor | null {
    return storage.getStore()?.actor ?? null;
  },
  requestId(): string | null {
    const id = storage.getStore()?.id;
    return id === undefined ? null : String(id);
  },
};
