import type { AuditEntryEntity } from '../audit-entry.entity';

export function auditEntryView(entry: AuditEntryEntity) {
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

export type AuditEntryView = ReturnType<typeof auditEntryView>;
