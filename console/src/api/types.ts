import type { components, operations } from './schema';

/** Request shapes come from the server's OpenAPI document (schema.d.ts, generated). */
export type Schemas = components['schemas'];
export type CreateSecretBody = Schemas['CreateSecretDto'];
export type UpdateSecretBody = Schemas['UpdateSecretDto'];
export type CreateTokenBody = Schemas['CreateTokenDto'];
export type HostQuery = NonNullable<operations['HostsController_list']['parameters']['query']>;
export type DatabaseQuery = NonNullable<operations['DatabasesController_list']['parameters']['query']>;
export type ResourceQuery = HostQuery & DatabaseQuery;
export type SyncJobsQuery = NonNullable<operations['SyncController_list']['parameters']['query']>;
export type JobItemsQuery = NonNullable<operations['SyncController_items']['parameters']['query']>;
export type AuditQuery = NonNullable<operations['AuditController_list']['parameters']['query']>;

export type Vendor = CreateSecretBody['vendor'];
export type Role = CreateTokenBody['role'];
export type ResourceStatus = NonNullable<HostQuery['status']>;
export type JobStatus = NonNullable<SyncJobsQuery['status']>;
export type ItemAction = NonNullable<JobItemsQuery['action']>;
export type Sort = NonNullable<HostQuery['sort']>;

export const VENDORS: Vendor[] = ['aliyun', 'tencent', 'huawei', 'vsphere'];
export const ROLES: Role[] = ['viewer', 'operator', 'admin'];
export const ITEM_ACTIONS: ItemAction[] = ['created', 'updated', 'unchanged', 'deleted', 'failed'];
export const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'succeeded', 'partial', 'failed', 'interrupted'];

/** Response shapes (the server declares no response schemas): see the *.view.ts files under src/. */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
  total?: number;
  resource_version?: string;
}

export interface Whoami {
  name: string;
  role: Role;
  token_id: string | null;
}

export interface SecretView {
  id: string;
  name: string;
  description: string | null;
  vendor: Vendor;
  credential_type: 'api_key' | 'password';
  api_key: string;
  allow_regions: string[];
  address: string | null;
  request_rate: number;
  project_ids: Record<string, string> | null;
  tls: { ca: string | null; insecure: boolean } | null;
  enabled: boolean;
  sync_schedule: string | null;
  sync_timezone: string | null;
  effective_schedule: string | null;
  next_sync_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface VendorError {
  vendor: string | null;
  code: string;
  message: string;
  retryable?: boolean;
  http_status?: number | null;
  request_id?: string | null;
}

export interface VerifyResult {
  ok: boolean;
  vendor: Vendor;
  region: string | null;
  latency_ms: number;
  error?: VendorError;
}

export interface SyncJob {
  job_id: string;
  secret_id: string;
  vendor: Vendor;
  resource_type: 'host' | 'rds';
  region: string | null;
  trigger: 'api' | 'schedule' | 'event';
  status: JobStatus;
  progress: { pages_done: number; items_done: number };
  total_succeed: number;
  total_failed: number;
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  error: VendorError | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
}

export interface ItemResult {
  instance_id: string | null;
  name: string | null;
  action: ItemAction;
  success: boolean;
  message: string | null;
}

export type Counts = Record<string, number>;
export interface Stats {
  total: number;
  by_vendor: Counts;
  by_region: Counts;
  by_status: Counts;
  by_resource_type: Record<'host' | 'rds', number>;
}

/** A host or database as listed (every normalised column); `raw` only on GET by id. */
export interface Resource {
  id: string;
  vendor: Vendor;
  secret_id: string;
  instance_id: string;
  name: string | null;
  region: string | null;
  zone: string | null;
  status: string;
  tags: Record<string, string> | null;
  state: 'active' | 'deleted';
  raw?: unknown;
  [column: string]: unknown;
}

export interface ResourceChange {
  revision: number;
  change_type: 'created' | 'updated' | 'deleted';
  changed_at: string;
  job_id: string | null;
  changed_fields: Record<string, { old: unknown; new: unknown }> | null;
}

export interface TokenView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { token_id: string | null; name: string };
  action: string;
  target: { kind: string; id: string | null };
  request_id: string | null;
  details: unknown;
}
