import { randomUUID } from 'node:crypto';
import { encodeCursor } from '../../src/common/pagination';
import { RESOURCE_KINDS } from '../../src/inventory/resource-columns';
import { startTestApp, TestApp } from '../support/test-app';
import { databaseRecord, fieldsOf, hostRecord, InventorySeeder } from './inventory-fixtures';

describe('GET /hosts/:id, /databases/:id and their history', () => {
  let t: TestApp;
  let seeder: InventorySeeder;

  beforeAll(async () => {
    t = await startTestApp();
    seeder = await InventorySeeder.start(t);
  });
  afterAll(() => t?.close());

  it('answers a host by our id and by vendor:instance_id, with its raw payload', async () => {
    await seeder.write([hostRecord('i-get1', { name: 'get-me', raw: { InstanceId: 'i-get1', Deep: { Nested: [1, 2] } } })]);
    const id = await seeder.idOf('host', 'aliyun', 'i-get1');
    const byId = await t.http.get(`/hosts/${id}`).expect(200);
    expect(byId.headers['content-type']).toMatch(/^application\/json/);
    expect(byId.body).toMatchObject({ id, vendor: 'aliyun', instance_id: 'i-get1', name: 'get-me', state: 'active', raw: { InstanceId: 'i-get1', Deep: { Nested: [1, 2] } } });
    const byRef = await t.http.get('/hosts/aliyun:i-get1').expect(200);
    expect(byRef.body).toEqual(byId.body);
    const listed = await t.http.get('/hosts?q=get-me').expect(200);
    const { raw, ...withoutRaw } = byId.body;
    expect(raw).toBeDefined();
    expect(listed.body.items).toEqual([withoutRaw]);
  });

  it('lists what the last write left: the stored view follows an update, a deletion and a revival', async () => {
    const listedView = async () => {
      const listed = await t.http.get('/hosts?region=cn-view&state=all').expect(200);
      const { body: one } = await t.http.get('/hosts/aliyun:i-view').expect(200);
      const { raw, ...withoutRaw } = one;
      expect(raw).toBeDefined();
      expect(listed.body.items).toEqual([withoutRaw]);
      return withoutRaw;
    };
    await seeder.write([hostRecord('i-view', { region: 'cn-view', name: 'first', cpu: 2, tags: { env: 'dev' } })]);
    expect(await listedView()).toMatchObject({ name: 'first', cpu: 2, tags: { env: 'dev' }, state: 'active', deleted_at: null });
    await seeder.write([hostRecord('i-view', { region: 'cn-view', name: 'second', cpu: 8, tags: { env: 'prod' } })]);
    const updated = await listedView();
    expect(updated).toMatchObject({ name: 'second', cpu: 8, tags: { env: 'prod' }, state: 'active' });
    await seeder.deleteAllBut('host', 'aliyun', 'cn-view', []);
    expect(await listedView()).toMatchObject({ name: 'second', state: 'deleted', deleted_at: expect.stringMatching(/Z$/) });
    await seeder.write([hostRecord('i-view', { region: 'cn-view', name: 'third' })]);
    const revived = await listedView();
    expect(revived).toMatchObject({ name: 'third', state: 'active', deleted_at: null });
    expect(Date.parse(revived.query_at)).toBeGreaterThan(Date.parse(updated.query_at));
  });

  it('shows every column of a kind: the stored view (frozen in its migration) has not drifted from resource-columns.ts', async () => {
    const bookkeeping = ['state', 'deleted_at', 'first_seen_at', 'last_changed_at', 'query_at'];
    await seeder.write([hostRecord('i-columns', { region: 'cn-columns' })]);
    await seeder.write([databaseRecord('rm-columns', { region: 'cn-columns' })]);
    for (const [path, kind] of [
      ['/hosts?region=cn-columns', RESOURCE_KINDS.host],
      ['/databases?region=cn-columns', RESOURCE_KINDS.rds],
    ] as const) {
      const { body } = await t.http.get(path).expect(200);
      expect(Object.keys(body.items[0])).toEqual(['id', 'vendor', 'secret_id', 'instance_id', ...kind.columns.map((column) => column.name), ...bookkeeping]);
    }
  });

  it('answers 404 for what names no host', async () => {
    await seeder.write([hostRecord('i-404')]);
    const id = await seeder.idOf('host', 'aliyun', 'i-404');
    for (const path of [
      `/hosts/${randomUUID()}`,
      '/hosts/aliyun:i-nope',
      '/hosts/tencent:i-404',
      '/hosts/nocloud:i-404',
      '/hosts/aliyun:',
      '/hosts/not-an-id',
      `/databases/${id}`,
      `/hosts/${randomUUID()}/history`,
      '/hosts/aliyun:i-nope/history',
      '/hosts/junk/history',
    ]) {
      const response = await t.http.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
  });

  it('answers a host\'s history newest first: created, updated (old and new values), deleted, revived', async () => {
    const jobs = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const others = [hostRecord('i-bystander', { region: 'cn-hist' })];
    await seeder.write([hostRecord('i-hist', { region: 'cn-hist', name: 'before', cpu: 2 }), ...others], jobs[0]);
    await seeder.write([hostRecord('i-hist', { region: 'cn-hist', name: 'after', cpu: 4 })], jobs[1]);
    await seeder.deleteAllBut('host', 'aliyun', 'cn-hist', ['i-bystander'], jobs[2]);
    const deleted = await t.http.get('/hosts/aliyun:i-hist').expect(200);
    expect(deleted.body).toMatchObject({ state: 'deleted', deleted_at: expect.stringMatching(/Z$/) });
    await seeder.write([hostRecord('i-hist', { region: 'cn-hist', name: 'after', cpu: 4 })], jobs[3]);

    const history = await t.http.get('/hosts/aliyun:i-hist/history').expect(200);
    expect(history.body.next_cursor).toBeNull();
    expect(history.body.items).toEqual([
      { revision: expect.any(Number), change_type: 'created', changed_at: expect.stringMatching(/Z$/), job_id: jobs[3], changed_fields: { state: { old: 'deleted', new: 'active' } } },
      { revision: expect.any(Number), change_type: 'deleted', changed_at: expect.stringMatching(/Z$/), job_id: jobs[2], changed_fields: { state: { old: 'active', new: 'deleted' } } },
      {
        revision: expect.any(Number),
        change_type: 'updated',
        changed_at: expect.stringMatching(/Z$/),
        job_id: jobs[1],
        changed_fields: { name: { old: 'before', new: 'after' }, cpu: { old: 2, new: 4 } },
      },
      { revision: expect.any(Number), change_type: 'created', changed_at: expect.stringMatching(/Z$/), job_id: jobs[0], changed_fields: null },
    ]);
    const revisions = history.body.items.map((item: { revision: number }) => item.revision);
    expect([...revisions].sort((a, b) => b - a)).toEqual(revisions);
    expect(new Set(revisions).size).toBe(4);

    const id = await seeder.idOf('host', 'aliyun', 'i-hist');
    const byId = await t.http.get(`/hosts/${id}/history`).expect(200);
    expect(byId.body).toEqual(history.body);
    const bystander = await t.http.get('/hosts/aliyun:i-bystander/history').expect(200);
    expect(bystander.body.items.map((item: { change_type: string }) => item.change_type)).toEqual(['created']);
  });

  it('pages a history with limit and cursor, in revision order past 9 -> 10', async () => {
    await seeder.write([hostRecord('i-long', { name: 'v0' })]);
    for (let version = 1; version <= 10; version++) await seeder.write([hostRecord('i-long', { name: `v${version}` })]);
    const names = (body: { items: { changed_fields: { name?: { new: string } } | null }[] }) =>
      body.items.map((item) => item.changed_fields?.name?.new ?? 'created');
    const first = await t.http.get('/hosts/aliyun:i-long/history?limit=4').expect(200);
    expect(names(first.body)).toEqual(['v10', 'v9', 'v8', 'v7']);
    const second = await t.http.get(`/hosts/aliyun:i-long/history?limit=4&cursor=${first.body.next_cursor}`).expect(200);
    expect(names(second.body)).toEqual(['v6', 'v5', 'v4', 'v3']);
    const last = await t.http.get(`/hosts/aliyun:i-long/history?limit=4&cursor=${second.body.next_cursor}`).expect(200);
    expect(names(last.body)).toEqual(['v2', 'v1', 'created']);
    expect(last.body.next_cursor).toBeNull();

    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['cursor=garbage', 'cursor'],
      [`cursor=${encodeCursor(['-1'])}`, 'cursor'],
      [`cursor=${encodeCursor([12])}`, 'cursor'],
      ['state=all', 'state'],
    ]) {
      const response = await t.http.get(`/hosts/aliyun:i-long/history?${query}`).expect(400);
      expect(fieldsOf(response.body)).toContain(field);
    }
  });

  it('answers databases, their raw payload and history the same way', async () => {
    const job = randomUUID();
    await seeder.write([databaseRecord('rm-db1', { engine: 'PostgreSQL', port: 5432, raw: { DBInstanceId: 'rm-db1', Engine: 'PostgreSQL' } })], job);
    const id = await seeder.idOf('rds', 'aliyun', 'rm-db1');
    const byRef = await t.http.get('/databases/aliyun:rm-db1').expect(200);
    expect(byRef.body).toMatchObject({ id, engine: 'PostgreSQL', port: 5432, storage_gb: 100, raw: { Engine: 'PostgreSQL' } });
    expect(byRef.body).not.toHaveProperty('security_groups');
    await t.http.get(`/hosts/${id}`).expect(404);
    const history = await t.http.get(`/databases/${id}/history`).expect(200);
    expect(history.body.items).toEqual([{ revision: expect.any(Number), change_type: 'created', changed_at: expect.any(String), job_id: job, changed_fields: null }]);
  });
});
