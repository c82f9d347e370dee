/**
 * The one contract every vendor adapter implements. Providers know nothing of
 * the database or of sync: they page through a vendor and yield normalised
 * records. Sync composes them with the inventory.
 */

export const VENDORS = ['aliyun', 'tencent', 'huawei', 'vsphere'] as const;
export type Vendor = (typeof VENDORS)[number];

export const RESOURCE_TYPES = ['host', 'rds'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** One status vocabulary across vendors; the vendor's own word is kept in rawStatus. */
export const RESOURCE_STATUSES = [
  'pending',
  'running',
  'stopping',
  'stopped',
  'starting',
  'rebooting',
  'error',
  'deleting',
  'unknown',
] as const;
export type ResourceStatus = (typeof RESOURCE_STATUSES)[number];

export const CHARGE_TYPES = ['prepaid', 'postpaid', 'spot'] as const;
export type ChargeType = (typeof CHARGE_TYPES)[number];

/** What a provider needs of a secret: decrypted, and never logged. */
export interface ProviderCredentials {
  /** Our secret id: the key of the per-secret rate limiter and client caches. */
  secretId: string;
  vendor: Vendor;
  apiKey: string;
  apiSecret: string;
  /** vSphere host[:port], or an endpoint override for a cloud (private regions, simulators). */
  address?: string | null;
  /** Vendor requests per second allowed for this secret, shared by every sync in the process. */
  requestRate: number;
  /** Huawei: project id per region; a missing region is looked up through IAM. */
  projectIds?: Record<string, string> | null;
  /** vSphere TLS: a CA bundle (PEM) or an explicit insecure flag. */
  tls?: { ca?: string | null; insecure?: boolean } | null;
}

/** Fields every resource shares, whatever its kind. Times are ISO-8601 UTC strings. */
export interface ResourceRecordBase {
  vendor: Vendor;
  instanceId: string;
  name: string;
  region: string;
  zone: string | null;
  status: ResourceStatus;
  rawStatus: string;
  chargeType: ChargeType | null;
  createdAt: string | null;
  expireAt: string | null;
  privateIps: string[];
  publicIps: string[];
  vpcId: string | null;
  subnetId: string | null;
  tags: Record<string, string>;
  /** The vendor's item as received, credentials never included. */
  raw: Record<string, unknown>;
}

export interface HostRecord extends ResourceRecordBase {
  kind: 'host';
  hostname: string | null;
  instanceType: string | null;
  cpu: number | null;
  memoryMib: number | null;
  osName: string | null;
  osType: string | null;
  imageId: string | null;
  securityGroups: string[];
}

export interface DatabaseRecord extends ResourceRecordBase {
  kind: 'rds';
  engine: string | null;
  engineVersion: string | null;
  instanceClass: string | null;
  cpu: number | null;
  memoryMib: number | null;
  storageGb: number | null;
  port: number | null;
  privateEndpoints: string[];
  publicEndpoints: string[];
}

export type ResourceRecord = HostRecord | DatabaseRecord;

/** An item of a page that could not be normalised: it fails alone, its page still counts. */
export interface RejectedItem {
  instanceId: string | null;
  name: string | null;
  reason: string;
}

export interface ResourcePage<T extends ResourceRecord = ResourceRecord> {
  /** Sequence of the page in the listing, from 1 (pages may arrive out of order when fetched in parallel). */
  pageNumber: number;
  /** When the page was requested (taken before the call): stale data never overwrites newer. */
  queryAt: Date;
  items: T[];
  rejected: RejectedItem[];
  /** The vendor's announced total, when it gives one. */
  total?: number;
}

export interface ListOptions {
  /** null for vSphere, whose scope is the whole vCenter. */
  region: string | null;
  signal?: AbortSignal;
}

/**
 * One answer of a vendor's own change feed (vSphere's PropertyCollector): the
 * records that entered or changed, and the instance ids that left.
 */
export interface FeedAnswer<T extends ResourceRecord = ResourceRecord> {
  /** The first answer of a feed: `items` are then the scope's complete listing, and what it lacks is gone. */
  complete: boolean;
  /** When the answer arrived: the time at which what it says was true. */
  observedAt: Date;
  items: T[];
  rejected: RejectedItem[];
  gone: string[];
}

/**
 * One vendor adapter. `list` yields every page of one scope; it throws a
 * ProviderError when the listing cannot be completed (the caller then knows the
 * listing is incomplete and must delete nothing).
 */
export interface CloudProvider {
  readonly vendor: Vendor;
  /** Whether a scope needs a region (false for vSphere). */
  readonly needsRegion: boolean;
  readonly resourceTypes: readonly ResourceType[];
  list(
    credentials: ProviderCredentials,
    resourceType: ResourceType,
    options: ListOptions,
  ): AsyncIterable<ResourcePage>;
  /** One cheap call that proves the credential works in the region; throws ProviderError if not. */
  verify(credentials: ProviderCredentials, region: string | null): Promise<void>;
  /**
   * Follows the vendor's change feed of one scope, for vendors that have one:
   * a complete listing first, then each change as it happens, until the signal
   * aborts (it then returns) or the feed breaks (it throws; start over).
   */
  watch?(credentials: ProviderCredentials, resourceType: ResourceType, signal: AbortSignal): AsyncIterable<FeedAnswer>;
  /**
   * Reads one resource by id (delta sync re-reads what an event names):
   * null when the vendor does not hold it. Through the same rate limiter and
   * retries as a listing. Absent for vendors with a change feed of their own (vSphere).
   */
  get?(credentials: ProviderCredentials, resourceType: ResourceType, region: string, instanceId: string): Promise<ResourceRecord | null>;
  /**
   * Normalises one item in the shape the vendor's API lists it (a change
   * notification that carries the resource); throws when it cannot.
   */
  recordOf?(resourceType: ResourceType, region: string, item: Record<string, unknown>): ResourceRecord;
  /** Releases what the adapter keeps between calls (kept-alive sockets), on shutdown. */
  dispose?(): void;
}
