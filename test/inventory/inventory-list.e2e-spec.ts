import { DataSource } from 'typeorm';
import { tagTerms } from '../../src/inventory/tag-terms';
import type { HostRecord, Vendor } from '../../src/providers/provider';
import { startTestApp, TestApp } from '../support/test-app';
import { databaseRecord, fieldsOf, hostRecord, InventorySeeder } from './inventory-fixtures';

const VENDORS: Vendor[] = ['aliyun', 'tencent', 'huawei'];
const REGIONS: Record<string, [string, string]> = {
  aliyun: ['cn-hangzhou', 'cn-shanghai'],
  tencent: ['ap-guangzhou', 'ap-shanghai'],
  huawei: ['cn-north-4', 'cn-east-3'],
};
const pad = (n: number) => String(n).padStart(3, '0');

/** 24 ordinary hosts spread over vendors, regions, zones, statuses, types and tags, plus a few with tricky names and addresses. */
function fixtureHosts(): HostRecord[] {
  const hosts: HostRecord[] = [];
  for (let i = 0; i < 24; i++) {
    const vendor = VENDORS[i % 3];
    const region = REGIONS[vendor][Math.floor(i / 3) % 2];
    const env = ['prod', 'dev', 'test'][Math.floor(i / 2) % 3];
    hosts.push(
      hostRecord(`${vendor === 'aliyun' ? 'i-bp' : vendor === 'tencent' ? 'ins-' : 'ecs-'}${pad(i)}x`, {
        vendor,
        region,
        zone: `${region}-${'ab'[Math.floor(i / 6) % 2]}`,
        name: `${['web', 'db', 'cache', 'api'][i % 4]}-${env}-${pad(i)}`,
        status: (['running', 'running', 'stopped', 'running', 'error', 'pending'] as const)[i % 6],
        instanceType: ['s.small', 's.large', 'm.large'][Math.floor(i / 3) % 3],
        tags: i % 4 === 0 ? { env } : { env, team: ['web', 'data'][i % 2] },
        privateIps: [`10.${i % 3}.${i}.${10 + i}`],
        publicIps: i % 5 === 0 ? [`47.96.${i}.1`] : [],
      }),
    );
  }
  hosts.push(
    hostRecord('i-bpupper', { name: 'Prod-Web-Upper', tags: { env: 'prod', note: 'a=b' }, privateIps: ['192.168.0.5', '10.9.9.9'] }),
    hostRecord('i-bpunderscore', { name: 'batch_100%', privateIps: ['FD00:AB::1'] }),
    hostRecord('i-bpnowild', { name: 'batchx1000', zone: null, instanceType: null, cpu: null }),
  );
  return hosts;
}

const ipsOf = (host: HostRecord) => [...host.privateIps, ...host.publicIps].map((ip) => ip.toLowerCase());
/** What `q` means: a name substring, or an instance id or IP prefix, case-insensitive. */
const matchesQ = (q: string) => (host: HostRecord) =>
  host.name.toLowerCase().includes(q.toLowerCase()) ||
  host.instanceId.toLowerCase().startsWith(q.toLowerCase()) ||
  ipsOf(host).some((ip) => ip.startsWith(q.toLowerCase()));

