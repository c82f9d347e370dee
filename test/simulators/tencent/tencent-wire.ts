import { uuidFor } from '../common/generator';
import type { SimDatabase, SimHost } from '../common/model';

const CVM_CHARGE = { prepaid: 'PREPAID', postpaid: 'POSTPAID_BY_HOUR', spot: 'SPOTPAID' } as const;
/** CDB prints local Beijing time without a zone, and zeros for "never". */
const BEIJING_OFFSET_MS = 8 * 3_600_000;
const cdbTime = (iso: string | null) =>
  iso ? new Date(Date.parse(iso) + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ') : '0000-00-00 00:00:00';
const cvmTime = (iso: string) => iso.slice(0, 19) + 'Z';

/** One CVM `Instance` of DescribeInstances (2017-03-12): memory in GiB, empty lists as null. */
export function cvmInstance(host: SimHost): Record<string, unknown> {
  const tags = Object.entries(host.tags);
  return {
    Placement: { Zone: host.zone, ProjectId: 0, HostIds: null, HostId: null },
    InstanceId: host.id,
    Uuid: uuidFor(host.id),
    InstanceType: host.instanceType,
    CPU: host.cpu,
    Memory: host.memoryMib / 1024,
    RestrictState: 'NORMAL',
    InstanceName: host.name,
    InstanceChargeType: CVM_CHARGE[host.chargeType],
    SystemDisk: { DiskType: 'CLOUD_PREMIUM', DiskId: `disk-${host.id.slice(4)}`, DiskSize: 50 },
    DataDisks: null,
    PrivateIpAddresses: host.privateIps,
    PublicIpAddresses: host.publicIps.length > 0 ? host.publicIps : null,
    InternetAccessible: { InternetChargeType: 'TRAFFIC_POSTPAID_BY_HOUR', InternetMaxBandwidthOut: host.publicIps.length > 0 ? 5 : 0 },
    VirtualPrivateCloud: { VpcId: host.vpcId, SubnetId: host.subnetId, AsVpcGateway: false },
    ImageId: host.imageId,
    RenewFlag: host.chargeType === 'prepaid' ? 'NOTIFY_AND_MANUAL_RENEW' : null,
    CreatedTime: cvmTime(host.createdAt),
    ExpiredTime: host.expireAt ? cvmTime(host.expireAt) : null,
    OsName: host.osName,
    SecurityGroupIds: host.securityGroups,
    InstanceState: host.rawStatus,
    Tags: tags.map(([Key, Value]) => ({ Key, Value })),
    StopChargingMode: 'NOT_APPLICABLE',
    LatestOperation: null,
    LatestOperationState: null,
  };
}

/** One CDB item of DescribeDBInstances (2017-03-20): numeric status and pay type, memory in MB. */
export function cdbInstance(db: SimDatabase): Record<string, unknown> {
  return {
    InstanceId: db.id,
    InstanceName: db.name,
    Status: Number(db.rawStatus),
    EngineVersion: db.engineVersion,
    EngineType: 'InnoDB',
    Memory: db.memoryMib,
    Volume: db.storageGb,
    Cpu: db.cpu,
    Vip: db.privateEndpoint,
    Vport: db.port,
    WanStatus: db.publicEndpoint ? 1 : 0,
    WanDomain: db.publicEndpoint ?? '',
    WanPort: db.publicEndpoint ? 20000 + (db.port % 1000) : 0,
    Zone: db.zone,
    Region: db.region,
    DeviceType: db.instanceClass,
    InstanceType: 1,
    PayType: db.chargeType === 'prepaid' ? 0 : 1,
    CreateTime: cdbTime(db.createdAt),
    DeadlineTime: cdbTime(db.expireAt),
    UniqVpcId: db.vpcId,
    UniqSubnetId: db.subnetId,
    ProjectId: 0,
    TaskStatus: 0,
    TagList: Object.keys(db.tags).length > 0 ? Object.entries(db.tags).map(([TagKey, TagValue]) => ({ TagKey, TagValue })) : null,
  };
}
