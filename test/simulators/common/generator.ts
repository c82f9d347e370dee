import { v5 as uuidV5 } from 'uuid';
import type { ChargeType, Vendor } from '../../../src/providers/provider';
import type { SimDatabase, SimHost } from './model';
import { BASE36, DECIMAL, ID_SPACE_36, ID_SPACE_HEX, MAX_INDEX, chance, flat, isoAt, mulberry32, pick, randomChars, scramble, uuidShaped, type Rng } from './seeded-text';

/**
 * Seeded, vendor-realistic inventory for the simulators. The same seed gives
 * the same output; ids are unique within a seed across any disjoint index
 * ranges (`startIndex`), so a test can generate more later without collisions.
 * Built for millions of items: tables are precomputed, ids and IPs derive from
 * the index, and each item costs one object plus its small arrays.
 */

export interface GenerateOptions {
  seed: number;
  /** Regions (vSphere: datacenter names) to spread the items over; the vendor's usual ones by default. */
  regions?: string[];
  /** Index of the first item: ids and IPs derive from it. */
  startIndex?: number;
}

/** A stable uuid for an instance id (Tencent `Uuid`, vSphere `instanceUuid`, Aliyun `SerialNumber`). */
export function uuidFor(instanceId: string): string {
  return uuidV5(instanceId, UUID_NAMESPACE);
}
const UUID_NAMESPACE = '6f1c3b7e-2d4a-4e8b-9c1d-3a5b7c9d0e1f';


interface Flavour {
  type: string;
  cpu: number;
  memoryMib: number;
}
interface OsImage {
  name: string;
  type: 'linux' | 'windows';
  image: string;
}
interface DbClass {
  engine: string;
  versions: string[];
  port: number;
  classes: { name: string; cpu: number; memoryMib: number }[];
}

interface VendorProfile {
  regions: Record<string, string[]>;
  zoneName(region: string, suffix: string): string;
  defaultZoneSuffix: string;
  /** Host status words, the usual one first: most instances are running. */
  hostStatuses: string[];
  dbStatuses: string[];
  flavours: Flavour[];
  images: OsImage[];
  dbEngines: DbClass[];
  chargeTypes: { host: ChargeType[]; db: ChargeType[] };
  hostId(index: number, ctx: IdContext): string;
  dbId(index: number, ctx: IdContext): string;
  imageId(image: OsImage, rng: Rng): string;
  networkId(kind: 'vpc' | 'subnet' | 'sg', rng: Rng): string;
  privateNet: number;
  publicNet: number | null;
  dbEndpoint(id: string, region: string, engine: string, isPublic: boolean): string;
}

interface IdContext {
  rng: Rng;
  offset36: number;
  offsetHex: number;
  region: string;
}

const gib = (n: number) => n * 1024;
const flavour = (type: string, cpu: number, memoryGib: number): Flavour => ({ type, cpu, memoryMib: gib(memoryGib) });
const dbClass = (name: string, cpu: number, memoryGib: number) => ({ name, cpu, memoryMib: gib(memoryGib) });

/** Aliyun ids carry a 3-character region prefix (`i-bp1...` in Hangzhou). */
const ALIYUN_REGION_CODES: Record<string, string> = {
  'cn-hangzhou': 'bp1',
  'cn-shanghai': 'uf6',
  'cn-beijing': '2ze',
  'cn-shenzhen': 'wz9',
};
const aliyunCode = (region: string) => ALIYUN_REGION_CODES[region] ?? 'gw8';
const aliyunLongId = (prefix: string, index: number, ctx: IdContext) =>
  flat.text(prefix).text(aliyunCode(ctx.region)).digits(scramble(index, ctx.offset36, ID_SPACE_36), BASE36, 8).random(ctx.rng, BASE36, 9).done();
const shortId = (prefix: string, index: number, ctx: IdContext) =>
  flat.text(prefix).digits(scramble(index, ctx.offset36, ID_SPACE_36), BASE36, 8).done();
const huaweiUuid = (index: number, ctx: IdContext) => uuidShaped(ctx.rng, scramble(index, ctx.offsetHex, ID_SPACE_HEX));

