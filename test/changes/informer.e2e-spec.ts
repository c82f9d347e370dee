import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateDatabases, generateHosts } from '../simulators/common/generator';
import type { SimAccount } from '../simulators/common/simulator';
import { ReceivedEvent, SseClient } from '../support/sse-client';
import { startTestApp, TestApp } from '../support/test-app';

const REGIONS = ['cn-hangzhou', 'cn-shanghai'];
const KINDS = [
  { kind: 'host', path: '/hosts' },
  { kind: 'rds', path: '/databases' },
] as const;

/**
 * The client this feed is for, as a Kubernetes informer works: walk every page
 * of the list, then watch from the FIRST page's resource_version and apply
 * each event. While syncs of four scopes (two regions, hosts and databases)
 * create, change and delete resources, it must end with exactly the server's state.
 */
describe('list then watch (informer) while syncs run', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;
  let account: SimAccount;
  let secretId: string;
  let base: string;
  let seed = 1;

  const seedItems = (hosts: number, databases: number) => {
    for (const region of REGIONS) {
      const options = () => ({ seed: seed++, regions: [region], startIndex: seed * 10_000 });
      for (const host of generateHosts('aliyun', hosts, options())) account.hosts.set(host.id, host);
      for (const database of generateDatabases('aliyun', databases, options())) account.databases.set(database.id, database);
    }
  };
  const syncAll = (wait: boolean) =>
    Promise.all(
      REGIONS.flatMap((region) =>
        (['host', 'rds'] as const).map((type) => t.http.post(`/secrets/${secretId}/sync`).query({ wait }).send({ resource_type: type, region }).expect(wait ? 200 : 202)),
      ),
    );

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    t = await startTestApp({ CMDB_WATCH_BOOKMARK_SECONDS: '1' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const [apiKey, apiSecret] = [`AK${randomBytes(8).toString('hex')}`, randomBytes(16).toString('hex')];
    account = simulator.addAccount(apiKey, apiSecret);
    const created = await t.http
      .post('/secrets')
      .send({ name: 'informer', vendor: 'aliyun', api_key: apiKey, api_secret: apiSecret, allow_regions: REGIONS, address: simulator.address, request_rate: 100 })
      .expect(201);
    secretId = created.body.id;
    seedItems(150, 60);
    await syncAll(true);
  });
  afterAll(async () => {
    await t?.close();
    await simulator?.stop();
  });

  it('reaches exactly the database state', async () => {
    // What the next syncs will find: some gone, some changed, some new.
    let n = 0;
    for (const map of [account.hosts, account.databases] as Map<string, { name: string }>[]) {
      for (const [id, item] of map) {
        if (n % 7 === 0) map.delete(id);
        else if (n % 5 === 0) item.name = `${item.name}-renamed`;
        n++;
      }
    }
    seedItems(40, 20);
    const running = syncAll(false);

    const informers = await Promise.all(
      KINDS.map(async ({ kind, path }) => {
        const state = new Map<string, unknown>();
        let cursor: string | null = null;
        let resourceVersion: number | null = null;
        do {
          const page: { body: { items: { id: string }[]; next_cursor: string | null; resource_version: number } } = await t.http
            .get(path)
            .query({ limit: 37, ...(cursor ? { cursor } : {}) })
            .expect(200);
          resourceVersion ??= page.body.resource_version;
          for (const item of page.body.items) state.set(item.id, item);
          cursor = page.body.next_cursor;
        } while (cursor);
        const watch = await SseClient.open(`${base}/watch?kind=${kind}&resource_version=${resourceVersion}`, { Authorization: `Bearer ${t.adminToken}` });
        return { kind, path, state, watch };
      }),
    );
    for (const started of await running) {
      const id: string = started.body.job_id;
      while ((await t.http.get(`/sync-jobs/${id}`).expect(200)).body.status === 'running') await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Every sync has ended: wait until each watch has been told of the latest revision.
    const latest: number = (await t.http.get('/changes').query({ limit: 1 }).expect(200)).body.latest_revision;

    for (const informer of informers) {
      await informer.watch.waitFor((events) => events.some((event) => event.event === 'BOOKMARK' && event.data.revision >= latest));
      informer.watch.close();
      for (const event of informer.watch.changes as ReceivedEvent[]) {
        if (event.event === 'DELETED') informer.state.delete(event.data.object.id);
        else informer.state.set(event.data.object.id, event.data.object);
      }
      const truth = new Map<string, unknown>();
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; next_cursor: string | null } } = await t.http
          .get(informer.path)
          .query({ limit: 500, ...(cursor ? { cursor } : {}) })
          .expect(200);
        for (const item of page.body.items) truth.set(item.id, item);
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(truth.size).toBeGreaterThan(100);
      expect(informer.state).toEqual(truth);
    }
  }, 300_000);
});
