import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Vendor } from '../providers/provider';

export type CredentialType = 'api_key' | 'password';

export const WATCH_STATES = ['starting', 'following', 'reconnecting', 'failed', 'stopped'] as const;
export type WatchState = (typeof WATCH_STATES)[number];

/** How the process that follows a secret's change feed is doing, as it last wrote it. */
export interface WatchStatus {
  state: WatchState;
  /** The vendor's error that ended the last attempt (code and message only), null once following again. */
  error: { code: string; message: string } | null;
  /** When the last answer with changes was applied. */
  last_update_at: string | null;
  /** Resources created, updated or deleted from the feed, counted on across restarts and takeovers of its follower. */
  updates_applied: number;
  /** When the state last changed. */
  since: string;
}

@Entity({ name: 'secrets' })
export class SecretEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'varchar', length: 16 })
  vendor: Vendor;

  @Column({ name: 'credential_type', type: 'varchar', length: 16 })
  credentialType: CredentialType;

  @Column({ name: 'api_key', type: 'text' })
  apiKey: string;

  @Column({ name: 'api_secret_ciphertext', type: 'bytea' })
  apiSecretCiphertext: Buffer;

  @Column({ name: 'api_secret_iv', type: 'bytea' })
  apiSecretIv: Buffer;

  @Column({ name: 'api_secret_tag', type: 'bytea' })
  apiSecretTag: Buffer;

  @Column({ name: 'api_secret_key_id', type: 'varchar', length: 64 })
  apiSecretKeyId: string;

  @Column({ name: 'allow_regions', type: 'text', array: true, default: () => `'{}'` })
  allowRegions: string[];

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ name: 'request_rate', type: 'integer', default: 5 })
  requestRate: number;

  @Column({ name: 'project_ids', type: 'jsonb', nullable: true })
  projectIds: Record<string, string> | null;

  @Column({ name: 'tls_ca', type: 'text', nullable: true })
  tlsCa: string | null;

  @Column({ name: 'tls_insecure', type: 'boolean', default: false })
  tlsInsecure: boolean;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** A cron expression or macro; null follows CMDB_SYNC_SCHEDULE; 'off' opts out. */
  @Column({ name: 'sync_schedule', type: 'varchar', length: 128, nullable: true })
  syncSchedule: string | null;

  @Column({ name: 'sync_timezone', type: 'varchar', length: 64, nullable: true })
  syncTimezone: string | null;

  /** The latest schedule slot enqueued for this secret (missed slots after downtime run once). */
  @Column({ name: 'last_slot_at', type: 'timestamptz', nullable: true })
  lastSlotAt: Date | null;

  /** vSphere only: follow the vCenter's change feed (one watcher across every replica). */
  @Column({ type: 'boolean', default: false })
  watch: boolean;

  @Column({ name: 'watch_status', type: 'jsonb', nullable: true })
  watchStatus: WatchStatus | null;

  /** Delta sync: whether this secret's webhooks accept vendor notifications. */
  @Column({ name: 'delta_sync', type: 'boolean', default: false })
  deltaSync: boolean;

  /** Huawei: the SMN topics whose subscription confirmations and notifications are accepted. */
  @Column({ name: 'smn_topic_urns', type: 'text', array: true, default: () => `'{}'` })
  smnTopicUrns: string[];

  /** Huawei: SMN signing certificates (PEM) trusted besides the shipped one. */
  @Column({ name: 'smn_signing_certs', type: 'text', nullable: true })
  smnSigningCerts: string | null;

  /** Aliyun: EventBridge's signing certificates (PEM); deliveries signed by one are accepted without the webhook secret. */
  @Column({ name: 'eventbridge_signing_certs', type: 'text', nullable: true })
  eventbridgeSigningCerts: string | null;

  /** The CloudEvents webhook's HMAC key, sealed like api_secret (null until one is issued). */
  @Column({ name: 'webhook_secret_ciphertext', type: 'bytea', nullable: true })
  webhookSecretCiphertext: Buffer | null;

  @Column({ name: 'webhook_secret_iv', type: 'bytea', nullable: true })
  webhookSecretIv: Buffer | null;

  @Column({ name: 'webhook_secret_tag', type: 'bytea', nullable: true })
  webhookSecretTag: Buffer | null;

  @Column({ name: 'webhook_secret_key_id', type: 'varchar', length: 64, nullable: true })
  webhookSecretKeyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
