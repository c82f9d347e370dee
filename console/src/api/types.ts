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

/** Response shapes come from the same document: the response classes under src/ (`*.response.ts`). */
/** Every 4xx and 5xx answer. */
export type ErrorBody = Schemas['ErrorBody'];
export type Whoami = Schemas['WhoamiView'];
export type SecretView = Schemas['SecretView'];
export type SecretPage = Schemas['SecretPage'];
/** POST /secrets answers the webhook secret (clouds) this once. */
export type CreatedSecret = Schemas['CreatedSecretView'];
export type WebhookSecret = Schemas['WebhookSecretView'];
export type WatchStatus = Schemas['WatchStatusView'];
/** GET /readyz: `publishing` only when a broker is configured. */
export type Readiness = Schemas['ReadinessView'];
export type SinkStatus = Schemas['SinkStatusView'];
export type VendorError = Schemas['VendorErrorView'];
export type VerifyResult = Schemas['VerifyResultView'];
export type SyncJob = Schemas['SyncJobView'];
export type SyncJobPage = Schemas['SyncJobPage'];
export type ItemResult = Schemas['ItemResultView'];
export type ItemResultPage = Schemas['ItemResultPage'];
export type Stats = Schemas['InventoryStatsView'];
export type Counts = Stats['by_vendor'];
/** A host or database as listed (every normalised column); `raw` only on GET by id. */
export type Resource = Schemas['HostView'] | Schemas['DatabaseView'];
export type ResourceDetail = Schemas['HostDetail'] | Schemas['DatabaseDetail'];
export type ResourceListPage = Schemas['HostPage'] | Schemas['DatabasePage'];
export type ResourceChange = Schemas['ResourceChangeView'];
export type ResourceChangePage = Schemas['ResourceChangePage'];
export type TokenView = Schemas['TokenView'];
export type CreatedToken = Schemas['CreatedTokenView'];
export type TokenPage = Schemas['TokenPage'];
export type AuditEntry = Schemas['AuditEntryView'];
export type AuditEntryPage = Schemas['AuditEntryPage'];
