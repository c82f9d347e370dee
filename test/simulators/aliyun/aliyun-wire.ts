import { uuidFor } from '../common/generator';
import type { SimDatabase, SimHost } from '../common/model';

/** Aliyun's two time formats: ECS to the minute, RDS to the second. */
const ecsTime = (iso: string) => iso.slice(0, 16) + 'Z';
const rdsTime = (iso: string) => iso.slice(0, 19) + 'Z';
/** What ECS prints as the expiry of a pay-as-you-go instance. */
const NEVER_EXPIRES = '2099-12-31T15:59Z';

/** Some public addresses come as an elastic IP, others as a fixed public IP: the same host always the same way. */
export function isEip(host: SimHost): boolean {
  return host.id.charCodeAt(host.id.length - 1) % 2 === 0;
}

/** One ECS `Instance` of DescribeInstances (2014-05-26). */
export function ecsInstance(host: SimHost): Record<string, unknown> {
  const eip = host.publicIps.length > 0 && isEip(host) ? host.publicIps[0] : '';
  const tags = Object.entries(host.tags);
  return {
    InstanceId: host.id,
    InstanceName: host.name,
    HostName: host.hostname,
    Description: '',
    Status: host.rawStatus,
    RegionId: host.region,
    ZoneId: host.zone,
    InstanceType: host.instanceType,
    InstanceTypeFamily: host.instanceType.split('.').slice(0, 2).join('.'),
    Cpu: host.cpu,
    Memory: host.memoryMib,
    OSName: host.osName,
    OSType: host.osType,
    ImageId: host.imageId,
    SerialNumber: uuidFor(host.id),
    InstanceChargeType: host.chargeType === 'prepaid' ? 'PrePaid' : 'PostPaid',
    SpotStrategy: host.chargeType === 'spot' ? 'SpotAsPriceGo' : 'NoSpot',
    InternetChargeType: 'PayByTraffic',
    CreationTime: ecsTime(host.createdAt),
    ExpiredTime: host.expireAt ? ecsTime(host.expireAt) : NEVER_EXPIRES,
    InstanceNetworkType: 'vpc',
    VpcAttributes: {
      VpcId: host.vpcId,
      VSwitchId: host.subnetId,
      PrivateIpAddress: { IpAddress: host.privateIps },
      NatIpAddress: '',
    },
    PublicIpAddress: { IpAddress: eip ? [] : host.publicIps },
    EipAddress: { IpAddress: eip, AllocationId: eip ? `eip-${host.id.slice(2, 22)}` : '', InternetChargeType: '' },
    InnerIpAddress: { IpAddress: [] },
    // ECS omits Tags when an instance has none.
    ...(tags.length > 0 ? { Tags: { Tag: tags.map(([TagKey, TagValue]) => ({ TagKey, TagValue })) } } : {}),
    SecurityGroupIds: { SecurityGroupId: host.securityGroups },
    OperationLocks: { LockReason: [] },
  };
}

/** One RDS `DBInstance` of DescribeDBInstances (2014-08-15): no storage, port or tags in the list call. */
export function rdsInstance(db: SimDatabase): Record<string, unknown> {
  return {
    DBInstanceId: db.id,
    DBInstanceDescription: db.name,
    Engine: db.engine,
    EngineVersion: db.engineVersion,
    DBInstanceStatus: db.rawStatus,
    DBInstanceClass: db.instanceClass,
    DBInstanceCPU: String(db.cpu),
    DBInstanceMemory: db.memoryMib,
    DBInstanceStorageType: 'cloud_essd',
    ConnectionString: db.privateEndpoint,
    PayType: db.chargeType === 'prepaid' ? 'Prepaid' : 'Postpaid',
    CreateTime: rdsTime(db.createdAt),
    ExpireTime: db.expireAt ? rdsTime(db.expireAt) : '',
    RegionId: db.region,
    ZoneId: db.zone,
    VpcId: db.vpcId,
    VSwitchId: db.subnetId,
    InstanceNetworkType: 'VPC',
    DBInstanceNetType: 'Intranet',
    DBInstanceType: 'Primary',
    LockMode: 'Unlock',
    MutriORsignle: false,
  };
}
