import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { fieldError } from '../common/validation';
import { AuditAction, AuditEntryEntity, AuditTargetKind } from './audit-entry.entity';
import type { AuditEntryView } from './dto/audit-entry.response';
import { auditEntryView } from './dto/audit-entry.view';
import { ListAuditQuery } from './dto/list-audit.query';
import { RequestContext } from './request-context';

export interface AuditEvent {
  action: AuditAction;
  target: { kind: AuditTargetKind; id: string };
  /** Never a credential: names, scopes, changed field names. */
  details?: Record<string, unknown>;
}

/** Outside any request (start-up, schedules) the actor is the server itself. */
const SYSTEM_ACTOR = { tokenId: null, name: 'system' };

/** Appends to the audit log on behalf of the current request's actor. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>) {}

  /** Pass the manager of the transaction that makes the change, when there is one, so both commit together. */
  async record(event: AuditEvent, manager: EntityManager = this.entries.manager): Promise<void> {
    const actor = RequestContext.actor() ?? SYSTEM_ACTOR;
    await manager.save(
      manager.create(AuditEntryEntity, {
        actorTokenId: actor.tokenId,
        actorName: actor.name,
        action: event.action,
        targetKind: event.target.kind,
        targetId: event.target.id,
        requestId: RequestContext.requestId(),
        details: event.details ?? {},
      }),
    );
  }

  /** Newest first. */
  async list(query: ListAuditQuery): Promise<Page<AuditEntryView>> {
    const builder = this.entries.createQueryBuilder('a').orderBy('a.id', 'DESC').limit(query.limit + 1);
    if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.target_kind) builder.andWhere('a.target_kind = :kind', { kind: query.target_kind });
    if (query.target_id) builder.andWhere('a.target_id = :targetId', { targetId: query.target_id });
    if (query.cursor) {
      const [id] = decodeCursor(query.cursor, ['number']);
      if (!Number.isSafeInteger(id)) throw fieldError('cursor', 'cursor is not valid');
      builder.andWhere('a.id < :id', { id });
    }
    const rows = await builder.getMany();
    return toPage(rows, query.limit, (row) => [Number(row.id)], auditEntryView);
  }
}
