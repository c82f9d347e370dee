import { CanActivate, ExecutionContext, ForbiddenException, HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { accessOf } from './access.decorators';
import type { AuthenticatedRequest } from './actor';
import { AuthFailureThrottle } from './auth-failure-throttle';
import { Authenticator } from './authenticator';
import { hasRole } from './roles';

const BEARER = /^Bearer +(\S{1,512}) *$/i;

/**
 * Every route goes through here (APP_GUARD): public ones pass, the others need
 * a bearer token holding the route's role. 401 without a good token, 403 with a
 * good token lacking the role, 429 instead of 401 for a client (address) that
 * failed too often lately.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
    private readonly throttle: AuthFailureThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = accessOf(this.reflector, context);
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const client = request.ip ?? request.socket.remoteAddress ?? 'unknown';

    const header = request.headers.authorization;
    const presented = header ? BEARER.exec(header)?.[1] : undefined;
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
    if (!hasRole(result.actor.role, access)) {
      throw new ForbiddenException(`this needs the ${access} role; the token "${result.actor.name}" is ${result.actor.role}`);
    }
    return true;
  }
}
