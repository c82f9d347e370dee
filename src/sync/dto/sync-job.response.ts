import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageOf, ResponseSchema } from '../../common/response-schema';
import type { ItemAction } from '../../inventory/inventory-writer';
import { RESOURCE_TYPES, VENDORS, type ResourceType, type Vendor } from '../../providers/provider';
import { JOB_STATUSES, JOB_TRIGGERS, type JobStatus, type JobTrigger } from '../sync-job.entity';
import { ITEM_ACTIONS } from './sync-job-queries';

/** The vendor's error that ended a listing (or ours: `Interrupted`, `Timeout`, ...). Never a credential nor a request dump. */
@ResponseSchema()
export class VendorErrorView {
  @ApiProperty({ type: String, nullable: true, description: 'null for an error of the server itself (an interrupted job)' })
  vendor: string | null;

  @ApiProperty({ description: 'The vendor\'s own code (`Throttling.User`, `APIGW.0308`), or ours (`Timeout`, `NetworkError`, `Interrupted`)' })
  code: string;

  @ApiProperty()
  message: string;

  @ApiPropertyOptional({ description: 'Whether retrying later may succeed' })
  retryable?: boolean;

  @ApiPropertyOptional({ type: 'integer', nullable: true })
  http_status?: number | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'The vendor\'s request id, for its support' })
  request_id?: string | null;
}

@ResponseSchema()
export class JobProgressView {
  @ApiProperty({ type: 'integer' })
  pages_done: number;

  @ApiProperty({ type: 'integer' })
  items_done: number;
}

/** One sync run of a scope (syncJobView). */
@ResponseSchema()
export class SyncJobView {
  @ApiProperty({ format: 'uuid' })
  job_id: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null once the secret is deleted' })
  secret_id: string | null;

  @ApiProperty({ enum: VENDORS })
  vendor: Vendor;

  @ApiProperty({ enum: RESOURCE_TYPES })
  resource_type: ResourceType;

  @ApiProperty({ type: String, nullable: true, description: 'null for vSphere (the whole vCenter)' })
  region: string | null;

  @ApiProperty({ enum: JOB_TRIGGERS })
  trigger: JobTrigger;

  @ApiProperty({ enum: JOB_STATUSES })
  status: JobStatus;

  @ApiProperty({ type: JobProgressView })
  progress: JobProgressView;

  @ApiProperty({ type: 'integer' })
  total_succeed: number;

  @ApiProperty({ type: 'integer' })
  total_failed: number;

  @ApiProperty({ type: 'integer' })
  created: number;

  @ApiProperty({ type: 'integer' })
  updated: number;

  @ApiProperty({ type: 'integer' })
  unchanged: number;

  @ApiProperty({ type: 'integer' })
  deleted: number;

  @ApiProperty({ type: VendorErrorView, nullable: true, description: 'Why the listing could not be completed (then nothing was deleted)' })
  error: VendorErrorView | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  started_at: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finished_at: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  duration_ms: number | null;
}

/** What a sync did with one item of the vendor's listing. */
@ResponseSchema()
export class ItemResultView {
  @ApiProperty({ type: String, nullable: true })
  instance_id: string | null;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;

  @ApiProperty({ enum: ITEM_ACTIONS })
  action: ItemAction;

  @ApiProperty()
  success: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Why it failed (or was left unchanged by a newer stored state)' })
  message: string | null;
}

/** A finished sync's answer: the job, and its first per-item results at the asked detail level. */
@ResponseSchema()
export class SyncAnswerView extends SyncJobView {
  @ApiProperty({ type: 'integer', description: 'How many items the detail level holds' })
  details_total: number;

  @ApiProperty({ description: 'More items than details_limit: page the rest from details_next' })
  details_truncated: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'GET this for every item, 500 a page' })
  details_next: string | null;

  @ApiProperty({ type: [ItemResultView] })
  details: ItemResultView[];
}

@ResponseSchema()
export class SyncAllView {
  @ApiProperty({ type: [String], format: 'uuid', description: 'One job per scope, queued' })
  job_ids: string[];
}

export const SyncJobPage = PageOf(SyncJobView, 'SyncJobPage');
export const ItemResultPage = PageOf(ItemResultView, 'ItemResultPage');
