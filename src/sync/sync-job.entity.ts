import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ResourceType, Vendor } from '../providers/provider';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'partial', 'failed', 'interrupted'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const JOB_TRIGGERS = ['api', 'schedule', 'event'] as const;
export type JobTrigger = (typeof JOB_TRIGGERS)[number];

/** The vendor's error that ended a listing, as a job keeps it. */
export interface JobError {
  vendor: string | null;
  code: string;
  message: string;
  retryable?: boolean;
  http_status?: number | null;
  request_id?: string | null;
}

/** One sync run of a scope (secret, resource type, region). */
@Entity({ name: 'sync_jobs' })
export class SyncJobEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'secret_id', type: 'uuid', nullable: true })
  secretId: string | null;

  @Column({ type: 'varchar', length: 16 })
  vendor: Vendor;

  @Column({ name: 'resource_type', type: 'varchar', length: 8 })
  resourceType: ResourceType;

  /** '' for vSphere, whose scope is the whole vCenter. */
  @Column({ type: 'varchar', length: 64, default: '' })
  region: string;

  @Column({ type: 'varchar', length: 16 })
  trigger: JobTrigger;

  @Column({ type: 'varchar', length: 16 })
  status: JobStatus;

  @Column({ name: 'slot_key', type: 'text', nullable: true })
  slotKey: string | null;

  @Column({ name: 'pages_done', type: 'integer', default: 0 })
  pagesDone: number;

  @Column({ name: 'items_done', type: 'integer', default: 0 })
  itemsDone: number;

  @Column({ name: 'total_succeed', type: 'integer', default: 0 })
  totalSucceed: number;

  @Column({ name: 'total_failed', type: 'integer', default: 0 })
  totalFailed: number;

  @Column({ type: 'integer', default: 0 })
  created: number;

  @Column({ type: 'integer', default: 0 })
  updated: number;

  @Column({ type: 'integer', default: 0 })
  unchanged: number;

  @Column({ type: 'integer', default: 0 })
  deleted: number;

  @Column({ type: 'jsonb', nullable: true })
  error: JobError | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  /** Written while the job runs by the process running it; a stale one means that process died. */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt: Date | null;
}
