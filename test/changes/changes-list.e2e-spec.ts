import { hostRecord, databaseRecord, InventorySeeder } from '../inventory/inventory-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

describe('GET /changes and the lists\' resource_version', () => {
  let t: TestApp;
  let seeder: InventorySeeder;

  beforeAll(async () => {
    t = await startTestApp();
    seeder = await InventorySeeder.start(t);
  });
  afterAll(() => t.close());

  it('pages the log by revision with every field of a change, the object as it was after it', async () => {
    const start: number = (await t.http.get('/changes').query({ limit: 1 }).expect(200)).body.latest_revision;
    await seeder.write([hostRecord('i-a', { name: 'one' }), hostRecord('i-b')]);
    await seeder.write([hostRecord('i-a', { name: 'two' })], '00000000-0000-4000-8000-000000000001');
    await seeder.write([databaseRecord('rm-a')]);

    const first = await t.http.get('/changes').query({ after: start, limit: 2 }).expect(200);
    expect(first.body.items.map((c: { revision: number }) => c.revision)).toEqual([start + 1, start + 2]);
    expect(first.body.next_after).toBe(start + 2);
    const second = await t.http.get('/changes').query({ after: first.body.next_after, limit: 2 }).expect(200);
    expect(second.body.items.map((c: { instance_id: string }) => c.instance_id)).toEqual(['i-a', 'rm-a']);
    expect(second.body.next_after).toBeNull();
    expect(second.body.latest_revision).toBe(start + 4);

    const update = second.body.items[0];
    expect(update).toMatchObject({
      revision: start + 3,
      kind: 'host',
      vendor: 'aliyun',
      instance_id: 'i-a',
      secret_id: seeder.secrets.aliyun,
      region: 'cn-hangzhou',
      change_type: 'updated',
      changed_fields: { name: { old: 'one', new: 'two' } },
      trigger: 'sync',
      job_id: '00000000-0000-4000-8000-000000000001',
      event_id: null,
    });
    expect(update.resource_id).toBe(await seeder.idOf('host', 'aliyun', 'i-a'));
    expect(update.object).toMatchObject({ id: update.resource_id, name: 'two', state: 'active' });
    expect(Date.parse(update.changed_at)).not.toBeNaN();
  });

  it('filters by kind, vendor, secret, region and change type', async () => {
    const start: number = (await t.http.get('/changes').expect(200)).body.latest_revision;
    await seeder.write([hostRecord('i-bj', { region: 'cn-beijing' })]);
    await seeder.write([{ ...hostRecord('ins-t'), vendor: 'tencent' }]);
    await seeder.deleteAllBut('host', 'aliyun', 'cn-beijing', []);
    const instances = async (query: Record<string, string | number>) =>
      (await t.http.get('/changes').query({ after: start, ...query }).expect(200)).body.items.map((c: { instance_id: string }) => c.instance_id);

    expect(await instances({ region: 'cn-beijing' })).toEqual(['i-bj', 'i-bj']);
    expect(await instances({ region: 'cn-beijing', change_type: 'deleted' })).toEqual(['i-bj']);
    expect(await instances({ vendor: 'tencent' })).toEqual(['ins-t']);
    expect(await instances({ secret_id: seeder.secrets.tencent })).toEqual(['ins-t']);
    expect(await instances({ kind: 'rds' })).toEqual([]);
    const deleted = (await t.http.get('/changes').query({ after: start, change_type: 'deleted' }).expect(200)).body.items[0];
    expect(deleted.object).toMatchObject({ instance_id: 'i-bj', state: 'deleted' });
  });

  it('answers a 400 naming each bad parameter, and needs a token', async () => {
    for (const [field, value] of [['after', '-1'], ['after', 'x'], ['limit', '0'], ['kind', 'vm'], ['vendor', 'aws'], ['secret_id', 'nope'], ['change_type', 'moved']]) {
      const answer = await t.http.get('/changes').query({ [field]: value }).expect(400);
      expect(answer.body.details.map((detail: { field: string }) => detail.field)).toContain(field);
    }
    await t.raw.get('/changes').expect(401);
    const viewer = await t.createToken('viewer');
    await t.raw.get('/changes').set('Authorization', `Bearer ${viewer}`).expect(200);
  });

  it('lists carry the revision they are consistent with', async () => {
    await seeder.write([hostRecord('i-listed')]);
    const hosts = await t.http.get('/hosts').query({ limit: 1 }).expect(200);
    const latest = (await t.http.get('/changes').query({ limit: 1 }).expect(200)).body.latest_revision;
    expect(hosts.body.resource_version).toBe(latest);
    await seeder.write([databaseRecord('rm-listed')]);
    const databases = await t.http.get('/databases').expect(200);
    expect(databases.body.resource_version).toBe(latest + 1);
    // Nothing after it: the log has no change past the list's revision.
    expect((await t.http.get('/changes').query({ after: databases.body.resource_version }).expect(200)).body.items).toEqual([]);
  });
});