const PROFILES: Record<Vendor, VendorProfile> = {
  aliyun: {
    regions: { 'cn-hangzhou': ['h', 'i', 'j', 'k'], 'cn-shanghai': ['b', 'e', 'l'], 'cn-beijing': ['g', 'h', 'i'], 'cn-shenzhen': ['a', 'e', 'f'] },
    zoneName: (region, suffix) => `${region}-${suffix}`,
    defaultZoneSuffix: 'a',
    hostStatuses: ['Running', 'Stopped', 'Starting', 'Stopping', 'Pending'],
    dbStatuses: ['Running', 'Creating', 'Deleting', 'Rebooting', 'DBInstanceClassChanging', 'TRANSING', 'EngineVersionUpgrading', 'TransingToOthers', 'GuardDBInstanceCreating', 'Restoring', 'Importing', 'ImportingFromOthers', 'DBInstanceNetTypeChanging', 'GuardSwitching', 'INS_CLONING'],
    flavours: [flavour('ecs.t5-lc1m1.small', 1, 1), flavour('ecs.c6.large', 2, 4), flavour('ecs.g6.large', 2, 8), flavour('ecs.r6.large', 2, 16), flavour('ecs.c6.xlarge', 4, 8), flavour('ecs.g6.xlarge', 4, 16), flavour('ecs.g7.2xlarge', 8, 32), flavour('ecs.g7.4xlarge', 16, 64)],
    images: [
      { name: 'CentOS  7.9 64位', type: 'linux', image: 'centos_7_9_x64_20G_alibase_20240628.vhd' },
      { name: 'Alibaba Cloud Linux  3.2104 LTS 64位', type: 'linux', image: 'aliyun_3_x64_20G_alibase_20240819.vhd' },
      { name: 'Ubuntu  22.04 64位', type: 'linux', image: 'ubuntu_22_04_x64_20G_alibase_20240710.vhd' },
      { name: 'Windows Server  2019 数据中心版 64位中文版', type: 'windows', image: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20240612.vhd' },
    ],
    dbEngines: [
      { engine: 'MySQL', versions: ['5.7', '8.0'], port: 3306, classes: [dbClass('mysql.n2.medium.1', 2, 4), dbClass('mysql.n4.large.1', 4, 16), dbClass('mysql.x8.xlarge.2c', 8, 64)] },
      { engine: 'PostgreSQL', versions: ['13.0', '14.0', '15.0'], port: 5432, classes: [dbClass('pg.n2.medium.1', 2, 4), dbClass('pg.n4.large.1', 4, 16)] },
      { engine: 'SQLServer', versions: ['2017_ent', '2019_std_ha'], port: 1433, classes: [dbClass('mssql.x4.medium.e2', 2, 8), dbClass('mssql.x4.large.e2', 4, 16)] },
      { engine: 'MariaDB', versions: ['10.3'], port: 3306, classes: [dbClass('mariadb.n2.medium.1', 2, 4)] },
    ],
    chargeTypes: { host: ['postpaid', 'prepaid', 'spot'], db: ['postpaid', 'prepaid'] },
    hostId: (index, ctx) => aliyunLongId('i-', index, ctx),
    dbId: (index, ctx) => aliyunLongId('rm-', index, ctx),
    imageId: (image) => image.image,
    networkId: (kind, rng) => `${kind === 'subnet' ? 'vsw' : kind}-bp1${randomChars(rng, BASE36, 17)}`,
    privateNet: 10,
    publicNet: 47,
    dbEndpoint: (id, _region, engine, isPublic) =>
      `${id}${isPublic ? 'o' : ''}.${engine === 'SQLServer' ? 'sqlserver' : engine === 'PostgreSQL' ? 'pg' : 'mysql'}.rds.aliyuncs.com`,
  },
  tencent: {
    regions: { 'ap-guangzhou': ['3', '4', '6', '7'], 'ap-shanghai': ['2', '4', '5'], 'ap-beijing': ['3', '5', '6', '7'], 'ap-chengdu': ['1', '2'] },
    zoneName: (region, suffix) => `${region}-${suffix}`,
    defaultZoneSuffix: '1',
    hostStatuses: ['RUNNING', 'STOPPED', 'PENDING', 'STARTING', 'STOPPING', 'REBOOTING', 'SHUTDOWN', 'TERMINATING', 'LAUNCH_FAILED'],
    /** CDB status codes: 0 creating, 1 running, 4 isolating, 5 isolated. */
    dbStatuses: ['1', '0', '4', '5'],
    flavours: [flavour('S5.SMALL2', 1, 2), flavour('S5.MEDIUM4', 2, 4), flavour('SA2.MEDIUM8', 2, 8), flavour('S5.LARGE8', 4, 8), flavour('M5.LARGE32', 4, 32), flavour('S5.2XLARGE16', 8, 16), flavour('C4.2XLARGE16', 8, 16), flavour('S5.4XLARGE64', 16, 64)],
    images: [
      { name: 'TencentOS Server 3.1 (TK4)', type: 'linux', image: '' },
      { name: 'CentOS 7.9 64位', type: 'linux', image: '' },
      { name: 'Ubuntu Server 22.04 LTS 64位', type: 'linux', image: '' },
      { name: 'Windows Server 2019 数据中心版 64位中文版', type: 'windows', image: '' },
    ],
    dbEngines: [
      { engine: 'MySQL', versions: ['5.6', '5.7', '8.0'], port: 3306, classes: [dbClass('BASIC', 1, 2), dbClass('BASIC', 2, 4), dbClass('UNIVERSAL', 4, 8), dbClass('UNIVERSAL', 8, 32), dbClass('EXCLUSIVE', 16, 64)] },
    ],
    chargeTypes: { host: ['postpaid', 'prepaid', 'spot'], db: ['postpaid', 'prepaid'] },
    hostId: (index, ctx) => shortId('ins-', index, ctx),
    dbId: (index, ctx) => shortId('cdb-', index, ctx),
    imageId: (_image, rng) => `img-${randomChars(rng, BASE36, 8)}`,
    networkId: (kind, rng) => `${kind}-${randomChars(rng, BASE36, 8)}`,
    privateNet: 10,
    publicNet: 119,
    dbEndpoint: (id, region) => `${region.replace('ap-', '').slice(0, 2)}-${id}.sql.tencentcdb.com`,
  },
  huawei: {
    regions: { 'cn-north-4': ['a', 'b', 'c'], 'cn-east-3': ['a', 'b', 'c'], 'cn-south-1': ['c', 'e', 'f'], 'ap-southeast-1': ['a', 'b'] },
    zoneName: (region, suffix) => `${region}${suffix}`,
    defaultZoneSuffix: 'a',
    hostStatuses: ['ACTIVE', 'SHUTOFF', 'BUILD', 'REBOOT', 'HARD_REBOOT', 'REBUILD', 'MIGRATING', 'RESIZE', 'VERIFY_RESIZE', 'REVERT_RESIZE', 'ERROR', 'SHELVED', 'SHELVED_OFFLOADED', 'UNKNOWN'],
    dbStatuses: ['ACTIVE', 'BUILD', 'FAILED', 'FROZEN', 'MODIFYING', 'REBOOTING', 'RESTORING', 'MODIFYING INSTANCE TYPE', 'SWITCHOVER', 'MIGRATING', 'BACKING UP', 'MODIFYING DATABASE PORT', 'STORAGE FULL'],
    flavours: [flavour('s6.small.1', 1, 1), flavour('s6.large.2', 2, 4), flavour('c7.large.2', 2, 4), flavour('m6.large.8', 2, 16), flavour('s6.xlarge.2', 4, 8), flavour('c7.xlarge.4', 4, 16), flavour('s6.2xlarge.2', 8, 16), flavour('c7.4xlarge.4', 16, 64)],
    images: [
      { name: 'CentOS 7.9 64bit', type: 'linux', image: '' },
      { name: 'Huawei Cloud EulerOS 2.0 64bit', type: 'linux', image: '' },
      { name: 'Ubuntu 22.04 server 64bit', type: 'linux', image: '' },
      { name: 'Windows Server 2019 Standard 64bit', type: 'windows', image: '' },
    ],
    dbEngines: [
      { engine: 'MySQL', versions: ['5.7', '8.0'], port: 3306, classes: [dbClass('rds.mysql.n1.large.2', 2, 4), dbClass('rds.mysql.n1.xlarge.4', 4, 16)] },
      { engine: 'PostgreSQL', versions: ['12', '14', '15'], port: 5432, classes: [dbClass('rds.pg.n1.large.2', 2, 4), dbClass('rds.pg.n1.2xlarge.4', 8, 32)] },
      { engine: 'SQLServer', versions: ['2017_SE', '2019_EE'], port: 1433, classes: [dbClass('rds.mssql.se.s3.large.4', 2, 8)] },
    ],
    chargeTypes: { host: ['postpaid', 'prepaid', 'spot'], db: ['postpaid', 'prepaid'] },
    hostId: huaweiUuid,
    dbId: (index, ctx) => `${huaweiUuid(index, ctx).replace(/-/g, '')}in01`,
    imageId: (_image, rng) => uuidShaped(rng, rng()),
    networkId: (_kind, rng) => uuidShaped(rng, rng()),
    privateNet: 10,
    publicNet: 121,
    dbEndpoint: (id, region, engine) => `${id.slice(0, 12)}.${engine.toLowerCase()}.${region}.rds.myhuaweicloud.com`,
  },
  vsphere: {
    regions: { 'DC-Beijing': ['Cluster-01', 'Cluster-02'], 'DC-Shanghai': ['Cluster-01'] },
    zoneName: (_region, suffix) => suffix,
    defaultZoneSuffix: 'Cluster-01',
    hostStatuses: ['poweredOn', 'poweredOff', 'suspended'],
    dbStatuses: [],
    flavours: [flavour('vmx-19', 1, 2), flavour('vmx-19', 2, 4), flavour('vmx-19', 4, 8), flavour('vmx-15', 4, 16), flavour('vmx-15', 8, 32), flavour('vmx-19', 16, 64)],
    images: [
      { name: 'CentOS 7 (64-bit)', type: 'linux', image: 'centos7_64Guest' },
      { name: 'Red Hat Enterprise Linux 8 (64-bit)', type: 'linux', image: 'rhel8_64Guest' },
      { name: 'Ubuntu Linux (64-bit)', type: 'linux', image: 'ubuntu64Guest' },
      { name: 'Microsoft Windows Server 2019 (64-bit)', type: 'windows', image: 'windows2019srv_64Guest' },
    ],
    dbEngines: [],
    chargeTypes: { host: ['postpaid'], db: [] },
    /** MoRefs are small sequential integers; the seed moves the range so two vCenters rarely share one. */
    hostId: (index, ctx) => `vm-${1000 + (ctx.offset36 % 900) * 1_000_000 + index}`,
    dbId: () => {
      throw new Error('vSphere has no managed databases');
    },
    imageId: (image) => image.image,
    networkId: (kind, rng) => (kind === 'vpc' ? `dvs-${1 + (rng() % 9)}` : `dvportgroup-${100 + (rng() % 900)}`),
    privateNet: 10,
    publicNet: null,
    dbEndpoint: () => '',
  },
};

/** The vendor's usual regions (vSphere: datacenters) and their zones. */
export function vendorRegions(vendor: Vendor): string[] {
  return Object.keys(PROFILES[vendor].regions);
}

const TAG_KEYS = ['env', 'team', 'app', 'owner', 'cost-center', '业务线'];
const TAG_VALUES: Record<string, string[]> = {
  env: ['prod', 'staging', 'dev', 'test'],
  team: ['payments', 'search', 'infra', 'data', 'growth'],
  app: ['web', 'api', 'worker', 'cache', 'gateway'],
  owner: ['alice', 'bob', 'chen.wei', 'li.na'],
  'cost-center': ['cc-1001', 'cc-2040', ''],
  业务线: ['支付', '搜索', '基础架构'],
};
const ROLES = ['web', 'api', 'worker', 'db-proxy', 'cache', 'batch', 'gateway'];
const ENVS = ['prod', 'staging', 'dev', 'test'];

interface Network {
  vpcId: string;
  subnets: { id: string; zoneIndex: number }[];
  securityGroups: string[];
}
interface RegionPlan {
  name: string;
  zones: string[];
  networks: Network[];
}

/** Per-region zones and a few VPCs with subnets and security groups, drawn once per call. */
function planRegions(profile: VendorProfile, rng: Rng, regions: string[] | undefined): RegionPlan[] {
  const names = regions && regions.length > 0 ? regions : Object.keys(profile.regions);
  return names.map((name) => {
    const zones = (profile.regions[name] ?? [profile.defaultZoneSuffix]).map((suffix) => profile.zoneName(name, suffix));
    const networks: Network[] = [];
    for (let v = 0; v < 3; v++) {
      networks.push({
        vpcId: profile.networkId('vpc', rng),
        subnets: zones.map((_, zoneIndex) => ({ id: profile.networkId('subnet', rng), zoneIndex })),
        securityGroups: [profile.networkId('sg', rng), profile.networkId('sg', rng), profile.networkId('sg', rng)],
      });
    }
    return { name, zones, networks };
  });
}

function drawStatus(rng: Rng, statuses: string[]): string {
  return chance(rng, 85) ? statuses[0] : statuses[1 + (rng() % (statuses.length - 1))];
}

function drawCharge(rng: Rng, kinds: ChargeType[]): ChargeType {
  const roll = rng() % 100;
  const kind = roll < 60 ? 'postpaid' : roll < 90 ? 'prepaid' : 'spot';
  return kinds.includes(kind) ? kind : kinds[0];
}

function drawTags(rng: Rng): Record<string, string> {
  const tags: Record<string, string> = {};
  const count = rng() % 5;
  for (let i = 0; i < count; i++) {
    const key = pick(rng, TAG_KEYS);
    tags[key] = pick(rng, TAG_VALUES[key]);
  }
  return tags;
}

/** Databases take their addresses from the upper half, so a host and a database never share one. */
const DB_IP_INDEX_OFFSET = 8_000_000;

/** Unique per index within 16.2M items; the last octet avoids .0 and .255. */
function ipAt(first: number, index: number): string {
  const upper = Math.floor(index / 250);
  return flat
    .digits(first, DECIMAL)
    .text('.')
    .digits((upper >>> 8) & 255, DECIMAL)
    .text('.')
    .digits(upper & 255, DECIMAL)
    .text('.')
    .digits(1 + (index % 250), DECIMAL)
    .done();
}

function drawTimes(rng: Rng, charge: ChargeType): { createdAt: string; expireAt: string | null } {
  const createdAt = isoAt(-1 - (rng() % 1000), rng() % 1440);
  const expireAt = charge === 'prepaid' ? isoAt(1 + (rng() % 365), rng() % 1440) : null;
  return { createdAt, expireAt };
}

function setup(vendor: Vendor, count: number, options: GenerateOptions) {
  const startIndex = options.startIndex ?? 0;
  if (!Number.isInteger(count) || count < 0) throw new Error(`count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(startIndex) || startIndex < 0 || startIndex + count > MAX_INDEX) {
    throw new Error(`startIndex must be an integer in [0, ${MAX_INDEX - count}]`);
  }
  const profile = PROFILES[vendor];
  // One stream for the plan and the id offsets, another per kind for the items.
  const planRng = mulberry32(options.seed ^ 0x5eed);
  const plans = planRegions(profile, planRng, options.regions);
  const offset36 = (planRng() * 65_536 + (planRng() % 65_536)) % ID_SPACE_36;
  const offsetHex = (planRng() * 65_536 + (planRng() % 65_536)) % ID_SPACE_HEX;
  // Many hosts share few images, as in a real account.
  const imageIds = profile.images.map((image) => profile.imageId(image, planRng));
  return { profile, plans, startIndex, offset36, offsetHex, imageIds };
}

/** Items start a fresh stream at their index, so `startIndex` continues a set instead of replaying it. */
function itemRng(seed: number, kind: number, startIndex: number): Rng {
  return mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(startIndex + 1, 0x85ebca6b) ^ kind) >>> 0);
}

export function generateHosts(vendor: Vendor, count: number, options: GenerateOptions): SimHost[] {
  const { profile, plans, startIndex, offset36, offsetHex, imageIds } = setup(vendor, count, options);
  const rng = itemRng(options.seed, 1, startIndex);
  const hosts: SimHost[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const index = startIndex + i;
    const plan = plans[rng() % plans.length];
    const network = plan.networks[rng() % plan.networks.length];
    const subnet = network.subnets[rng() % network.subnets.length];
    const size = pick(rng, profile.flavours);
    const imageIndex = rng() % profile.images.length;
    const image = profile.images[imageIndex];
    const chargeType = drawCharge(rng, profile.chargeTypes.host);
    const { createdAt, expireAt } = drawTimes(rng, chargeType);
    const name = flat.text(pick(rng, ENVS)).text('-').text(pick(rng, ROLES)).text('-').digits(index, DECIMAL, 5).done();
    const hasPublicIp = profile.publicNet !== null && chance(rng, 35);
    const sgCount = 1 + (rng() % 2);
    hosts[i] = {
      id: profile.hostId(index, { rng, offset36, offsetHex, region: plan.name }),
      name,
      hostname: name,
      region: plan.name,
      zone: plan.zones[subnet.zoneIndex],
      rawStatus: drawStatus(rng, profile.hostStatuses),
      instanceType: size.type,
      cpu: size.cpu,
      memoryMib: size.memoryMib,
      osName: image.name,
      osType: image.type,
      imageId: imageIds[imageIndex],
      vpcId: network.vpcId,
      subnetId: subnet.id,
      privateIps: [ipAt(profile.privateNet, index)],
      publicIps: hasPublicIp ? [ipAt(profile.publicNet!, index)] : [],
      chargeType,
      createdAt,
      expireAt,
      tags: drawTags(rng),
      securityGroups: network.securityGroups.slice(0, sgCount),
    };
    if (vendor === 'vsphere') hosts[i].datacenter = plan.name;
  }
  return hosts;
}

export function generateDatabases(vendor: Vendor, count: number, options: GenerateOptions): SimDatabase[] {
  const { profile, plans, startIndex, offset36, offsetHex } = setup(vendor, count, options);
  if (profile.dbEngines.length === 0 && count > 0) throw new Error(`${vendor} has no managed databases`);
  const rng = itemRng(options.seed, 2, startIndex);
  const databases: SimDatabase[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const index = startIndex + i;
    const plan = plans[rng() % plans.length];
    const network = plan.networks[rng() % plan.networks.length];
    const subnet = network.subnets[rng() % network.subnets.length];
    const engine = pick(rng, profile.dbEngines);
    const size = pick(rng, engine.classes);
    const chargeType = drawCharge(rng, profile.chargeTypes.db);
    const { createdAt, expireAt } = drawTimes(rng, chargeType);
    const id = profile.dbId(index, { rng, offset36, offsetHex, region: plan.name });
    const hasPublic = chance(rng, 25);
    databases[i] = {
      id,
      name: flat.text(pick(rng, ENVS)).text('-').text(engine.engine.toLowerCase()).text('-').digits(index, DECIMAL, 5).done(),
      region: plan.name,
      zone: plan.zones[subnet.zoneIndex],
      rawStatus: drawStatus(rng, profile.dbStatuses),
      engine: engine.engine,
      engineVersion: pick(rng, engine.versions),
      instanceClass: size.name,
      cpu: size.cpu,
      memoryMib: size.memoryMib,
      storageGb: 20 + (rng() % 100) * 10,
      port: engine.port,
      privateEndpoint:
        vendor === 'tencent' ? ipAt(profile.privateNet, DB_IP_INDEX_OFFSET + index) : profile.dbEndpoint(id, plan.name, engine.engine, false),
      publicEndpoint: hasPublic ? profile.dbEndpoint(id, plan.name, engine.engine, true) : null,
      vpcId: network.vpcId,
      subnetId: subnet.id,
      chargeType,
      createdAt,
      expireAt,
      tags: drawTags(rng),
    };
  }
  return databases;
}
