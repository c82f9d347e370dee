import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_ACTIONS = ['secret.created', 'secret.updated', 'secret.deleted', 'token.created', 'token.deleted', 'sync.triggered', 'secret.webhook_secret_rotated', 'webhook.rejected'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const AUDIT_TARGET_KINDS = ['secret', 'token', 'sync_job'] as const;
export type AuditTargetKind = (typeof AUDIT_TARGET_KINDS)[number];

/** Who did what to which secret, token or sync, when, in which request. Append-only. */
@Entity({ name: 'audit_log' })
export class AuditEntryEntity {
  /** bigserial: pg answers it as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;

  /** Kept without a foreign key: the entry outlives the token. Null for CMDB_ADMIN_TOKEN and the system. */
  @Column({ name: 'actor_token_id', type: 'uuid', nullable: true })
  actorTokenId: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 128 })
  actorName: string;

  @Column({ type: 'varchar', length: 32 })
  action: AuditAction;

  @Column({ name: 'target_kind', type: 'varchar', length: 16 })
  targetKind: AuditTargetKind;

  @Column({ name: 'target_id', type: 'varchar', length: 64 })
  targetId: string;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details: Record<string, unknown>;
}
