import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { decodeCursor, Page, PageQuery, toPage } from '../common/pagination';
import { fieldError } from '../common/validation';
import { ApiTokenEntity } from './api-token.entity';
import { generateToken } from './api-token';
import { AuditService } from './audit.service';
import { CreateTokenDto } from './dto/create-token.dto';
import { CreatedTokenView, TokenView } from './dto/token.response';
import { tokenView } from './dto/token.view';
import type { Role } from './roles';
import { VerifiedTokens } from './verified-tokens';

/** API tokens: created (shown once), listed, revoked; each change in the audit log with it. */
@Injectable()
export class TokensService {
  constructor(
    @InjectRepository(ApiTokenEntity) private readonly tokens: Repository<ApiTokenEntity>,
    private readonly audit: AuditService,
    private readonly verified: VerifiedTokens,
  ) {}

  async create(dto: CreateTokenDto): Promise<CreatedTokenView> {
    let expiresAt: Date | null = null;
    if (dto.expires_at !== undefined) {
      expiresAt = new Date(dto.expires_at);
      if (expiresAt.getTime() <= Date.now()) throw fieldError('expires_at', 'expires_at must be in the future');
    }
    return this.issue(dto.name.trim(), dto.role, expiresAt);
  }

  async list(query: PageQuery): Promise<Page<TokenView>> {
    // Ordered on milliseconds: the cursor carries a JS Date, which has no microseconds.
    const createdMs = `date_trunc('milliseconds', t.created_at)`;
    const builder = this.tokens.createQueryBuilder('t').orderBy(createdMs, 'ASC').addOrderBy('t.id', 'ASC').limit(query.limit + 1);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, ['time', 'uuid']);
      builder.andWhere(`(${createdMs}, t.id) > (:createdAt::timestamptz, :id::uuid)`, { createdAt, id });
    }
    const rows = await builder.getMany();
    return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], tokenView);
  }

  /** Revoking deletes the token: the next request with it is a 401 (within VERIFIED_TOKEN_TTL_MS on other processes). */
  async remove(id: string): Promise<void> {
    await this.tokens.manager.transaction(async (manager) => {
      const token = await manager.findOneBy(ApiTokenEntity, { id });
      if (!token) throw new NotFoundException(`token ${id} not found`);
      await manager.delete(ApiTokenEntity, { id });
      await this.audit.record({ action: 'token.deleted', target: { kind: 'token', id }, details: { name: token.name, role: token.role } }, manager);
    });
    this.verified.forget(id);
  }

  /** Whether any admin token works now: without one (and without CMDB_ADMIN_TOKEN) nobody can administer the server. */
  hasUsableAdmin(now = new Date()): Promise<boolean> {
    return this.tokens.exists({ where: [{ role: 'admin', expiresAt: IsNull() }, { role: 'admin', expiresAt: MoreThan(now) }] });
  }

  /** Stores a new token's hash with its audit entry, in one transaction, and answers the token once. */
  async issue(name: string, role: Role, expiresAt: Date | null): Promise<CreatedTokenView> {
    const { token, hash, prefix } = generateToken();
    const saved = await this.tokens.manager.transaction(async (manager) => {
      const row = await manager.save(manager.create(ApiTokenEntity, { name, role, tokenHash: hash, prefix, expiresAt, lastUsedAt: null }));
      await this.audit.record(
        { action: 'token.created', target: { kind: 'token', id: row.id }, details: { name, role, expires_at: expiresAt?.toISOString() ?? null } },
        manager,
      );
      return row;
    });
    return { ...tokenView(saved), token };
  }
}
