import { ForbiddenException, HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthenticatedRequest } from './actor';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { Authenticator } from './authenticator';
import { hasRole, Role } from './roles';

const BEARER = /^Bearer +(\S{1,512}) *$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * Lets a request through when it carries a bearer token holding `role`: 401
 * without a good token, 403 with a good token lacking the role, 429 instead of
 * 401 for a client (address) that failed too often lately. The guard of every
 * route and the OpenAPI pages share it.
 */
@Injectable()
export class RequestAuthorizer {
  constructor(
    private readonly authenticator: Authenticator,
    private readonly throttle: AuthFailureThrottle,
  ) {}

  /** Sets `request.actor`, or throws the 401, 403 or 429 (with its headers set). */
  async authorize(request: AuthenticatedRequest, response: Response, role: Role): Promise<void> {
    const client = request.ip ?? request.socket.remoteAddress ?? 'unknown';
    const header = request.headers.authorization;
    const presented = bearerToken(header);
    const result = presented
      ? await this.authenticator.authenticate(presented)
      : { failure: header ? 'the Authorization header must be "Bearer <token>"' : 'a token is required: Authorization: Bearer <token>' };
    if ('failure' in result) {
      // Only failures are throttled: a valid token passes whatever others did from the same address (a shared proxy, a NAT).
      const retryAfter = this.throttle.retryAfterSeconds(client);
      if (retryAfter > 0) {
        response.setHeader('Retry-After', String(retryAfter));
        throw new HttpException(`too many failed authentications: retry in ${retryAfter} s`, HttpStatus.TOO_MANY_REQUESTS);
      }
      this.throttle.recordFailure(client);
      response.setHeader('WWW-Authenticate', 'Bearer realm="cmdb"');
      throw new UnauthorizedException(result.failure);
    }
    request.actor = result.actor;
    if (!hasRole(result.actor.role, role)) {
      throw new ForbiddenException(`this needs the ${role} role; the token "${result.actor.name}" is ${result.actor.role}`);
    }
  }
}
