import type { Repository } from 'typeorm';
import type { EnvironmentVariables } from '../config/environment';
import { ApiTokenEntity } from './api-token.entity';
import { generateToken } from './api-token';
import { Authenticator, LAST_USED_PRECISION_MS } from './authenticator';
import { VERIFIED_TOKEN_TTL_MS, VerifiedTokens } from './verified-tokens';

/** The token table as the authenticator uses it: found by hash, last use written back; every call counted. */
class TokenTable {
  readonly rows: ApiTokenEntity[] = [];
  lookups = 0;
  readonly lastUseWrites: Date[] = [];

  async findOneBy({ tokenHash }: { tokenHash: Buffer }): Promise<ApiTokenEntity | null> {
    this.lookups++;
    return this.rows.find((row) => row.tokenHash.equals(tokenHash)) ?? null;
  }

  async update({ id }: { id: string }, { lastUsedAt }: { lastUsedAt: Date }): Promise<void> {
    this.lastUseWrites.push(lastUsedAt);
    const row = this.rows.find((candidate) => candidate.id === id);
    if (row) row.lastUsedAt = lastUsedAt;
  }
}

describe('Authenticator', () => {
  const t0 = new Date('2026-12-01T10:00:00Z');
  const at = (ms: number) => new Date(t0.getTime() + ms);

  function setUp(expiresAt: Date | null = null) {
    const table = new TokenTable();
    const { token, hash, prefix } = generateToken();
    table.rows.push(Object.assign(new ApiTokenEntity(), { id: 'token-1', name: 'grafana', role: 'viewer', tokenHash: hash, prefix, expiresAt, lastUsedAt: null }));
    const verified = new VerifiedTokens();
    const authenticator = new Authenticator({} as EnvironmentVariables, table as unknown as Repository<ApiTokenEntity>, verified);
    return { table, token, verified, authenticator };
  }

  it('asks the database once for a busy client, not once a request', async () => {
    const { table, token, authenticator } = setUp();
    for (let i = 0; i < 50; i++) {
      expect(await authenticator.authenticate(token, at(i * 100))).toEqual({ actor: { tokenId: 'token-1', name: 'grafana', role: 'viewer' } });
    }
    expect(table.lookups).toBe(1);
    expect(table.lastUseWrites).toEqual([t0]);
  });

  it('asks again once the token has been believed for the TTL, and then refuses a token deleted meanwhile', async () => {
    const { table, token, authenticator } = setUp();
    await authenticator.authenticate(token, t0);
    table.rows.length = 0; // revoked by another process
    expect(await authenticator.authenticate(token, at(VERIFIED_TOKEN_TTL_MS - 1))).toHaveProperty('actor');
    expect(await authenticator.authenticate(token, at(VERIFIED_TOKEN_TTL_MS))).toEqual({ failure: 'invalid token' });
    expect(table.lookups).toBe(2);
  });

  it('refuses a token revoked in this process from the next request on', async () => {
    const { table, token, verified, authenticator } = setUp();
    await authenticator.authenticate(token, t0);
    table.rows.length = 0;
    verified.forget('token-1', t0.getTime() + 1);
    expect(await authenticator.authenticate(token, at(2))).toEqual({ failure: 'invalid token' });
  });

  it('does not bring back a token revoked while its lookup was under way', async () => {
    const { table, token, verified, authenticator } = setUp();
    const row = table.rows[0];
    table.findOneBy = async () => {
      verified.forget('token-1', t0.getTime()); // the revocation commits while the row is on its way
      return row;
    };
    await authenticator.authenticate(token, t0);
    table.rows.length = 0;
    table.findOneBy = TokenTable.prototype.findOneBy;
    expect(await authenticator.authenticate(token, at(1))).toEqual({ failure: 'invalid token' });
  });

  it('refuses a remembered token the moment it expires', async () => {
    const { token, authenticator } = setUp(at(5_000));
    expect(await authenticator.authenticate(token, t0)).toHaveProperty('actor');
    expect(await authenticator.authenticate(token, at(5_000))).toEqual({ failure: 'token expired' });
  });

  it('writes the last use at most once a minute, also while the token is remembered', async () => {
    const { table, token, authenticator } = setUp();
    for (let ms = 0; ms <= 2 * LAST_USED_PRECISION_MS; ms += 1_000) await authenticator.authenticate(token, at(ms));
    expect(table.lastUseWrites).toEqual([t0, at(LAST_USED_PRECISION_MS), at(2 * LAST_USED_PRECISION_MS)]);
  });

  it('never remembers a failed lookup', async () => {
    const { table, authenticator } = setUp();
    const stranger = generateToken().token;
    await authenticator.authenticate(stranger, t0);
    await authenticator.authenticate(stranger, at(1));
    expect(table.lookups).toBe(2);
  });
});
