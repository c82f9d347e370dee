import { startTestApp, TestApp } from '../support/test-app';
import { databaseRecord, hostRecord, InventorySeeder } from './inventory-fixtures';

describe('GET /stats', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('answers zeros for an empty inventory', async () => {
    const empty = { total: 0, by_vendor: {}, by_region: {}, by_status: {} };
    const stats = await t.http.get('/stats').expect(200);
    expect(stats.body).toEqual({ ...empty, by_resource_type: { host: 0, rds: 0 }, resource_types: { host: empty, rds: empty } });
  });

  it('counts active resources by vendor, region, status and resource type', async () => {
    const local = await InventorySeeder.start(t);
    await local.write([
      hostRecord('i-s1', { region: 'cn-hangzhou', status: 'running' }),
      hostRecord('i-s2', { region: 'cn-hangzhou', status: 'stopped' }),
      hostRecord('i-s3', { region: 'cn-beijing', status: 'running' }),
    ]);
    await local.write([hostRecord('ins-s4', { vendor: 'tencent', region: 'ap-guangzhou', status: 'running' })]);
    await local.write([databaseRecord('rm-s5', { region: 'cn-hangzhou', status: 'error' })]);
    await local.deleteAllBut('host', 'aliyun', 'cn-beijing', []);

    const stats = await t.http.get('/stats').expect(200);
    expect(stats.body).toEqual({
      total: 4,
      by_vendor: { aliyun: 3, tencent: 1 },
      by_region: { 'cn-hangzhou': 3, 'ap-guangzhou': 1 },
      by_status: { running: 2, stopped: 1, error: 1 },
      by_resource_type: { host: 3, rds: 1 },
      resource_types: {
        host: { total: 3, by_vendor: { aliyun: 2, tencent: 1 }, by_region: { 'cn-hangzhou': 2, 'ap-guangzhou': 1 }, by_status: { running: 2, stopped: 1 } },
        rds: { total: 1, by_vendor: { aliyun: 1 }, by_region: { 'cn-hangzhou': 1 }, by_status: { error: 1 } },
      },
    });
  });
});
