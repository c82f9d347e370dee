import type { ChargeType, DatabaseRecord, HostRecord, ResourceStatus } from '../provider';
import {
  isoTime,
  lookup,
  optionalNumber,
  optionalString,
  requireString,
  stringList,
  tagsFromPairs,
  tagsFromStrings,
} from '../common/normalise';

/**
 * Huawei's wire items (read by their wire keys: the SDK hands back plain JSON)
 * into our records. ECS: ListServersDetails `servers[]`; RDS: ListInstances `instances[]`.
 */

type Raw = Record<string, unknown>;

const SERVER_STATUS: Record<string, ResourceStatus> = {
  active: 'running',
  build: 'pending',
  rebuild: 'pending',
  resize: 'pending',
  verify_resize: 'pending',
  revert_resize: 'pending',
  migrating: 'running',
  reboot: 'rebooting',
  hard_reboot: 'rebooting',
  shutoff: 'stopped',
  suspended: 'stopped',
  paused: 'stopped',
  shelved: 'stopped',
  shelved_offloaded: 'stopped',
  error: 'error',
  deleted: 'deleting',
  soft_deleted: 'deleting',
  unknown: 'unknown',
};

/** The task in progress says more than the state it started from (ACTIVE while powering off is stopping). */
const SERVER_TASK: Record<string, ResourceStatus> = {
  'powering-off': 'stopping',
  'powering-on': 'starting',
  rebooting: 'rebooting',
  reboot_started: 'rebooting',
  deleting: 'deleting',
};

const INSTANCE_STATUS: Record<string, ResourceStatus> = {
  active: 'running',
  build: 'pending',
  failed: 'error',
  frozen: 'stopped',
  shutdown: 'stopped',
  modifying: 'running',
  rebooting: 'rebooting',
  restoring: 'pending',
  'modifying instance type': 'running',
  switchover: 'running',
  migrating: 'running',
  'backing up': 'running',
  'modifying database port': 'running',
  'storage full': 'error',
  deleting: 'deleting',
};

/** ECS `metadata.charging_mode`: 0 on demand, 1 yearly/monthly, 2 spot. */
const SERVER_CHARGE: Record<string, ChargeType> = { '0': 'postpaid', '1': 'prepaid', '2': 'spot' };
const INSTANCE_CHARGE: Record<string, ChargeType> = { postpaid: 'postpaid', prepaid: 'prepaid' };

/** Fields that can carry secrets of the customer's own (cloud-init scripts, passwords): never stored. */
const UNSAFE_SERVER_FIELDS = ['OS-EXT-SRV-ATTR:user_data', 'adminPass'];

export function mapServer(raw: Raw, region: string): HostRecord {
  const flavor = record(raw.flavor);
  const metadata = record(raw.metadata);
  const addresses = serverAddresses(raw.addresses);
  const primaryNic = list(raw.network_interfaces).map(record).find((nic) => nic.primary === true);
  const rawStatus = requireString(raw.status, 'status');
  const task = optionalString(raw['OS-EXT-STS:task_state']);
  return {
    kind: 'host',
    vendor: 'huawei',
    instanceId: requireString(raw.id, 'id'),
    name: optionalString(raw.name) ?? '',
    region,
    zone: optionalString(raw['OS-EXT-AZ:availability_zone']),
    status: (task && SERVER_TASK[task.toLowerCase()]) || lookup(SERVER_STATUS, rawStatus, 'unknown'),
    rawStatus,
    chargeType: lookup(SERVER_CHARGE, metadata.charging_mode, null),
    createdAt: isoTime(raw.created),
    expireAt: isoTime(raw.auto_terminate_time),
    privateIps: addresses.fixed,
    publicIps: addresses.floating,
    vpcId: optionalString(metadata.vpc_id) ?? addresses.vpcId,
    subnetId: optionalString(primaryNic?.subnet_id),
    tags: mixedTags(raw.tags),
    raw: withoutFields(raw, UNSAFE_SERVER_FIELDS),
    hostname: optionalString(raw['OS-EXT-SRV-ATTR:hostname']),
    instanceType: optionalString(flavor.id) ?? optionalString(flavor.name),
    cpu: optionalNumber(flavor.vcpus),
    memoryMib: optionalNumber(flavor.ram),
    osName: optionalString(metadata.image_name),
    osType: optionalString(metadata.os_type)?.toLowerCase() ?? null,
    imageId: optionalString(record(raw.image).id),
    securityGroups: list(raw.security_groups)
      .map(record)
      .map((group) => optionalString(group.id) ?? optionalString(group.name))
      .filter((group): group is string => group !== null),
  };
}

