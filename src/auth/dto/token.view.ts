import type { ApiTokenEntity } from '../api-token.entity';
import type { TokenView } from './token.response';

/** A token as listed: never its hash, and the token itself only once, at creation. */
export function tokenView(token: ApiTokenEntity): TokenView {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    prefix: token.prefix,
    expires_at: token.expiresAt?.toISOString() ?? null,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    created_at: token.createdAt.toISOString(),
  };
}
