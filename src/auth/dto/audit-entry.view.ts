import type { AuditEntryEntity } from '../audit-entry.entity';
import type { AuditEntryView } from './audit-entry.response';

export function auditEntryView(entry: AuditEntryEntity): AuditEntryView {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actor: { token_id: entry.actorTokenId, name: entry.actorName },
    action: entry.action,
    target: { kind: entry.targetKind, id: entry.targetId },
    request_id: entry.requestId,
    details: entry.details,
  };
}
