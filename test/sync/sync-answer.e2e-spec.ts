import { randomBytes } from 'node:crypto';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import { startTestApp, TestApp } from '../support/test-app';

const HOSTS = 120;

describe('the answer of a sync', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;
  let secretId: string;
  const sync = (query: string) => t.http.post(`/secrets/${secretId}/sync${query}`).send({ region: 'cn-hangzhou' });

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    t = await startTestApp({ CMDB_SYNC_SCHEDULE: 'off' });
    const apiKey = `LTAI${randomBytes(8).toString('hex')}`;
    const account = simulator.addAccount(apiKey, 'answer-secret');
    for (const host of generateHosts('aliyun', HOSTS, { seed: 41, regions: ['cn-hangzhou'] })) account.hosts.set(host.id, host);
    const body = { name: 'answer', vendor: 'aliyun', api_key: apiKey, api_secret: 'answer-secret', allow_regions: ['cn-hangzhou'], address: simulator.address };
    secretId = (await t.http.post('/secrets').send(body).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  it('carries at most details_limit details, says it cut them, and where to page every item', async () => {
    const cut = await sync('?details_limit=7').expect(200);
    expect(cut.body).toMatchObject({ status: 'succeeded', created: HOSTS, details_total: HOSTS, details_truncated: true });
    expect(cut.body.details).toHaveLength(7);
    expect(cut.body.details_next).toBe(`/sync-jobs/${cut.body.job_id}/items?limit=500`);

    const all = (await t.http.get(cut.body.details_next).expect(200)).body;
    expect(all.items).toHaveLength(HOSTS);
    expect(all.items.slice(0, 7)).toEqual(cut.body.details);

    const whole = await sync('?details_limit=1000').expect(200);
    expect(whole.body).toMatchObject({ details_total: HOSTS, details_truncated: false, details_next: null });
    expect(whole.body.details).toHaveLength(HOSTS);

    const none = await sync('?details=changed').expect(200);
    expect(none.body).toMatchObject({ details_total: 0, details_truncated: false, details: [] });
  });

  it('refuses a details_limit past the cap with a 400 naming it', async () => {
    const refused = await sync('?details_limit=100001').expect(400);
    expect(JSON.stringify(refused.body)).toContain('details_limit');
    await sync('?details_limit=-1').expect(400);
  });
});
