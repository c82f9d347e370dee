import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import type { SimHost } from '../simulators/common/model';
import { startTestApp, TestApp } from '../support/test-app';

describe('a sync with records that cannot be stored', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    t = await startTestApp({ CMDB_SYNC_SCHEDULE: 'off' });
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  it('fails those records alone, with their reasons, saves the rest of their batch, and stores them once they are fixed', async () => {
    const apiKey = `LTAI${randomBytes(8).toString('hex')}`;
    const account = simulator.addAccount(apiKey, 'bad-records-secret');
    const hosts = generateHosts('aliyun', 150, { seed: 11, regions: ['cn-hangzhou'] });
    const [longZone, negativeCpu] = hosts;
    const broken: SimHost[] = [
      { ...longZone, zone: `cn-hangzhou-${'x'.repeat(80)}` },
      { ...negativeCpu, cpu: -4 },
    ];
    for (const host of [...broken, ...hosts.slice(2)]) account.hosts.set(host.id, host);
    const secret = (
      await t.http
        .post('/secrets')
        .send({ name: 'bad', vendor: 'aliyun', api_key: apiKey, api_secret: 'bad-records-secret', allow_regions: ['cn-hangzhou'], address: simulator.address })
        .expect(201)
    ).body;

    const first = await t.http.post(`/secrets/${secret.id}/sync?details=failed`).send({ region: 'cn-hangzhou' }).expect(200);
    expect(first.body).toMatchObject({ status: 'partial', created: 148, total_succeed: 148, total_failed: 2, deleted: 0 });
    expect(first.body.details).toEqual(
      expect.arrayContaining([
        { instance_id: longZone.id, name: longZone.name, action: 'failed', success: false, message: 'zone is longer than 64 characters' },
        { instance_id: negativeCpu.id, name: negativeCpu.name, action: 'failed', success: false, message: expect.stringContaining('cpu') },
      ]),
    );
    const stored = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM hosts WHERE instance_id = ANY($1)`, [[longZone.id, negativeCpu.id]]);
    expect(stored[0].n).toBe(0);

    for (const host of [longZone, negativeCpu]) account.hosts.set(host.id, host);
    const second = await t.http.post(`/secrets/${secret.id}/sync?details=changed`).send({ region: 'cn-hangzhou' }).expect(200);
    expect(second.body).toMatchObject({ status: 'succeeded', created: 2, unchanged: 148, total_failed: 0 });
  });
});
