import type { ChargeType } from '../../../src/providers/provider';
import type { SimDatabase, SimHost } from '../common/model';

/** The vendor-neutral truth in Huawei's wire shapes (ECS ListServersDetails, RDS ListInstances). */

const ECS_CHARGING_MODE: Record<ChargeType, string> = { postpaid: '0', prepaid: '1', spot: '2' };
const RDS_CHARGE_MODE: Record<ChargeType, string> = { postpaid: 'postPaid', prepaid: 'prePaid', spot: 'postPaid' };

/** ECS writes times without milliseconds: `2024-01-02T03:04:05Z`. */
function ecsTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RDS writes times with an offset: `2024-01-02T03:04:05+0000`. */
function rdsTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/**
 * RDS lists addresses as IPs (`private_ips`, `public_ips`) and the private DNS
 * name apart; the truth holds endpoints only, so the IPs derive from the id.
 */
export function rdsPrivateIp(db: SimDatabase): string {
  return `192.168.${idByte(db.id, 0)}.${idByte(db.id, 1)}`;
}

export function rdsPublicIp(db: SimDatabase): string {
  return `121.36.${idByte(db.id, 2)}.${idByte(db.id, 3)}`;
}

function idByte(id: string, at: number): number {
  return parseInt(id.slice(at * 2, at * 2 + 2), 16) || 1;
}

export function renderServer(host: SimHost, projectId: string): Record<string, unknown> {
  const addresses = [
    ...host.privateIps.map((addr) => ({ addr, type: 'fixed' })),
    ...host.publicIps.map((addr) => ({ addr, type: 'floating' })),
  ].map(({ addr, type }) => ({
    version: addr.includes(':') ? '6' : '4',
    addr,
    'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01',
    'OS-EXT-IPS:port_id': `port-${host.id}`,
    'OS-EXT-IPS:type': type,
  }));
  return {
    id: host.id,
    name: host.name,
    description: '',
    status: host.rawStatus,
    tenant_id: projectId,
    user_id: 'sim-user',
    hostId: 'sim-host',
    created: ecsTime(host.createdAt),
    updated: ecsTime(host.createdAt),
    auto_terminate_time: host.expireAt ? ecsTime(host.expireAt) : '',
    'OS-EXT-AZ:availability_zone': host.zone,
    'OS-EXT-SRV-ATTR:hostname': host.hostname,
    'OS-EXT-STS:vm_state': host.rawStatus.toLowerCase(),
    'OS-SRV-USG:launched_at': host.createdAt.replace('Z', '').replace(/\.\d{3}$/, '.000000'),
    flavor: {
      id: host.instanceType,
      name: host.instanceType,
      vcpus: String(host.cpu),
      ram: String(host.memoryMib),
      disk: '0',
    },
    image: { id: host.imageId },
    addresses: addresses.length ? { [host.vpcId]: addresses } : {},
    metadata: {
      charging_mode: ECS_CHARGING_MODE[host.chargeType],
      vpc_id: host.vpcId,
      os_type: host.osType === 'windows' ? 'Windows' : 'Linux',
      image_name: host.osName,
      os_bit: '64',
      'metering.image_id': host.imageId,
    },
    security_groups: host.securityGroups.map((id) => ({ id, name: `sg-${id.slice(0, 8)}` })),
    network_interfaces: [
      { port_id: `port-${host.id}`, primary: true, ip_addresses: host.privateIps, subnet_id: host.subnetId },
    ],
    tags: Object.entries(host.tags).map(([key, value]) => `${key}=${value}`),
    enterprise_project_id: '0',
    'os-extended-volumes:volumes_attached': [],
  };
}

export function renderInstance(db: SimDatabase, projectId: string): Record<string, unknown> {
  return {
    id: db.id,
    name: db.name,
    status: db.rawStatus,
    alias: '',
    private_ips: [rdsPrivateIp(db)],
    private_dns_names: [db.privateEndpoint],
    public_ips: db.publicEndpoint ? [rdsPublicIp(db)] : [],
    port: db.port,
    type: 'Single',
    region: db.region,
    datastore: { type: db.engine, version: db.engineVersion },
    created: rdsTime(db.createdAt),
    updated: rdsTime(db.createdAt),
    volume: { type: 'CLOUDSSD', size: db.storageGb },
    nodes: [{ id: `${db.id}no01`, name: `${db.name}_node0`, role: 'master', status: db.rawStatus, availability_zone: db.zone }],
    related_instance: [],
    flavor_ref: db.instanceClass,
    cpu: String(db.cpu),
    mem: String(db.memoryMib / 1024),
    vpc_id: db.vpcId,
    subnet_id: db.subnetId,
    security_group_id: 'sg-rds',
    project_id: projectId,
    switch_strategy: 'reliability',
    time_zone: 'UTC+08:00',
    charge_info: { charge_mode: RDS_CHARGE_MODE[db.chargeType] },
    ...(db.expireAt ? { expiration_time: rdsTime(db.expireAt) } : {}),
    tags: Object.entries(db.tags).map(([key, value]) => ({ key, value })),
  };
}
