import EventSource from 'eventsource';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeRetention } from '../../src/changes/change-retention';
import { databaseRecord, hostRecord, InventorySeeder } from '../inventory/inventory-fixtures';
import { ReceivedEvent, SseClient } from '../support/sse-client';
import { startTestApp, TestApp } from '../support/test-app';

const revisions = (events: ReceivedEvent[]) => events.map((event) => event.data.revision as number);

describe('GET /watch', () => {
  let t: TestApp;
  let seeder: InventorySeeder;
  let base: string;
  const open: SseClient[] = [];

  beforeAll(async () => {
    t = await startTestApp({ CMDB_WATCH_BOOKMARK_SECONDS: '1', CMDB_WATCH_BUFFER_BYTES: '65536' });
    seeder = await InventorySeeder.start(t);
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  afterAll(() => t.close());

  async function watch(query: string, headers: Record<string, string> = {}, options: { paused?: boolean } = {}): Promise<SseClient> {
    const client = await SseClient.open(`${base}/watch?${query}`, { Authorization: `Bearer ${t.adminToken}`, ...headers }, options);
    open.push(client);
    return client;
  }

  async function latest(): Promise<number> {
    return (await t.http.get('/changes').query({ limit: 1 }).expect(200)).body.latest_revision;
  }

  it('sends every change after resource_version in order, as ADDED, MODIFIED and DELETED with their revision as id', async () => {
    const start = await latest();
    await seeder.write([hostRecord('w-1', { name: 'one' }), hostRecord('w-2')]);
    const client = await watch(`resource_version=${start}`);
    await seeder.write([hostRecord('w-1', { name: 'two' })]);
    await seeder.deleteAllBut('host', 'aliyun', 'cn-hangzhou', ['w-1']);
    await client.waitFor(() => client.changes.length >= 4);

    const changes = client.changes;
    expect(changes.map((event) => [event.event, event.data.object.instance_id])).toEqual([
      ['ADDED', 'w-1'],
      ['ADDED', 'w-2'],
      ['MODIFIED', 'w-1'],
      ['DELETED', 'w-2'],
    ]);
    expect(revisions(changes)).toEqual([start + 1, start + 2, start + 3, start + 4]);
    expect(changes.map((event) => event.id)).toEqual(revisions(changes).map(String));
    expect(changes[2].data).toMatchObject({ type: 'MODIFIED', kind: 'host', changed_fields: { name: { old: 'one', new: 'two' } }, object: { name: 'two' } });
    expect(changes[3].data.object).toMatchObject({ instance_id: 'w-2', state: 'deleted' });
  });

  it('sends bookmarks with the current revision, also to a watcher whose filters match nothing', async () => {
    const client = await watch(`vendor=vsphere`);
    await seeder.write([hostRecord('w-bookmark')]);
    const after = await latest();
    await client.waitFor((events) => events.some((event) => event.event === 'BOOKMARK' && event.data.revision >= after));
    expect(client.changes).toEqual([]);
    const bookmark = client.events.find((event) => event.event === 'BOOKMARK' && event.data.revision >= after)!;
    expect(bookmark.id).toBe(String(bookmark.data.revision));
  });

  it('filters by kind, vendor, secret and region', async () => {
    const start = await latest();
    const rds = await watch(`resource_version=${start}&kind=rds`);
    const beijing = await watch(`resource_version=${start}&region=cn-beijing&secret_id=${seeder.secrets.aliyun}`);
    const tencent = await watch(`resource_version=${start}&vendor=tencent`);
    await seeder.write([hostRecord('f-host', { region: 'cn-beijing' })]);
    await seeder.write([databaseRecord('f-rds')]);
    await seeder.write([{ ...hostRecord('f-tencent'), vendor: 'tencent' }]);
    const end = await latest();
    for (const client of [rds, beijing, tencent]) await client.waitFor((events) => events.some((event) => event.event === 'BOOKMARK' && event.data.revision >= end));
    expect(rds.changes.map((event) => event.data.object.instance_id)).toEqual(['f-rds']);
    expect(beijing.changes.map((event) => event.data.object.instance_id)).toEqual(['f-host']);
    expect(tencent.changes.map((event) => event.data.object.instance_id)).toEqual(['f-tencent']);
  });

  it('send_initial_events: the current state as ADDED, the end-of-initial-events bookmark, then the changes after it', async () => {
    await seeder.write([databaseRecord('i-rds-1'), databaseRecord('i-rds-2')]);
    const client = await watch('send_initial_events=true&kind=rds&vendor=aliyun');
    await client.waitFor((events) => events.some((event) => event.data.initial_events_end));
    const end = client.events.find((event) => event.data.initial_events_end)!;
    const initial = client.events.slice(0, client.events.indexOf(end)).filter((event) => event.event === 'ADDED');
    const active: string[] = (await t.http.get('/databases').query({ vendor: 'aliyun', limit: 500 }).expect(200)).body.items.map((item: { instance_id: string }) => item.instance_id);
    expect(initial.map((event) => event.data.object.instance_id).sort()).toEqual(active.sort());
    expect(initial.every((event) => event.id === undefined)).toBe(true);
    expect(end).toMatchObject({ event: 'BOOKMARK', id: String(end.data.revision) });
    expect(end.data.revision).toBe(await latest());

    await seeder.write([databaseRecord('i-rds-3')]);
    await client.waitFor(() => client.changes.some((event) => event.data.object.instance_id === 'i-rds-3'));
    expect(client.changes.at(-1)).toMatchObject({ event: 'ADDED', id: String(end.data.revision + 1) });
  });

  it('a standard SSE client resumes with Last-Event-ID after a dropped connection, missing nothing', async () => {
    const start = await latest();
    const watchRequests: IncomingMessage[] = [];
    const server = t.app.getHttpServer() as Server;
    const track = (request: IncomingMessage) => request.url?.startsWith('/watch') && watchRequests.push(request);
    server.on('request', track);
    const source = new EventSource(`${base}/watch?resource_version=${start}`, { headers: { Authorization: `Bearer ${t.adminToken}` } });
    const received: number[] = [];
    for (const type of ['ADDED', 'MODIFIED']) source.addEventListener(type, (event) => received.push(Number((event as MessageEvent).lastEventId)));
    try {
      await seeder.write([hostRecord('r-1'), hostRecord('r-2'), hostRecord('r-3')]);
      await waitUntil(() => received.length >= 3);
      watchRequests[0].socket.destroy(); // the connection drops
      await seeder.write([hostRecord('r-1', { name: 'renamed' }), hostRecord('r-4')]);
      await waitUntil(() => received.length >= 5);
      expect(received).toEqual([1, 2, 3, 4, 5].map((n) => start + n));
      expect(watchRequests.map((request) => request.headers['last-event-id'])).toEqual([undefined, String(start + 3)]);
    } finally {
      source.close();
      server.off('request', track);
    }
  });

  it('answers 410 ResourceVersionTooOld for a pruned revision, 400 for one from the future or a bad one', async () => {
    await seeder.write([hostRecord('old-1')]);
    const old = await latest();
    await seeder.write([hostRecord('old-2')]);
    const kept = await latest();
    const pruned = await t.app.get(ChangeRetention).pruneBefore(new Date(Date.now() + 60_000));
    expect(pruned).toBeGreaterThan(0);
    expect((await t.http.get('/metrics').expect(200)).text).toContain(`cmdb_retention_pruned_total{table="resource_changes"} ${pruned}`);

    const gone = await watch(`resource_version=${old - 1}`);
    expect(gone.status).toBe(410);
    expect(gone.body.details).toEqual({ code: 'ResourceVersionTooOld', oldest_revision: kept });
    expect(gone.body.message).toMatch(/list again/);
    expect((await watch(`resource_version=${kept}`)).status).toBe(200);

    const future = await watch(`resource_version=${kept + 1000}`);
    expect(future.status).toBe(400);
    expect(future.body.details[0].field).toBe('resource_version');
    const badHeader = await watch('', { 'Last-Event-ID': 'x' });
    expect(badHeader.body.details[0].field).toBe('Last-Event-ID');
    expect((await watch('resource_version=-1')).status).toBe(400);
    expect((await watch('kind=vm')).status).toBe(400);
    // The history endpoints keep working with what is kept.
    const id = await seeder.idOf('host', 'aliyun', 'old-2');
    await t.http.get(`/hosts/${id}/history`).expect(200);
  });

  it('a slow client gets ERROR TooSlow with its last revision and can resume, while the others go on', async () => {
    const start = await latest();
    const slow = await watch(`resource_version=${start}`, {}, { paused: true });
    const fast = await watch(`resource_version=${start}`);
    // More than the kernel's socket buffers hold (about 4 MB on loopback) plus the server's 64 KiB.
    const hosts = 2000;
    for (let batch = 0; batch < hosts / 500; batch++) {
      await seeder.write(Array.from({ length: 500 }, (_, i) => hostRecord(`slow-${batch}-${i}`, { tags: { filler: 'x'.repeat(3000) } })));
    }
    await fast.waitFor(() => fast.changes.length >= hosts);
    expect(revisions(fast.changes)).toEqual(Array.from({ length: hosts }, (_, i) => start + 1 + i));

    // The server gave up on the slow one (its stream is no longer counted); it reads what was queued, then the ERROR.
    await waitUntil(async () => (await t.http.get('/metrics').expect(200)).text.includes('cmdb_watchers 1\n'));
    slow.resume();
    await slow.ended;
    const error = slow.events.at(-1)!;
    expect(error.event).toBe('ERROR');
    expect(error.data.code).toBe('TooSlow');
    const got = revisions(slow.changes);
    expect(got.length).toBeLessThan(hosts);
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => start + 1 + i));
    expect(error.data.revision).toBe(got.at(-1) ?? start);

    const resumed = await watch('', { 'Last-Event-ID': String(error.data.revision) });
    await resumed.waitFor(() => resumed.changes.length >= hosts - got.length);
    expect([...got, ...revisions(resumed.changes)]).toEqual(revisions(fast.changes));
  }, 180_000);

  it('needs a viewer token, and a revoked token ends its streams', async () => {
    expect((await SseClient.open(`${base}/watch`, {})).status).toBe(401);
    const created = await t.http.post('/tokens').send({ name: 'watcher', role: 'viewer' }).expect(201);
    const client = await watch('', { Authorization: `Bearer ${created.body.token}` });
    expect(client.status).toBe(200);
    await t.http.delete(`/tokens/${created.body.id}`).expect(204);
    await client.ended;
    expect(client.events.at(-1)).toMatchObject({ event: 'ERROR', data: { code: 'Unauthorized' } });
  });
});

async function waitUntil(condition: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, 50));
}
