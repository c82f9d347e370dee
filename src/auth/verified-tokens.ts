import { Injectable } from '@nestjs/common';
import type { Role } from './roles';

/**
 * How long a token found in the database is believed without asking again.
 * Revoking a token forgets it at once in the process that revoked it; other
 * processes stop accepting it within this time.
 */
export const VERIFIED_TOKEN_TTL_MS = 10_000;
/** Enough for every live token of a deployment; the oldest is forgotten first beyond it. */
const MAX_ENTRIES = 10_000;

export interface VerifiedToken {
  id: string;
  name: string;
  role: Role;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

interface Entry {
  token: VerifiedToken;
  verifiedAt: number;
}

/**
 * Stored tokens recently found by their hash, so that a client's every request
 * does not cost a database lookup. Keyed by the sha256 of the token, never the
 * token itself. Failed lookups are not kept: they are throttled instead.
 */
@Injectable()
export class VerifiedTokens {
  private readonly entries = new Map<string, Entry>();
  /** Token id -> when it was revoked here: a lookup that was under way then must not bring it back. */
  private readonly revoked = new Map<string, number>();

  get(hash: Buffer, now: number): VerifiedToken | undefined {
    const key = hash.toString('base64');
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.verifiedAt >= VERIFIED_TOKEN_TTL_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.token;
  }

  remember(hash: Buffer, token: VerifiedToken, now: number): void {
    const revokedAt = this.revoked.get(token.id);
    if (revokedAt !== undefined && now - revokedAt < VERIFIED_TOKEN_TTL_MS) return;
    const key = hash.toString('base64');
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { token, verifiedAt: now });
  }

  /** A revoked token is refused from the next request on, not after the TTL. */
  forget(tokenId: string, now = Date.now()): void {
    for (const [id, revokedAt] of this.revoked) if (now - revokedAt >= VERIFIED_TOKEN_TTL_MS) this.revoked.delete(id);
    this.revoked.set(tokenId, now);
    for (const [key, entry] of this.entries) if (entry.token.id === tokenId) this.entries.delete(key);
  }
}
