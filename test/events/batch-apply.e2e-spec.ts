import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventApplier } from '../../src/events/event-applier';
import { EventWorker } from '../../src/events/event-worker';
import { EventInbox } from '../../src/events/inbox/event-inbox';
import type { InboxEvent, NewInboxEvent } from '../../src/events/inbox/inbox-event';
import { generateHosts } from '../simulators/common/generator';
import type { SimHost } from '../simulators/common/model';
import { renderServer } from '../simulators/huawei/huawei-render';
import { HuaweiSimulator } from '../simulators/huawei/huawei.simulator';
import { startTestApp, TestApp } from '../support/test-app';

const REGION = 'cn-north-4';

/**
 * The worker applies a claimed batch together (a transaction per secret and
 * kind, not per event): every event still gets its own outcome and its own
 * change log row, a resource's events apply in order, and one bad event
 * fails alone. The worker is stopped here; the test claims and applies.
 */
describe('delta sync: a batch of events applied together', () => {
  let t: TestApp;
  let simulator: HuaweiSimulator;
  let secretId: string;
  let projectId: string;
  let seed = 0;
  const db = () => t.app.get(DataSource);
  const inbox = () => t.app.get(EventInbox);
  const applier = () => t.app.get(EventApplier);

  const newHost = (): SimHost => generateHosts('huawei', 1, { seed: ++seed, regions: [REGION], startIndex: 7000 + seed })[0];
  const at = (offsetMs: number) => new Date(Date.now() - 60_000 + offsetMs);
  const upsert = (host: SimHost, observedAt: Date, region = REGION): NewInboxEvent => ({
    secretId,
    vendor: 'huawei',
    channel: 'huawei-smn',
    messageKey: randomUUID(),
    eventType: 'ResourceChanged:ecs.cloudservers:UPDATE',
    resourceType: 'host',
    region,
    instanceId: host.id,
    action: 'upsert',
    observedAt,
    payload: { resource_properties: renderServer(host, projectId) },
  });
  const deletion = (instanceId: string, observedAt: Date): NewInboxEvent => ({
    ...upsert(newHost(), observedAt),
    eventType: 'ResourceChanged:ecs.cloudservers:DELETE',
    instanceId,
    action: 'delete',
    payload: {},
  });
  const stored = async (events: NewInboxEvent[]): Promise<InboxEvent[]> => {
    const ids = (await inbox().store(events)).map((result) => result.id);
    return Promise.all(ids.map(async (id) => (await inbox().get(id))!));
  };
  const statusOf = async (id: string) => (await inbox().get(id))!.status;
  const host = async (instanceId: string) =>
    (await db().query(`SELECT name, state FROM hosts WHERE instance_id = $1`, [instanceId]))[0] as { name: string; state: string } | undefined;
  const changes = async (instanceId: string) =>
    (await db().query(`SELECT change_type, event_id FROM resource_changes WHERE instance_id = $1 ORDER BY revision`, [instanceId])) as {
      change_type: string;
      event_id: string;
    }[];

  beforeAll(async () => {
    simulator = await HuaweiSimulator.start();
    t = await startTestApp({ CMDB_SMN_ENDPOINT: simulator.address });
    await t.app.get(EventWorker).onApplicationShutdown();
    const apiKey = `AK${randomBytes(8).toString('hex')}`;
    const apiSecret = randomBytes(16).toString('hex');
    simulator.addAccount(apiKey, apiSecret);
    projectId = simulator.projectId(apiKey, REGION);
    const created = await t.http
      .post('/secrets')
      .send({ name: 'batch', vendor: 'huawei', api_key: apiKey, api_secret: apiSecret, allow_regions: [REGION], address: simulator.address, delta_sync: true })
      .expect(201);
    secretId = created.body.id;
  });
  afterAll(async () => {
    await t?.close();
    await simulator?.stop();
  });

  it('records each event of a claimed batch with its own outcome and change log row', async () => {
    const [first, second, unknownId] = [newHost(), newHost(), `gone-${randomUUID().slice(0, 8)}`];
    await stored([upsert(first, at(1000)), upsert(second, at(1000)), deletion(unknownId, at(1000)), upsert(newHost(), at(1000), 'eu-west-0')]);
    const claimed = await inbox().claim(500, 60_000);
    expect(claimed).toHaveLength(4);

    const results = await applier().applyAll(claimed);
    const [created1, created2, tombstone, offRegion] = claimed.map((event) => results.find((result) => result.event.id === event.id)!);
    expect(created1.outcome).toEqual({ status: 'applied', reason: 'created' });
    expect(created2.outcome).toEqual({ status: 'applied', reason: 'created' });
    expect(tombstone.outcome).toEqual({ status: 'applied', reason: 'not held: a tombstone keeps the delete' });
    expect(String(offRegion.error)).toMatch(/region eu-west-0 is not in the secret's allow_regions/);
    expect(await statusOf(claimed[0].id)).toBe('applied');
    expect(await statusOf(claimed[3].id)).toBe('pending'); // the worker retries or fails it, not the applier

    expect(await host(first.id)).toEqual({ name: first.name, state: 'active' });
    expect(await changes(first.id)).toEqual([{ change_type: 'created', event_id: claimed[0].id }]);
    expect(await changes(second.id)).toEqual([{ change_type: 'created', event_id: claimed[1].id }]);
  });

  it("applies two events of one resource in one batch in order, each logged with its own id (the claim hands out a resource's later event only after the earlier)", async () => {
    const server = newHost();
    const [create, rename] = await stored([upsert(server, at(1000)), upsert({ ...server, name: 'renamed-later' }, at(2000))]);
    expect((await inbox().claim(500, 60_000)).map((event) => event.id)).toEqual([create.id]);

    const results = await applier().applyAll([create, rename]);
    expect(results.map((result) => result.outcome)).toEqual([
      { status: 'applied', reason: 'created' },
      { status: 'applied', reason: 'updated' },
    ]);
    expect(await host(server.id)).toEqual({ name: 'renamed-later', state: 'active' });
    expect(await changes(server.id)).toEqual([
      { change_type: 'created', event_id: create.id },
      { change_type: 'updated', event_id: rename.id },
    ]);
  });

  it('a record the database refuses fails alone: the rest of its batch is applied', async () => {
    const [good, poisoned] = [newHost(), newHost()];
    const [goodEvent, storedEvent] = await stored([upsert(good, at(1000)), upsert(poisoned, at(1000))]);
    // A NUL byte passes the write path's checks, but no PostgreSQL text column takes it.
    const poisonedEvent = { ...storedEvent, payload: { resource_properties: renderServer({ ...poisoned, name: 'nul\u0000byte' }, projectId) } };

    const results = await applier().applyAll([goodEvent, poisonedEvent]);
    expect(results.find((result) => result.event.id === goodEvent.id)!.outcome).toEqual({ status: 'applied', reason: 'created' });
    expect(results.find((result) => result.event.id === poisonedEvent.id)!.error).toBeDefined();
    expect(await host(good.id)).toEqual({ name: good.name, state: 'active' });
    expect(await host(poisoned.id)).toBeUndefined();
    expect(await statusOf(poisonedEvent.id)).toBe('pending');
  });
});
