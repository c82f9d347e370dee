import { randomBytes } from 'node:crypto';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import { databaseUrl, TEST_DATABASE_PREFIX } from '../support/template-database';
import { adminQuery } from '../support/test-database';
import { startServerProcess, ServerProcess } from '../support/server-process';

const HEARTBEAT_TIMEOUT_MS = 3_000;

async function call(server: ServerProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...server.headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Two replicas need a database server: the embedded one belongs to one process.
const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

onPostgres('a replica killed in the middle of a sync, never restarted', () => {
  const serverUrl = process.env.TEST_DATABASE_URL!;
  const name = `${TEST_DATABASE_PREFIX}_dead_replica_${process.pid}`;
  let simulator: AliyunSimulator;
  let environment: Record<string, string>;

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
    environment = {
      DATABASE_URL: databaseUrl(serverUrl, name),
      CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CMDB_ADMIN_TOKEN: `cmdb_${randomBytes(32).toString('base64url')}`,
      CMDB_SYNC_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS),
      CMDB_SYNC_SCHEDULE: 'off',
    };
  });
  afterAll(async () => {
    await simulator.stop();
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('leaves a live replica\'s job running, and the other replica marks the dead one\'s job interrupted; its secret can then be deleted', async () => {
    const account = simulator.addAccount('LTAIdeadreplica01', 'dead-replica');
    for (const host of generateHosts('aliyun', 2000, { seed: 5, regions: ['cn-hangzhou'] })) account.hosts.set(host.id, host);
    const doomed = await startServerProcess(environment);
    let survivor: ServerProcess | null = null;
    try {
      survivor = await startServerProcess(environment);
      const secret = await call(doomed, 'POST', '/secrets', {
        name: 'dead-replica',
        vendor: 'aliyun',
        api_key: 'LTAIdeadreplica01',
        api_secret: 'dead-replica',
        allow_regions: ['cn-hangzhou'],
        address: simulator.address,
        request_rate: 100,
      });
      expect(secret.status).toBe(201);
      simulator.faults.set({ latencyMs: 1_500 });
      const started = await call(doomed, 'POST', `/secrets/${secret.body.id}/sync?wait=false`, { region: 'cn-hangzhou' });
      expect(started.status).toBe(202);
      const jobId = started.body.job_id as string;

      // Longer than the timeout: a live replica's job keeps its heartbeat and stays running.
      await sleep(2 * HEARTBEAT_TIMEOUT_MS);
      expect((await call(survivor, 'GET', `/sync-jobs/${jobId}`)).body.status).toBe('running');

      doomed.child.kill('SIGKILL');
      await new Promise((resolve) => doomed.child.once('exit', resolve));
      let job = (await call(survivor, 'GET', `/sync-jobs/${jobId}`)).body;
      for (let i = 0; i < 100 && job.status === 'running'; i++) {
        await sleep(200);
        job = (await call(survivor, 'GET', `/sync-jobs/${jobId}`)).body;
      }
      expect(job).toMatchObject({ status: 'interrupted', deleted: 0, error: { code: 'Interrupted' } });

      simulator.faults.reset();
      expect((await call(survivor, 'DELETE', `/secrets/${secret.body.id}`)).status).toBe(204);
    } finally {
      if (doomed.child.exitCode === null && doomed.child.signalCode === null) doomed.child.kill('SIGKILL');
      await survivor?.stop();
    }
  });
});
