import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import { call, serverEnvironment } from '../support/killable-server';
import { startServerProcess } from '../support/server-process';

const HOSTS = 3000;

describe('a server killed in the middle of a sync', () => {
  let simulator: AliyunSimulator;
  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
  });
  afterAll(() => simulator.stop());

  it('leaves a consistent database and an interrupted job, and the next sync converges', async () => {
    const account = simulator.addAccount('LTAIcrashtest0001', 'crash-secret');
    for (const host of generateHosts('aliyun', HOSTS, { seed: 7, regions: ['cn-hangzhou'] })) account.hosts.set(host.id, host);
    const { environment, cleanup } = await serverEnvironment();
    try {
      const first = await startServerProcess({ ...environment, CMDB_VENDOR_RETRY_BASE_MS: '5' });
      let jobId: string;
      let killedAt: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        const secret = await call(first, 'POST', '/secrets', {
          name: 'crash',
          vendor: 'aliyun',
          api_key: 'LTAIcrashtest0001',
          api_secret: 'crash-secret',
          allow_regions: ['cn-hangzhou'],
          address: simulator.address,
          request_rate: 100,
        });
        expect(secret.status).toBe(201);
        simulator.faults.set({ latencyMs: 60 });
        const started = await call(first, 'POST', `/secrets/${secret.body.id}/sync?wait=false`, { region: 'cn-hangzhou' });
        expect(started.status).toBe(202);
        jobId = started.body.job_id;
        // Until a batch is saved, while the job still runs (it ends by itself after ~3 s otherwise).
        do {
          await new Promise((resolve) => setTimeout(resolve, 50));
          killedAt = (await call(first, 'GET', `/sync-jobs/${jobId}`)).body;
        } while (killedAt.progress.items_done < 1000 && killedAt.status === 'running');
        expect(killedAt.status).toBe('running');
      } finally {
        first.child.kill('SIGKILL');
        await new Promise((resolve) => first.child.once('exit', resolve));
      }
      simulator.faults.reset();

      // Marked at start-up, or (on PostgreSQL, killed right after a heartbeat) once its heartbeat is stale.
      const second = await startServerProcess({ ...environment, CMDB_SYNC_HEARTBEAT_TIMEOUT_MS: '3000' });
      try {
        let job = (await call(second, 'GET', `/sync-jobs/${jobId}`)).body;
        for (let i = 0; i < 50 && job.status === 'running'; i++) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          job = (await call(second, 'GET', `/sync-jobs/${jobId}`)).body;
        }
        expect(job.status).toBe('interrupted');
        expect(job.error).toMatchObject({ code: 'Interrupted' });
        expect(job.deleted).toBe(0);
        // Every committed batch carried its rows, their changes and its counters together.
        expect(job.created).toBeGreaterThanOrEqual(killedAt.created);
        expect(job.created).toBeLessThan(HOSTS);
        const items = (await call(second, 'GET', `/sync-jobs/${jobId}/items?action=created&limit=500`)).body;
        expect(items.items.length).toBe(Math.min(500, job.created));

        const secretId = job.secret_id;
        const rerun = await call(second, 'POST', `/secrets/${secretId}/sync?details=none`, { region: 'cn-hangzhou' });
        expect(rerun.status).toBe(200);
        expect(rerun.body).toMatchObject({ status: 'succeeded', created: HOSTS - job.created, unchanged: job.created, updated: 0, deleted: 0 });
      } finally {
        await second.stop();
      }
    } finally {
      await cleanup();
    }
  });
});
