import { randomBytes } from 'node:crypto';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import { startTestApp, TestApp } from '../support/test-app';

const REQUESTS = 12;

describe('concurrent syncs of one scope', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;
  let secretId: string;

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    t = await startTestApp({ CMDB_SYNC_SCHEDULE: 'off' });
    const apiKey = `LTAI${randomBytes(8).toString('hex')}`;
    const account = simulator.addAccount(apiKey, 'conflict-secret');
    for (const host of generateHosts('aliyun', 300, { seed: 21, regions: ['cn-hangzhou'] })) account.hosts.set(host.id, host);
    const body = { name: 'conflicts', vendor: 'aliyun', api_key: apiKey, api_secret: 'conflict-secret', allow_regions: ['cn-hangzhou'], address: simulator.address };
    secretId = (await t.http.post('/secrets').send(body).expect(201)).body.id;
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  it('runs one and refuses the others with 409, each naming the running job', async () => {
    simulator.faults.set({ latencyMs: 200 });
    for (let round = 0; round < 3; round++) {
      const responses = await Promise.all(
        Array.from({ length: REQUESTS }, () => t.http.post(`/secrets/${secretId}/sync?wait=false`).send({ region: 'cn-hangzhou' })),
      );
      const started = responses.filter((response) => response.status === 202).map((response) => response.body.job_id as string);
      const refused = responses.filter((response) => response.status === 409);
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(REQUESTS - 1);
      for (const response of refused) {
        expect(response.body.details).toEqual({ job_id: started[0] });
        expect(response.body.message).toContain(started[0]);
      }
      await waitUntilEnded(started[0]);
    }
  });

  async function waitUntilEnded(jobId: string): Promise<void> {
    for (let i = 0; i < 300; i++) {
      const job = (await t.http.get(`/sync-jobs/${jobId}`).expect(200)).body;
      if (job.status !== 'running') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`job ${jobId} still runs`);
  }
});
