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

/** An ECS Instance or RDS DBInstance as pop-core parsed it: loose by nature. */
export type AliyunItem = Record<string, unknown>;

const ECS_STATUS: Record<string, ResourceStatus> = {
  pending: 'pending',
  starting: 'starting',
  running: 'running',
  stopping: 'stopping',
  stopped: 'stopped',
};

/** RDS keeps serving through most of its maintenance states, so those read as running. */
const RDS_STATUS: Record<string, ResourceStatus> = {
  creating: 'pending',
  guarddbinstancecreating: 'pending',
  ins_cloning: 'pending',
  restoring: 'pending',
  importing: 'pending',
  importingfromothers: 'pending',
  running: 'running',
  dbinstanceclasschanging: 'running',
  transing: 'running',
  engineversionupgrading: 'running',
  transingtoothers: 'running',
  dbinstancenettypechanging: 'running',
  guardswitching: 'running',
  rebooting: 'rebooting',
  stopped: 'stopped',
  deleting: 'deleting',
  released: 'deleting',
};

const SPOT_STRATEGIES = new Set(['SpotWithPriceLimit', 'SpotAsPriceGo']);

/** `{ IpAddress: [...] }` or `{ IpAddress: '...' }`, the two shapes ECS uses. */
function addresses(holder: unknown): string[] {
  const value = (holder as { IpAddress?: unknown } | undefined)?.IpAddress;
  return typeof value === 'string' ? (value ? [value] : []) : stringList(value);
}

function field(item: AliyunItem, name: string): Record<string, unknown> | undefined {
  const value = item[name];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function ecsCharge(item: AliyunItem): ChargeType | null {
  if (item.InstanceChargeType === 'PrePaid') return 'prepaid';
  if (item.InstanceChargeType !== 'PostPaid') return null;
  return SPOT_STRATEGIES.has(String(item.SpotStrategy)) ? 'spot' : 'postpaid';
}

export function mapAliyunHost(item: AliyunItem): HostRecord {
  const chargeType = ecsCharge(item);
  const vpc = field(item, 'VpcAttributes');
  const rawStatus = requireString(item.Status, 'Status');
  return {
    kind: 'host',
    vendor: 'aliyun',
    instanceId: requireString(item.InstanceId, 'InstanceId'),
    name: optionalString(item.InstanceName) ?? String(item.InstanceId),
    region: requireString(item.RegionId, 'RegionId'),
    zone: optionalString(item.ZoneId),
    status: lookup(ECS_STATUS, rawStatus, 'unknown'),
    rawStatus,
    chargeType,
    createdAt: isoTime(item.CreationTime),
    // Pay-as-you-go instances print a far-future expiry (2099-12-31T15:59Z): it means none.
    expireAt: chargeType === 'prepaid' ? isoTime(item.ExpiredTime) : null,
    privateIps: [...new Set([...addresses(vpc?.PrivateIpAddress), ...addresses(item.InnerIpAddress)])],
    publicIps: [...new Set([...addresses(item.PublicIpAddress), ...addresses(item.EipAddress)])],
    vpcId: optionalString(vpc?.VpcId),
    subnetId: optionalString(vpc?.VSwitchId),
    tags: tagsFromPairs(field(item, 'Tags')?.Tag, 'TagKey', 'TagValue'),
    raw: item,
    hostname: optionalString(item.HostName),
    instanceType: optionalString(item.InstanceType),
    cpu: optionalNumber(item.Cpu),
    memoryMib: optionalNumber(item.Memory),
    osName: optionalString(item.OSName),
    osType: optionalString(item.OSType),
    imageId: optionalString(item.ImageId),
    securityGroups: stringList(field(item, 'SecurityGroupIds')?.SecurityGroupId),
  };
}

export function mapAliyunDatabase(item: AliyunItem): DatabaseRecord {
  const rawStatus = requireString(item.DBInstanceStatus, 'DBInstanceStatus');
  const chargeType = item.PayType === 'Prepaid' ? 'prepaid' : item.PayType === 'Postpaid' ? 'postpaid' : null;
  const connection = optionalString(item.ConnectionString);
  return {
    kind: 'rds',
    vendor: 'aliyun',
    instanceId: requireString(item.DBInstanceId, 'DBInstanceId'),
    name: optionalString(item.DBInstanceDescription) ?? String(item.DBInstanceId),
    region: requireString(item.RegionId, 'RegionId'),
    zone: optionalString(item.ZoneId),
    status: lookup(RDS_STATUS, rawStatus, 'unknown'),
    rawStatus,
    chargeType,
    createdAt: isoTime(item.CreateTime),
    expireAt: chargeType === 'prepaid' ? isoTime(item.ExpireTime) : null,
    privateIps: [],
    publicIps: [],
    vpcId: optionalString(item.VpcId),
    subnetId: optionalString(item.VSwitchId),
    // The list call carries no tags; a filtered call may, in the ECS shape.
    tags: tagsFromPairs(field(item, 'Tags')?.Tag, 'TagKey', 'TagValue'),
    raw: item,
    engine: optionalString(item.Engine),
    engineVersion: optionalString(item.EngineVersion),
    instanceClass: optionalString(item.DBInstanceClass),
    cpu: optionalNumber(item.DBInstanceCPU),
    memoryMib: optionalNumber(item.DBInstanceMemory),
    // Storage and port come from DescribeDBInstanceAttribute, not from the list.
    storageGb: optionalNumber(item.DBInstanceStorage),
    port: optionalNumber(item.Port),
    privateEndpoints: connection ? [connection] : [],
    publicEndpoints: [],
  };
}

export function identifyAliyunHost(item: AliyunItem) {
  return { instanceId: optionalString(item.InstanceId), name: optionalString(item.InstanceName) };
}

export function identifyAliyunDatabase(item: AliyunItem) {
  return { instanceId: optionalString(item.DBInstanceId), name: optionalString(item.DBInstanceDescription) };
}