export function mapInstance(raw: Raw, region: string): DatabaseRecord {
  const datastore = record(raw.datastore);
  const volume = record(raw.volume);
  const memoryGb = optionalNumber(raw.mem);
  const privateIps = stringList(raw.private_ips);
  const publicIps = stringList(raw.public_ips);
  const rawStatus = requireString(raw.status, 'status');
  return {
    kind: 'rds',
    vendor: 'huawei',
    instanceId: requireString(raw.id, 'id'),
    name: optionalString(raw.name) ?? '',
    region: optionalString(raw.region) ?? region,
    zone: optionalString(list(raw.nodes).map(record)[0]?.availability_zone),
    status: lookup(INSTANCE_STATUS, rawStatus, 'unknown'),
    rawStatus,
    chargeType: lookup(INSTANCE_CHARGE, record(raw.charge_info).charge_mode, null),
    createdAt: isoTime(raw.created),
    expireAt: isoTime(raw.expiration_time),
    privateIps,
    publicIps,
    vpcId: optionalString(raw.vpc_id),
    subnetId: optionalString(raw.subnet_id),
    tags: mixedTags(raw.tags),
    raw,
    engine: optionalString(datastore.type),
    engineVersion: optionalString(datastore.version),
    instanceClass: optionalString(raw.flavor_ref),
    cpu: optionalNumber(raw.cpu),
    // RDS gives memory in GB, as a string.
    memoryMib: memoryGb === null ? null : Math.round(memoryGb * 1024),
    storageGb: optionalNumber(volume.size),
    port: optionalNumber(raw.port),
    privateEndpoints: unique([...stringList(raw.private_dns_names), ...privateIps]),
    publicEndpoints: unique([...stringList(raw.public_dns_names), ...publicIps]),
  };
}

/** For a rejected item: whatever identifies it. */
export function identify(raw: Raw): { instanceId: string | null; name: string | null } {
  return { instanceId: optionalString(raw.id), name: optionalString(raw.name) };
}

/** `addresses` is keyed by VPC id; each address says whether it is the NIC's own (fixed) or an EIP (floating). */
function serverAddresses(value: unknown): { fixed: string[]; floating: string[]; vpcId: string | null } {
  const fixed: string[] = [];
  const floating: string[] = [];
  const networks = Object.entries(record(value));
  for (const [, entries] of networks) {
    for (const entry of list(entries).map(record)) {
      const addr = optionalString(entry.addr);
      if (!addr) continue;
      (entry['OS-EXT-IPS:type'] === 'floating' ? floating : fixed).push(addr);
    }
  }
  return { fixed: unique(fixed), floating: unique(floating), vpcId: networks[0]?.[0] ?? null };
}

/** ECS tags are "key=value" strings; other Huawei APIs send `{key, value}` pairs. Either may come. */
function mixedTags(value: unknown): Record<string, string> {
  const entries = list(value);
  return { ...tagsFromStrings(entries), ...tagsFromPairs(entries, 'key', 'value') };
}

function withoutFields(raw: Raw, fields: string[]): Raw {
  if (!fields.some((field) => field in raw)) return raw;
  const copy = { ...raw };
  for (const field of fields) delete copy[field];
  return copy;
}

function record(value: unknown): Raw {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
