import { applyDecorators, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiErrors } from '../common/error-body';
import type { Role } from './roles';

/** Who may call a route: anyone, or a token holding at least that role. */
export type Access = Role | 'public';

const ACCESS_KEY = 'cmdb:access';

/**
 * A route without any decorator needs the safest role: a new controller nobody
 * thought about is admin-only until someone decides otherwise.
 */
export const DEFAULT_ACCESS: Access = 'admin';

/** Open to anyone, without a token (liveness and readiness probes). */
export const Public = () =>
  // `[{}]`: the empty requirement overrides the document's global bearer requirement.
  applyDecorators(SetMetadata(ACCESS_KEY, 'public'), ApiSecurity({}));

/**
 * Needs a token holding at least `role`; on a method it overrides the controller's.
 * Documents the refusals: 401 (and 429 after repeated bad tokens), 403 when a weaker token exists.
 */
export const RequireRole = (role: Role) => applyDecorators(SetMetadata(ACCESS_KEY, role), ApiErrors(role === 'viewer' ? [401, 429] : [401, 403, 429]));

/** The access a handler declares: its own decorator, else its controller's, else the default. */
export function accessOf(reflector: Reflector, context: ExecutionContext): Access {
  return reflector.getAllAndOverride<Access | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]) ?? DEFAULT_ACCESS;
}