describe('GET /hosts and /databases: filters and search', () => {
  let t: TestApp;
  let seeder: InventorySeeder;
  const hosts = fixtureHosts();
  /** Deleted by a complete listing of aliyun cn-shanghai that no longer had them. */
  const deleted = new Set<string>();

  const list = async (query: string): Promise<{ instance_id: string }[]> => {
    const response = await t.http.get(`/hosts?limit=500&${query}`).expect(200);
    expect(response.body.next_cursor).toBeNull();
    return response.body.items;
  };
  /** The API's answer equals the fixture hosts the predicate picks (active ones unless `states` says otherwise). */
  const expectMatches = async (query: string, predicate: (host: HostRecord) => boolean, states: 'active' | 'deleted' | 'all' = 'active') => {
    const expected = hosts
      .filter((host) => (states === 'all' ? true : states === 'deleted' ? deleted.has(host.instanceId) : !deleted.has(host.instanceId)))
      .filter(predicate)
      .map((host) => host.instanceId)
      .sort();
    const answered = (await list(query)).map((item) => item.instance_id).sort();
    expect(answered).toEqual(expected);
    return answered;
  };

  beforeAll(async () => {
    t = await startTestApp();
    seeder = await InventorySeeder.start(t);
    for (const vendor of VENDORS) await seeder.write(hosts.filter((host) => host.vendor === vendor));
    const shanghai = hosts.filter((host) => host.vendor === 'aliyun' && host.region === 'cn-shanghai');
    const gone = shanghai.slice(0, 2).map((host) => host.instanceId);
    await seeder.deleteAllBut('host', 'aliyun', 'cn-shanghai', shanghai.slice(2).map((host) => host.instanceId));
    gone.forEach((id) => deleted.add(id));
    await seeder.write([databaseRecord('rm-mysql1'), databaseRecord('rm-pg1', { engine: 'PostgreSQL', port: 5432 })]);
    await seeder.write([databaseRecord('cdb-1', { vendor: 'tencent', region: 'ap-guangzhou', zone: null, engine: 'MySQL' })]);
  });
  afterAll(() => t?.close());

  it('answers every active host by default, as snake_case views without raw', async () => {
    const items = await expectMatches('', () => true);
    expect(items).toHaveLength(hosts.length - deleted.size);
    const response = await t.http.get('/hosts?q=i-bpupper').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const [item] = response.body.items;
    expect(Object.keys(item).sort()).toEqual(
      [
        'id', 'vendor', 'secret_id', 'instance_id', 'region', 'zone', 'name', 'status', 'raw_status', 'charge_type', 'vendor_created_at',
        'expire_at', 'private_ips', 'public_ips', 'vpc_id', 'subnet_id', 'tags', 'hostname', 'instance_type', 'cpu', 'memory_mib',
        'os_name', 'os_type', 'image_id', 'security_groups', 'state', 'deleted_at', 'first_seen_at', 'last_changed_at', 'query_at',
      ].sort(),
    );
    expect(item).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      vendor: 'aliyun',
      secret_id: seeder.secrets.aliyun,
      name: 'Prod-Web-Upper',
      tags: { env: 'prod', note: 'a=b' },
      private_ips: ['192.168.0.5', '10.9.9.9'],
      cpu: 2,
      memory_mib: 4096,
      vendor_created_at: '2024-01-01T00:00:00.000Z',
      expire_at: null,
      state: 'active',
      deleted_at: null,
      query_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      first_seen_at: expect.stringMatching(/Z$/),
      last_changed_at: expect.stringMatching(/Z$/),
    });
    expect(item).not.toHaveProperty('raw');
  });

  it.each([
    ['vendor=tencent', (host: HostRecord) => host.vendor === 'tencent'],
    ['region=cn-hangzhou', (host: HostRecord) => host.region === 'cn-hangzhou'],
    ['zone=ap-shanghai-b', (host: HostRecord) => host.zone === 'ap-shanghai-b'],
    ['status=stopped', (host: HostRecord) => host.status === 'stopped'],
    ['instance_type=m.large', (host: HostRecord) => host.instanceType === 'm.large'],
    ['tag=env%3Dprod', (host: HostRecord) => host.tags.env === 'prod'],
    ['tag=team', (host: HostRecord) => 'team' in host.tags],
    ['tag=note%3Da%3Db', (host: HostRecord) => host.tags.note === 'a=b'],
    ['tag=env%3Dprod&tag=team%3Dweb', (host: HostRecord) => host.tags.env === 'prod' && host.tags.team === 'web'],
  ])('filters on %s', async (query, predicate) => {
    expect((await expectMatches(query, predicate)).length).toBeGreaterThan(0);
  });

  it('answers nothing for tags no host has', async () => {
    await expectMatches('tag=env%3Dprod&tag=env%3Ddev', () => false);
    await expectMatches('tag=missing', () => false);
    await expectMatches('tag=env%3Dmissing', () => false);
  });

  it('finds tags by the same terms whether the writer (tagTerms) or SQL (inventory_tag_terms, for backfills) made them', async () => {
    const samples: Record<string, string>[] = [
      {},
      { env: 'prod', team: 'team-7', app: '' },
      { 'a=b': 'c', a: 'b=c' },
      { 环境: '生产', '🚀': 'launch', 'key with spaces': 'value with spaces' },
    ];
    for (const tags of samples) {
      const [{ terms }]: { terms: string[] }[] = await t.app.get(DataSource).query(`SELECT inventory_tag_terms($1::jsonb) AS terms`, [JSON.stringify(tags)]);
      expect({ tags, terms: [...terms].sort() }).toEqual({ tags, terms: tagTerms(tags).sort() });
    }
    // A key containing `=` stays apart from the pair it resembles.
    expect(tagTerms({ 'a=b': 'c' })).not.toEqual(expect.arrayContaining(tagTerms({ a: 'b=c' })));
  });

  it('filters on secret_id', async () => {
    await expectMatches(`secret_id=${seeder.secrets.huawei}`, (host) => host.vendor === 'huawei');
  });

  it.each([
    ['a name substring, in any case', 'prod-WEB', 1],
    ['a name substring matching many', '-dev-', 6],
    ['an instance id prefix, in any case', 'I-BP00', 2],
    ['an instance id infix, which is no match', 'bp003', 0],
    ['a private IP prefix', '10.1.', 8],
    ['the prefix of a second private IP', '10.9.', 1],
    ['a public IP prefix', '47.96.1', 2],
    ['an IP infix, which is no match', '.0.5', 0],
    ['an IPv6 prefix, in any case', 'fd00:AB:', 1],
    ['LIKE wildcards as plain characters: _', 'h_1', 1],
    ['LIKE wildcards as plain characters: %', '0%', 1],
    ['a full IP', '10.2.5.15', 1],
    ['an IP prefix ending inside a group', '10.2.5.1', 1],
    ['an IP prefix within its first group', '47', 5],
    ['an IPv6 prefix within its first group', 'FD0', 1],
  ])('searches q as %s', async (_what, q, count) => {
    const answered = await expectMatches(`q=${encodeURIComponent(q)}`, matchesQ(q));
    expect(answered).toHaveLength(count);
  });

  it('ignores a blank q', async () => {
    await expectMatches('q=%20%20', () => true);
  });

  it('combines filters: every one must match', async () => {
    await expectMatches('vendor=aliyun&region=cn-hangzhou&status=running', (h) => h.vendor === 'aliyun' && h.region === 'cn-hangzhou' && h.status === 'running');
    await expectMatches('tag=env%3Dprod&q=web', (h) => h.tags.env === 'prod' && matchesQ('web')(h));
    await expectMatches(`secret_id=${seeder.secrets.tencent}&zone=ap-guangzhou-a&tag=team`, (h) => h.vendor === 'tencent' && h.zone === 'ap-guangzhou-a' && 'team' in h.tags);
    await expectMatches('region=cn-north-4&instance_type=s.large&q=10.', (h) => h.region === 'cn-north-4' && h.instanceType === 's.large' && matchesQ('10.')(h));
    await expectMatches('status=running&vendor=huawei&sort=-cpu', (h) => h.status === 'running' && h.vendor === 'huawei');
  });

  it('answers deleted hosts only when asked: state=deleted alone, state=all with the active ones', async () => {
    expect(deleted.size).toBe(2);
    const gone = await t.http.get('/hosts?state=deleted').expect(200);
    expect(gone.body.items.map((item: { instance_id: string }) => item.instance_id).sort()).toEqual([...deleted].sort());
    for (const item of gone.body.items) expect(item).toMatchObject({ state: 'deleted', deleted_at: expect.stringMatching(/Z$/) });
    await expectMatches('state=deleted', () => true, 'deleted');
    await expectMatches('state=all', () => true, 'all');
    await expectMatches('state=all&region=cn-shanghai', (h) => h.region === 'cn-shanghai', 'all');
    await expectMatches('region=cn-shanghai', (h) => h.region === 'cn-shanghai');
  });

  it('adds the total with count=true, whatever the page size', async () => {
    const expected = hosts.filter((h) => h.status === 'running' && !deleted.has(h.instanceId)).length;
    const response = await t.http.get('/hosts?status=running&limit=2&count=true').expect(200);
    expect(response.body).toMatchObject({ total: expected, next_cursor: expect.any(String) });
    expect(response.body.items).toHaveLength(2);
    const all = await t.http.get('/hosts?state=all&count=true').expect(200);
    expect(all.body.total).toBe(hosts.length);
    const plain = await t.http.get('/hosts?count=false').expect(200);
    expect(plain.body).not.toHaveProperty('total');
  });

  it('filters databases the same way, with engine instead of instance_type', async () => {
    const mysql = await t.http.get('/databases?engine=MySQL&count=true').expect(200);
    expect(mysql.body.items.map((item: { instance_id: string }) => item.instance_id).sort()).toEqual(['cdb-1', 'rm-mysql1']);
    expect(mysql.body.total).toBe(2);
    const tencent = await t.http.get('/databases?vendor=tencent&q=cdb').expect(200);
    expect(tencent.body.items).toHaveLength(1);
    expect(tencent.body.items[0]).toMatchObject({ instance_id: 'cdb-1', engine: 'MySQL', port: 3306, private_endpoints: [], state: 'active' });
    expect(tencent.body.items[0]).not.toHaveProperty('raw');
    expect(tencent.body.items[0]).not.toHaveProperty('instance_type');
  });

  it.each([
    ['vendor=nope', 'vendor'],
    ['vendor=aliyun&vendor=tencent', 'vendor'],
    ['secret_id=not-a-uuid', 'secret_id'],
    ['region=', 'region'],
    [`region=${'r'.repeat(65)}`, 'region'],
    ['zone=a%00b', 'zone'],
    ['status=sleeping', 'status'],
    [`instance_type=${'t'.repeat(65)}`, 'instance_type'],
    ['tag=', 'tag'],
    ['tag=%3Dprod', 'tag'],
    ['tag[env]=prod', 'tag'],
    [`q=${'q'.repeat(201)}`, 'q'],
    ['q=a&q=b', 'q'],
    ['q=x%00', 'q'],
    ['state=gone', 'state'],
    ['sort=ram', 'sort'],
    ['sort=-', 'sort'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['count=maybe', 'count'],
    ['cursor=not-a-cursor', 'cursor'],
    ['engine=MySQL', 'engine'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the parameter for /hosts?%s', async (query, field) => {
    const response = await t.http.get(`/hosts?${query}`).expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    expect(fieldsOf(response.body)).toContain(field);
  });

  it('answers 400 for a host-only filter on /databases', async () => {
    const response = await t.http.get('/databases?instance_type=m.large').expect(400);
    expect(fieldsOf(response.body)).toContain('instance_type');
  });
});
