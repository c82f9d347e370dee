import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { accessOf } from './access.decorators';
import type { AuthenticatedRequest } from './actor';
import { RequestAuthorizer } from './request-authorizer';

/** Every route goes through here (APP_GUARD): public ones pass, the others need a bearer token holding the route's role. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authorizer: RequestAuthorizer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = accessOf(this.reflector, context);
    if (access === 'public') return true;
    const http = context.switchToHttp();
    await this.authorizer.authorize(http.getRequest<AuthenticatedRequest>(), http.getResponse<Response>(), access);
    return true;
  }
}
