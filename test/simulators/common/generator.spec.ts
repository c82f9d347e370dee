import { VENDORS } from '../../../src/providers/provider';
import { generateDatabases, generateHosts, uuidFor } from './generator';

const CLOUDS = ['aliyun', 'tencent', 'huawei'] as const;

/** Host id formats as the vendors print them. */
const HOST_ID: Record<(typeof VENDORS)[number], RegExp> = {
  aliyun: /^i-[0-9a-z]{20}$/,
  tencent: /^ins-[0-9a-z]{8}$/,
  huawei: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  vsphere: /^vm-\d+$/,
};
const DB_ID: Record<(typeof CLOUDS)[number], RegExp> = {
  aliyun: /^rm-[0-9a-z]{20}$/,
  tencent: /^cdb-[0-9a-z]{8}$/,
  huawei: /^[0-9a-f]{32}in01$/,
};
/** The status words vendor-apis.md lists: a generated set must use every one of them. */
const DOCUMENTED_HOST_STATUSES: Record<(typeof VENDORS)[number], string[]> = {
  aliyun: ['Running', 'Stopped', 'Starting', 'Stopping', 'Pending'],
  tencent: ['PENDING', 'RUNNING', 'STOPPED', 'STARTING', 'STOPPING', 'REBOOTING', 'SHUTDOWN', 'TERMINATING', 'LAUNCH_FAILED'],
  huawei: ['ACTIVE', 'SHUTOFF', 'BUILD', 'REBOOT', 'ERROR'],
  vsphere: ['poweredOn', 'poweredOff', 'suspended'],
};

describe('generateHosts', () => {
  it.each(VENDORS)('%s: the same seed gives the same hosts, another seed other hosts', (vendor) => {
    const first = generateHosts(vendor, 300, { seed: 7 });
    expect(generateHosts(vendor, 300, { seed: 7 })).toEqual(first);
    const other = generateHosts(vendor, 300, { seed: 8 });
    const firstIds = new Set(first.map((host) => host.id));
    expect(other.filter((host) => firstIds.has(host.id)).length).toBeLessThan(300);
    expect(other.map((host) => host.name)).not.toEqual(first.map((host) => host.name));
  });

  it.each(VENDORS)('%s: ids and private IPs are unique, also across a continuation with startIndex', (vendor) => {
    const hosts = [
      ...generateHosts(vendor, 5000, { seed: 3 }),
      ...generateHosts(vendor, 5000, { seed: 3, startIndex: 5000 }),
    ];
    expect(new Set(hosts.map((host) => host.id)).size).toBe(10_000);
    expect(new Set(hosts.map((host) => host.privateIps[0])).size).toBe(10_000);
    for (const host of hosts) expect(host.id).toMatch(HOST_ID[vendor]);
  });

  it.each(VENDORS)('%s: statuses cover the documented vocabulary, most hosts running', (vendor) => {
    const hosts = generateHosts(vendor, 5000, { seed: 11 });
    const seen = new Set(hosts.map((host) => host.rawStatus));
    for (const word of DOCUMENTED_HOST_STATUSES[vendor]) expect(seen).toContain(word);
    const running = hosts.filter((host) => host.rawStatus === DOCUMENTED_HOST_STATUSES[vendor][vendor === 'tencent' ? 1 : 0]);
    expect(running.length).toBeGreaterThan(hosts.length / 2);
  });

  it.each(CLOUDS)('%s: zones belong to their region, only the requested regions are used', (vendor) => {
    const regions = vendor === 'aliyun' ? ['cn-hangzhou', 'cn-beijing'] : vendor === 'tencent' ? ['ap-guangzhou'] : ['cn-north-4'];
    const hosts = generateHosts(vendor, 500, { seed: 5, regions });
    expect(new Set(hosts.map((host) => host.region))).toEqual(new Set(regions));
    for (const host of hosts) expect(host.zone.startsWith(host.region)).toBe(true);
  });

  it.each(VENDORS)('%s: charge types carry an expiry exactly when prepaid, created before expiry', (vendor) => {
    for (const host of generateHosts(vendor, 2000, { seed: 13 })) {
      expect(Number.isNaN(Date.parse(host.createdAt))).toBe(false);
      if (host.chargeType === 'prepaid') expect(Date.parse(host.expireAt!)).toBeGreaterThan(Date.parse(host.createdAt));
      else expect(host.expireAt).toBeNull();
    }
  });

  it('draws every charge type where the vendor has it, and public IPs for some hosts', () => {
    for (const vendor of CLOUDS) {
      const hosts = generateHosts(vendor, 2000, { seed: 17 });
      expect(new Set(hosts.map((host) => host.chargeType))).toEqual(new Set(['prepaid', 'postpaid', 'spot']));
      expect(hosts.some((host) => host.publicIps.length > 0)).toBe(true);
      expect(hosts.some((host) => Object.keys(host.tags).length > 0)).toBe(true);
    }
  });

  it('Tencent memory is whole GiB, because the wire carries GiB', () => {
    for (const host of generateHosts('tencent', 1000, { seed: 1 })) expect(host.memoryMib % 1024).toBe(0);
  });

  it('vSphere hosts name their datacenter as region', () => {
    for (const host of generateHosts('vsphere', 200, { seed: 1 })) expect(host.datacenter).toBe(host.region);
  });

  it('rejects a negative count', () => {
    expect(() => generateHosts('aliyun', -1, { seed: 1 })).toThrow();
  });
});

describe('generateDatabases', () => {
  it.each(CLOUDS)('%s: reproducible, unique ids in the vendor format, across startIndex', (vendor) => {
    const first = generateDatabases(vendor, 2000, { seed: 21 });
    expect(generateDatabases(vendor, 2000, { seed: 21 })).toEqual(first);
    const all = [...first, ...generateDatabases(vendor, 2000, { seed: 21, startIndex: 2000 })];
    expect(new Set(all.map((db) => db.id)).size).toBe(4000);
    for (const db of all) expect(db.id).toMatch(DB_ID[vendor]);
  });

  it('draws several engines where the vendor offers them', () => {
    expect(new Set(generateDatabases('aliyun', 500, { seed: 2 }).map((db) => db.engine))).toEqual(
      new Set(['MySQL', 'PostgreSQL', 'SQLServer', 'MariaDB']),
    );
    expect(new Set(generateDatabases('tencent', 500, { seed: 2 }).map((db) => db.engine))).toEqual(new Set(['MySQL']));
  });

  it('Tencent CDB statuses are the documented codes', () => {
    const seen = new Set(generateDatabases('tencent', 2000, { seed: 4 }).map((db) => db.rawStatus));
    expect(seen).toEqual(new Set(['0', '1', '4', '5']));
  });

  it('vSphere has no managed databases', () => {
    expect(() => generateDatabases('vsphere', 1, { seed: 1 })).toThrow();
  });
});

describe('uuidFor', () => {
  it('is stable per id and differs between ids', () => {
    expect(uuidFor('vm-1001')).toBe(uuidFor('vm-1001'));
    expect(uuidFor('vm-1001')).not.toBe(uuidFor('vm-1002'));
  });
});
