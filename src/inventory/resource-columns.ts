import { CHARGE_TYPES, RESOURCE_STATUSES, type DatabaseRecord, type HostRecord, type ResourceRecord, type ResourceType } from '../providers/provider';

export type ColumnType = 'text' | 'int' | 'timestamptz' | 'text[]' | 'jsonb';

/** One stored column of a resource: how it is read off a normalised record, and its bounds. */
export interface ResourceColumn<R extends ResourceRecord = ResourceRecord> {
  name: string;
  type: ColumnType;
  /** varchar length: a longer value fails its item alone instead of its batch. */
  maxLength?: number;
  /** The column may hold null (lists and tags never do: empty instead). */
  nullable?: true;
  /** Its vocabulary, when it has one. */
  values?: readonly string[];
  value: (record: R) => unknown;
}

const INT_MAX = 2_147_483_647;

const COMMON: ResourceColumn[] = [
  { name: 'region', type: 'text', maxLength: 64, value: (r) => r.region },
  { name: 'zone', type: 'text', maxLength: 64, nullable: true, value: (r) => r.zone },
  { name: 'name', type: 'text', value: (r) => r.name },
  { name: 'status', type: 'text', maxLength: 16, values: RESOURCE_STATUSES, value: (r) => r.status },
  { name: 'raw_status', type: 'text', maxLength: 64, value: (r) => r.rawStatus },
  { name: 'charge_type', type: 'text', maxLength: 16, nullable: true, values: CHARGE_TYPES, value: (r) => r.chargeType },
  { name: 'vendor_created_at', type: 'timestamptz', nullable: true, value: (r) => r.createdAt },
  { name: 'expire_at', type: 'timestamptz', nullable: true, value: (r) => r.expireAt },
  { name: 'private_ips', type: 'text[]', value: (r) => r.privateIps },
  { name: 'public_ips', type: 'text[]', value: (r) => r.publicIps },
  { name: 'vpc_id', type: 'text', maxLength: 128, nullable: true, value: (r) => r.vpcId },
  { name: 'subnet_id', type: 'text', maxLength: 128, nullable: true, value: (r) => r.subnetId },
  { name: 'tags', type: 'jsonb', value: (r) => r.tags },
];

const HOST: ResourceColumn<HostRecord>[] = [
  { name: 'hostname', type: 'text', nullable: true, value: (r) => r.hostname },
  { name: 'instance_type', type: 'text', maxLength: 64, nullable: true, value: (r) => r.instanceType },
  { name: 'cpu', type: 'int', nullable: true, value: (r) => r.cpu },
  { name: 'memory_mib', type: 'int', nullable: true, value: (r) => r.memoryMib },
  { name: 'os_name', type: 'text', nullable: true, value: (r) => r.osName },
  { name: 'os_type', type: 'text', maxLength: 32, nullable: true, value: (r) => r.osType },
  { name: 'image_id', type: 'text', maxLength: 128, nullable: true, value: (r) => r.imageId },
  { name: 'security_groups', type: 'text[]', value: (r) => r.securityGroups },
];

const DATABASE: ResourceColumn<DatabaseRecord>[] = [
  { name: 'engine', type: 'text', maxLength: 32, nullable: true, value: (r) => r.engine },
  { name: 'engine_version', type: 'text', maxLength: 32, nullable: true, value: (r) => r.engineVersion },
  { name: 'instance_class', type: 'text', maxLength: 64, nullable: true, value: (r) => r.instanceClass },
  { name: 'cpu', type: 'int', nullable: true, value: (r) => r.cpu },
  { name: 'memory_mib', type: 'int', nullable: true, value: (r) => r.memoryMib },
  { name: 'storage_gb', type: 'int', nullable: true, value: (r) => r.storageGb },
  { name: 'port', type: 'int', nullable: true, value: (r) => r.port },
  { name: 'private_endpoints', type: 'text[]', value: (r) => r.privateEndpoints },
  { name: 'public_endpoints', type: 'text[]', value: (r) => r.publicEndpoints },
];

export interface ResourceKind {
  type: ResourceType;
  table: 'hosts' | 'databases';
  /** The columns a record fills, whose changes are tracked (raw and bookkeeping excluded). */
  columns: ResourceColumn[];
}

export const RESOURCE_KINDS: Record<ResourceType, ResourceKind> = {
  host: { type: 'host', table: 'hosts', columns: [...COMMON, ...(HOST as ResourceColumn[])] },
  rds: { type: 'rds', table: 'databases', columns: [...COMMON, ...(DATABASE as ResourceColumn[])] },
};

/** Why a record cannot be stored, or null: checked before the batch so one bad record fails alone. */
export function rowProblem(kind: ResourceKind, record: ResourceRecord): string | null {
  if (!record.instanceId || record.instanceId.length > 128) return 'instance id is missing or longer than 128 characters';
  for (const column of kind.columns) {
    const value = column.value(record);
    if (value === null || value === undefined) continue;
    if (column.maxLength && typeof value === 'string' && value.length > column.maxLength) {
      return `${column.name} is longer than ${column.maxLength} characters`;
    }
    if (column.type === 'int' && (!Number.isInteger(value) || (value as number) < 0 || (value as number) > INT_MAX)) {
      return `${column.name} is not a whole number in range: ${String(value)}`;
    }
    if (column.type === 'timestamptz' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
      return `${column.name} is not a time: ${String(value)}`;
    }
    if (column.type === 'text[]' && (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))) {
      return `${column.name} is not a list of strings`;
    }
  }
  return null;
}
