import type { ChargeType, DatabaseRecord, HostRecord, ResourceStatus } from '../provider';
import {
  isoTime,
  lookup,
  optionalNumber,
  optionalString,
  requireString,
  stringList,
  tagsFromPairs,
} from '../common/normalise';

/** A CVM Instance or CDB item as the SDK parsed it. */
export type TencentItem = Record<string, unknown>;

const CVM_STATUS: Record<string, ResourceStatus> = {
  pending: 'pending',
  launch_failed: 'error',
  running: 'running',
  stopped: 'stopped',
  starting: 'starting',
  stopping: 'stopping',
  rebooting: 'rebooting',
  shutdown: 'stopped',
  terminating: 'deleting',
};

/** CDB's numeric states: 0 creating, 1 running, 4 isolating, 5 isolated (recycle bin). */
const CDB_STATUS: Record<string, ResourceStatus> = { '0': 'pending', '1': 'running', '4': 'deleting', '5': 'stopped' };

const CVM_CHARGE: Record<string, ChargeType> = {
  prepaid: 'prepaid',
  postpaid_by_hour: 'postpaid',
  spotpaid: 'spot',
  cdhpaid: 'prepaid',
};
const CDB_CHARGE: Record<string, ChargeType> = { '0': 'prepaid', '1': 'postpaid' };

const GIB_IN_MIB = 1024;

function object(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/** CDB prints Beijing local time without a zone ("2024-03-01 10:20:00"), and zeros for "never". */
function beijingTime(value: unknown): string | null {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return isoTime(value);
  return isoTime(value.replace(' ', 'T') + '+08:00');
}

/** `region` is the listing's: a CVM item does not name its region. */
export function mapTencentHost(item: TencentItem, region: string): HostRecord {
  const placement = object(item.Placement);
  const vpc = object(item.VirtualPrivateCloud);
  const rawStatus = requireString(item.InstanceState, 'InstanceState');
  const memoryGib = optionalNumber(item.Memory);
  return {
    kind: 'host',
    vendor: 'tencent',
    instanceId: requireString(item.InstanceId, 'InstanceId'),
    name: optionalString(item.InstanceName) ?? String(item.InstanceId),
    region,
    zone: optionalString(placement?.Zone),
    status: lookup(CVM_STATUS, rawStatus, 'unknown'),
    rawStatus,
    chargeType: lookup<ChargeType | null>(CVM_CHARGE, item.InstanceChargeType, null),
    createdAt: isoTime(item.CreatedTime),
    expireAt: isoTime(item.ExpiredTime),
    privateIps: stringList(item.PrivateIpAddresses),
    publicIps: stringList(item.PublicIpAddresses),
    vpcId: optionalString(vpc?.VpcId),
    subnetId: optionalString(vpc?.SubnetId),
    tags: tagsFromPairs(item.Tags, 'Key', 'Value'),
    raw: item,
    hostname: null,
    instanceType: optionalString(item.InstanceType),
    cpu: optionalNumber(item.CPU),
    memoryMib: memoryGib === null ? null : memoryGib * GIB_IN_MIB,
    osName: optionalString(item.OsName),
    osType: osTypeOf(optionalString(item.OsName)),
    imageId: optionalString(item.ImageId),
    securityGroups: stringList(item.SecurityGroupIds),
  };
}

/** CVM gives only the OS name; its family is plain in it. */
function osTypeOf(osName: string | null): string | null {
  if (!osName) return null;
  return /windows/i.test(osName) ? 'windows' : 'linux';
}

export function mapTencentDatabase(item: TencentItem, region: string): DatabaseRecord {
  const rawStatus = requireString(item.Status, 'Status');
  const vip = optionalString(item.Vip);
  const wan = item.WanStatus === 1 ? optionalString(item.WanDomain) : null;
  const chargeType = lookup<ChargeType | null>(CDB_CHARGE, item.PayType, null);
  return {
    kind: 'rds',
    vendor: 'tencent',
    instanceId: requireString(item.InstanceId, 'InstanceId'),
    name: optionalString(item.InstanceName) ?? String(item.InstanceId),
    region: optionalString(item.Region) ?? region,
    zone: optionalString(item.Zone),
    status: lookup(CDB_STATUS, rawStatus, 'unknown'),
    rawStatus,
    chargeType,
    createdAt: beijingTime(item.CreateTime),
    expireAt: chargeType === 'prepaid' ? beijingTime(item.DeadlineTime) : null,
    privateIps: vip ? [vip] : [],
    publicIps: [],
    vpcId: optionalString(item.UniqVpcId),
    subnetId: optionalString(item.UniqSubnetId),
    tags: tagsFromPairs(item.TagList, 'TagKey', 'TagValue'),
    raw: item,
    // CDB is TencentDB for MySQL; EngineType is the storage engine (InnoDB, RocksDB).
    engine: 'MySQL',
    engineVersion: optionalString(item.EngineVersion),
    instanceClass: optionalString(item.DeviceType),
    cpu: optionalNumber(item.Cpu),
    memoryMib: optionalNumber(item.Memory),
    storageGb: optionalNumber(item.Volume),
    port: optionalNumber(item.Vport),
    privateEndpoints: vip ? [vip] : [],
    publicEndpoints: wan ? [wan] : [],
  };
}

export function identifyTencent(item: TencentItem) {
  return { instanceId: optionalString(item.InstanceId), name: optionalString(item.InstanceName) };
}
