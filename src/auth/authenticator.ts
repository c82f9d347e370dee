import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { EnvironmentVariables } from '../config/environment';
import { ENVIRONMENT_ADMIN_NAME, Actor } from './actor';
import { ApiTokenEntity } from './api-token.entity';
import { hashToken, sameHash, TOKEN_PATTERN } from './api-token';
import { VerifiedToken, VerifiedTokens } from './verified-tokens';

/** A token's last use is written at most this often: a busy client must not cost a write per request. */
export const LAST_USED_PRECISION_MS = 60_000;

export type Authentication = { actor: Actor } | { failure: string };

/** Turns a presented bearer token into the actor it stands for. */
@Injectable()
export class Authenticator {
  private readonly environmentAdminHash: Buffer | null;

  constructor(
    environment: EnvironmentVariables,
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    private readonly verified: VerifiedTokens,
  ) {
    this.environmentAdminHash = environment.CMDB_ADMIN_TOKEN ? hashToken(environment.CMDB_ADMIN_TOKEN) : null;
  }

  async authenticate(presented: string, now = new Date()): Promise<Authentication> {
    const hash = hashToken(presented);
    if (this.environmentAdminHash && sameHash(hash, this.environmentAdminHash)) {
      return { actor: { tokenId: null, name: ENVIRONMENT_ADMIN_NAME, role: 'admin' } };
    }
    if (!TOKEN_PATTERN.test(presented)) return { failure: 'invalid token' };
    const token = this.verified.get(hash, now.getTime()) ?? (await this.lookUp(hash, now));
    if (!token) return { failure: 'invalid token' };
    if (token.expiresAt && token.expiresAt <= now) return { failure: 'token expired' };
    if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS) {
      token.lastUsedAt = now;
      await this.tokens.update({ id: token.id }, { lastUsedAt: now });
    }
    return { actor: { tokenId: token.id, name: token.name, role: token.role } };
  }

  /**
   * Found by its hash through the unique index: the lookup reveals nothing
   * usable about other tokens, since an attacker cannot steer sha256's output.
   */
  private async lookUp(hash: Buffer, now: Date): Promise<VerifiedToken | undefined> {
    const row = await this.tokens.findOneBy({ tokenHash: hash });
    if (!row) return undefined;
    const token: VerifiedToken = { id: row.id, name: row.name, role: row.role, expiresAt: row.expiresAt, lastUsedAt: row.lastUsedAt };
    this.verified.remember(hash, token, now.getTime());
    return token;
  }
}
