import type { Request } from 'express';
import type { Role } from './roles';

/** Who is calling: a stored token, or the CMDB_ADMIN_TOKEN of the environment (no id). */
export interface Actor {
  tokenId: string | null;
  name: string;
  role: Role;
}

/** The name audit entries give CMDB_ADMIN_TOKEN. */
export const ENVIRONMENT_ADMIN_NAME = 'CMDB_ADMIN_TOKEN';

/** An express request once the auth guard has let it through; `id` is pino-http's request id. */
export type AuthenticatedRequest = Request & { id?: string | number; actor?: Actor };
