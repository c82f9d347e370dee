import type { ApiTokenEntity } from '../api-token.entity';

/** A token as listed: never its hash, and the token itself only once, at creation. */
export function tokenView(token: ApiTokenEntity) {
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

export type TokenView = ReturnType<typeof tokenView>;
