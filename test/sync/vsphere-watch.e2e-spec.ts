import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { InventoryWriter } from '../../src/inventory/inventory-writer';
import { watchLockKey } from '../../src/sync/vsphere-watch/watch-locks';
import { RESOURCE_KINDS } from '../../src/inventory/resource-columns';
import { uuidFor, generateHosts } from '../simulators/common/generator';
import type { SimHost } from '../simulators/common/model';
import { VsphereSimulator } from '../simulators/vsphere/vsphere-simulator';
import { databaseUrl, TEST_DATABASE_PREFIX } from '../support/template-database';
import { terminateLockHolders } from '../support/lock-holders';
import { adminQuery } from '../support/test-database';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startTestApp, type TestApp } from '../support/test-app';

/** Polls until `check` holds (or throws its last failure after `timeoutMs`); answers how long it took. */
async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const vsphereHosts = (count: number, seed: number): SimHost[] =>
  generateHosts('vsphere', count, { seed, regions: ['DC-East', 'DC-West'], startIndex: seed * 10_000 }).map((host) => ({ ...host, datacenter: host.region, rawStatus: 'poweredOn' }));

describe('a vSphere secret that watches its vCenter', () => {
  let sim: VsphereSimulator;
  let t: TestApp;
  let hosts: SimHost[];
  let secretId: string;
  const user = `watch-${randomBytes(4).toString('hex')}@vsphere.local`;
  const password = randomBytes(12).toString('hex');
  const db = () => t.app.get(DataSource);
  const hostRow = async (simId: string) =>
    (await db().query(`SELECT status, name, state FROM hosts WHERE instance_id = $1`, [uuidFor(simId)]))[0] as { status: string; name: string; state: string } | undefined;
  const jobCount = async () => (await db().query(`SELECT count(*)::int AS n FROM sync_jobs WHERE secret_id = $1`, [secretId]))[0].n as number;
  const eventChanges = async (simId: string) =>
    (
      await db().query(`SELECT change_type, trigger, job_id FROM resource_changes WHERE instance_id = $1 AND trigger = 'event' ORDER BY revision`, [uuidFor(simId)])
    ).map((row: { change_type: string }) => row.change_type) as string[];
  const status = async () => (await t.http.get(`/secrets/${secretId}`).expect(200)).body.watch_status;
  const activeIds = async () =>
    new Set((await db().query(`SELECT instance_id FROM hosts WHERE secret_id = $1 AND state = 'active'`, [secretId])).map((row: { instance_id: string }) => row.instance_id));
  const expectConverged = async () =>
    until(async () => {
      const stored = await activeIds();
      const truth = [...sim.account(user).hosts.keys()].map(uuidFor);
      return stored.size === truth.length && truth.every((id) => stored.has(id));
    });

  beforeAll(async () => {
    sim = await VsphereSimulator.start();
    sim.addAccount(user, password);
    hosts = vsphereHosts(30, 71);
    sim.load(user, hosts);
    t = await startTestApp({ CMDB_VENDOR_RETRY_BASE_MS: '5', CMDB_VENDOR_TIMEOUT_MS: '4000', CMDB_WATCH_CLAIM_INTERVAL_MS: '200', CMDB_SYNC_SCHEDULE: 'off' });
    const created = await t.http
      .post('/secrets')
      .send({ name: 'vc-watched', vendor: 'vsphere', api_key: user, api_secret: password, address: sim.address, tls: { ca: sim.caPem }, request_rate: 100, watch: true })
      .expect(201);
    secretId = created.body.id;
    expect(created.body.watch).toBe(true);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.stop();
  });

  it('lists every VM first, as a full sync job with trigger event, and then shows itself following', async () => {
    await until(async () => (await status())?.state === 'following');
    await expectConverged();
    const jobs = await db().query(`SELECT trigger, status, created FROM sync_jobs WHERE secret_id = $1`, [secretId]);
    expect(jobs).toEqual([{ trigger: 'event', status: 'succeeded', created: hosts.length }]);
    expect(await status()).toMatchObject({ state: 'following', error: null, updates_applied: hosts.length, last_update_at: expect.any(String) });
  });

  // How fast: `npm run bench -- vsphere-feed` (a timing here would only measure the machine's load).
  it("changes a host's status on a power-off, without a sync job, logged as an event", async () => {
    await until(async () => (await status())?.state === 'following');
    const jobs = await jobCount();
    const applied = (await status()).updates_applied as number;
    sim.powerOff(user, hosts[0].id);
    await until(async () => (await hostRow(hosts[0].id))?.status === 'stopped');
    expect(await jobCount()).toBe(jobs);
    expect(await eventChanges(hosts[0].id)).toEqual(['updated']);
    const [change] = await db().query(`SELECT job_id, event_id, changed_fields FROM resource_changes WHERE instance_id = $1 AND trigger = 'event'`, [uuidFor(hosts[0].id)]);
    expect(change).toMatchObject({ job_id: null, event_id: null, changed_fields: { status: { old: 'running', new: 'stopped' } } });
    await until(async () => (await status()).updates_applied === applied + 1);

    sim.rename(user, hosts[0].id, 'renamed-by-operator');
    await until(async () => (await hostRow(hosts[0].id))?.name === 'renamed-by-operator', 2_000);
  });

  it('shows a VM added as created and one removed as deleted', async () => {
    const added = vsphereHosts(1, 72)[0];
    sim.addVm(user, added);
    sim.removeVm(user, hosts[1].id);
    await until(async () => (await hostRow(added.id))?.state === 'active' && (await hostRow(hosts[1].id))?.state === 'deleted', 2_000);
    expect(await eventChanges(added.id)).toEqual(['created']);
    expect(await eventChanges(hosts[1].id)).toEqual(['deleted']);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cmdb_vsphere_feed_updates_total\{vendor="vsphere",action="created"\} \d+/);
    expect(metrics.text).toContain(`cmdb_vsphere_feed_state{secret_id="${secretId}",state="following"} 1`);
  });

  it('converges after a dropped session, relisting what changed while it was away', async () => {
    await until(async () => (await status())?.state === 'following');
    sim.expireSessions();
    sim.removeVm(user, hosts[2].id);
    sim.addVm(user, vsphereHosts(1, 73)[0]);
    sim.powerOn(user, hosts[0].id);
    await expectConverged();
    await until(async () => (await hostRow(hosts[0].id))?.status === 'running');
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cmdb_vsphere_feed_restarts_total\{vendor="vsphere",code="NotAuthenticated"\} [1-9]/);
    await until(async () => (await status())?.state === 'following');
  });

  it('converges after the collector refuses its version (InvalidCollectorVersion) on a live session', async () => {
    await until(async () => (await status())?.state === 'following');
    const jobs = await jobCount();
    sim.invalidateCollectorVersions();
    sim.removeVm(user, hosts[8].id);
    await expectConverged();
    expect(await jobCount()).toBe(jobs + 1); // the relist, as a full sync job
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/cmdb_vsphere_feed_restarts_total\{vendor="vsphere",code="InvalidCollectorVersion"\} [1-9]/);
  });

  it('converges after a vCenter restart (sessions and collector versions gone)', async () => {
    await until(async () => (await status())?.state === 'following');
    sim.invalidateCollectorVersions();
    sim.restart();
    for (const host of hosts.slice(3, 6)) sim.removeVm(user, host.id);
    sim.rename(user, hosts[6].id, 'renamed-during-restart');
    await expectConverged();
    await until(async () => (await hostRow(hosts[6].id))?.name === 'renamed-during-restart');
    await until(async () => (await status())?.state === 'following');
  });

  it('never blocks a manual full sync of the same secret, and the two agree', async () => {
    await until(async () => (await status())?.state === 'following');
    const manual = await t.http.post(`/secrets/${secretId}/sync`).send({}).expect(200);
    expect(manual.body).toMatchObject({ status: 'succeeded', created: 0, deleted: 0 });
    sim.powerOff(user, hosts[7].id);
    await until(async () => (await hostRow(hosts[7].id))?.status === 'stopped', 2_000);
    await expectConverged();
  });

  it('still deletes what vCenter removed when its relist meets a manual sync that listed it before it went', async () => {
    await until(async () => (await status())?.state === 'following');
    // The manual sync reads the first datacenter, then the VM goes and the feed must relist, while the sync waits on its second page.
    const firstDatacenter = hosts[0].datacenter;
    const doomed = hosts.slice(10).find((host) => host.datacenter === firstDatacenter && sim.account(user).hosts.has(host.id))!;
    const since = (await status()).since as string;
    sim.faults.set({
      mutateBeforePage: {
        page: 2,
        mutate: () => {
          sim.removeVm(user, doomed.id);
          sim.invalidateCollectorVersions();
        },
      },
      hangPage: 2,
    });
    try {
      const manual = t.http
        .post(`/secrets/${secretId}/sync`)
        .send({})
        .then((response) => response); // sent now, answered when the sync ends
      await until(async () => {
        const now = await status();
        return now.state === 'following' && now.since !== since; // relisted, while the manual sync held the scope
      });
      sim.faults.reset(); // the sync's second page answers on its retry
      expect((await manual).body).toMatchObject({ trigger: 'api', status: 'succeeded' });
    } finally {
      sim.faults.reset();
    }
    await until(async () => (await hostRow(doomed.id))?.state === 'deleted', 5_000);
    await expectConverged();
  });

  // A row lock on PostgreSQL holds the feed's listing job open for as long as the test likes.
  (process.env.TEST_DATABASE_URL ? it : it.skip)('makes a manual sync wait for the feed\'s listing of the scope instead of refusing it', async () => {
    await until(async () => (await status())?.state === 'following');
    const blocker = new Client({ connectionString: t.database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM hosts WHERE instance_id = $1 FOR UPDATE`, [uuidFor(hosts[9].id)]);
      // Restarted with a VM renamed: the feed relists, and its listing job waits on the locked row.
      sim.invalidateCollectorVersions();
      sim.restart();
      sim.rename(user, hosts[9].id, 'renamed-during-listing');
      await until(async () => (await db().query(`SELECT 1 FROM sync_jobs WHERE secret_id = $1 AND status = 'running' AND trigger = 'event'`, [secretId])).length === 1);

      let answered = false;
      const manual = t.http
        .post(`/secrets/${secretId}/sync`)
        .send({})
        .then((response) => ((answered = true), response));
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(answered).toBe(false); // waiting, not refused with 409
      await blocker.query('ROLLBACK');
      const response = await manual;
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status: 'succeeded', trigger: 'api' });
    } finally {
      await blocker.end();
    }
    expect((await hostRow(hosts[9].id))?.name).toBe('renamed-during-listing');
    await expectConverged();
  });

  it('shows failed with the vendor error when the credential stops working, and follows again once it is fixed', async () => {
    await t.http.patch(`/secrets/${secretId}`).send({ api_secret: 'wrong-password' }).expect(200);
    await until(async () => (await status())?.state === 'failed');
    const failed = await status();
    expect(failed.error).toMatchObject({ code: 'InvalidLogin' });
    expect(JSON.stringify(failed)).not.toContain('wrong-password');
    await t.http.patch(`/secrets/${secretId}`).send({ api_secret: password }).expect(200);
    await until(async () => (await status())?.state === 'following');
  });

  it('stops following when watch is turned off', async () => {
    await t.http.patch(`/secrets/${secretId}`).send({ watch: false }).expect(200);
    await until(async () => sim.openSessions === 0);
    const body = (await t.http.get(`/secrets/${secretId}`).expect(200)).body;
    expect(body).toMatchObject({ watch: false, watch_status: null });
  });

  it('deletes an instance the feed says is gone only if its row is older than that word', async () => {
    const writer = t.app.get(InventoryWriter);
    const origin = { trigger: 'event' as const, jobId: null, eventId: null };
    const instanceId = uuidFor(hosts[9].id);
    const stale = await db().transaction((manager) => writer.deleteInstances(manager, RESOURCE_KINDS.host, secretId, [{ instanceId, observedAt: new Date(0) }], origin));
    expect(stale).toEqual([{ instance_id: instanceId, name: null, action: 'unchanged', success: true, message: 'newer data is already stored' }]);
    expect((await hostRow(hosts[9].id))?.state).toBe('active');
    const fresh = await db().transaction((manager) =>
      writer.deleteInstances(manager, RESOURCE_KINDS.host, secretId, [{ instanceId, observedAt: new Date(Date.now() + 1000) }, { instanceId: 'never-seen', observedAt: new Date() }], origin),
    );
    expect(fresh).toEqual([
      { instance_id: instanceId, name: hosts[9].name, action: 'deleted', success: true, message: null },
      { instance_id: 'never-seen', name: null, action: 'unchanged', success: true, message: 'not held: a tombstone keeps the delete' },
    ]);
    expect(await eventChanges(hosts[9].id)).toEqual(['deleted']);
  });

  it('refuses watch for a cloud secret, naming the field', async () => {
    const refused = await t.http
      .post('/secrets')
      .send({ name: 'cloud-watch', vendor: 'aliyun', api_key: 'LTAIwatch', api_secret: 'x'.repeat(20), allow_regions: ['cn-hangzhou'], watch: true })
      .expect(400);
    expect(JSON.stringify(refused.body)).toContain('watch');
  });
});

const onPostgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
onPostgres('two server processes on PostgreSQL', () => {
  let sim: VsphereSimulator;
  const name = `${TEST_DATABASE_PREFIX}_watch_${process.pid}`;
  const serverUrl = process.env.TEST_DATABASE_URL ?? '';
  const user = 'ha-watch@vsphere.local';
  const password = 'ha-watch-password';
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    sim = await VsphereSimulator.start();
    sim.addAccount(user, password);
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  });
  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await sim?.stop();
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  async function call(server: ServerProcess, method: string, path: string, body?: unknown) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...server.headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  }
  const follows = async (server: ServerProcess, secretId: string) =>
    (await call(server, 'GET', '/metrics')).text.includes(`cmdb_vsphere_feed_state{secret_id="${secretId}",state="following"} 1`);
  const followers = async (secretId: string) => {
    const states = await Promise.all(servers.map((server) => (server.child.exitCode === null ? follows(server, secretId) : false)));
    return servers.filter((_, index) => states[index]);
  };

  it('run one watcher between them; one whose lock is lost with its connection stops; the other takes over when the first is killed -9', async () => {
    const hosts = vsphereHosts(20, 81);
    sim.load(user, hosts);
    const environment = {
      DATABASE_URL: databaseUrl(serverUrl, name),
      CMDB_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      CMDB_ADMIN_TOKEN: `cmdb_${randomBytes(32).toString('base64url')}`,
      CMDB_WATCH_CLAIM_INTERVAL_MS: '300',
      CMDB_SYNC_SCHEDULE: 'off',
    };
    servers.push(await startServerProcess(environment));
    servers.push(await startServerProcess({ ...environment, CMDB_RUN_MIGRATIONS: 'false' }));
    const created = await call(servers[0], 'POST', '/secrets', {
      name: 'vc-ha',
      vendor: 'vsphere',
      api_key: user,
      api_secret: password,
      address: sim.address,
      tls: { ca: sim.caPem },
      request_rate: 100,
      watch: true,
    });
    expect(created.status).toBe(201);
    const secretId = JSON.parse(created.text).id as string;
    const hostStatus = async (server: ServerProcess, simId: string) => {
      const response = await call(server, 'GET', `/hosts/vsphere:${uuidFor(simId)}`);
      return response.status === 200 ? (JSON.parse(response.text).status as string) : null;
    };

    await until(async () => (await follows(servers[0], secretId)) || (await follows(servers[1], secretId)));
    // Several claim rounds later, still one follower.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const following = [await follows(servers[0], secretId), await follows(servers[1], secretId)];
    expect(following.filter(Boolean)).toHaveLength(1);
    expect(sim.openSessions).toBe(1);

    // The follower's lock goes with its database session: it must stop, or two would follow.
    expect(await terminateLockHolders(databaseUrl(serverUrl, name), watchLockKey(secretId))).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // several claim rounds
    await until(async () => (await followers(secretId)).length === 1, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await followers(secretId)).toHaveLength(1);
    // The status is the follower's: the process that lost the lock wrote no late "stopped" over it.
    const statusBefore = JSON.parse((await call(servers[0], 'GET', `/secrets/${secretId}`)).text).watch_status;
    expect(statusBefore.state).toBe('following');
    expect(statusBefore.updates_applied).toBeGreaterThanOrEqual(hosts.length); // the first listing created them
    const [leader] = await followers(secretId);
    const other = servers.find((server) => server !== leader)!;

    leader.child.kill('SIGKILL');
    await new Promise((resolve) => leader.child.once('exit', resolve));
    await until(() => follows(other, secretId), 30_000);
    sim.powerOff(user, hosts[0].id);
    await until(async () => (await hostStatus(other, hosts[0].id)) === 'stopped', 5_000);
    // The count goes on from what the dead follower had saved: the takeover's relisting changed nothing, the power-off one host.
    await until(async () => JSON.parse((await call(other, 'GET', `/secrets/${secretId}`)).text).watch_status.updates_applied === statusBefore.updates_applied + 1, 5_000);
    await other.stop();
  }, 180_000); // two server processes to start
});
