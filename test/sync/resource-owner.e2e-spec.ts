import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AliyunSimulator } from '../simulators/aliyun/aliyun-simulator';
import { generateHosts } from '../simulators/common/generator';
import type { SimAccount } from '../simulators/common/simulator';
import { startTestApp, TestApp } from '../support/test-app';

describe('a resource listed by two secrets (two keys of one account)', () => {
  let t: TestApp;
  let simulator: AliyunSimulator;

  beforeAll(async () => {
    simulator = await AliyunSimulator.start();
    t = await startTestApp({ CMDB_SYNC_SCHEDULE: 'off' });
  });
  afterAll(async () => {
    await t.close();
    await simulator.stop();
  });

  async function addSecret(name: string): Promise<{ id: string; account: SimAccount }> {
    const apiKey = `LTAI${randomBytes(8).toString('hex')}`;
    const account = simulator.addAccount(apiKey, `${name}-secret`);
    const body = { name, vendor: 'aliyun', api_key: apiKey, api_secret: `${name}-secret`, allow_regions: ['cn-hangzhou'], address: simulator.address };
    return { id: (await t.http.post('/secrets').send(body).expect(201)).body.id, account };
  }
  const sync = (secretId: string) => t.http.post(`/secrets/${secretId}/sync?details=changed`).send({ region: 'cn-hangzhou' }).expect(200);
  const ownerOf = async (instanceId: string) =>
    (await t.app.get(DataSource).query(`SELECT secret_id, state FROM hosts WHERE instance_id = $1`, [instanceId]))[0] as { secret_id: string; state: string };

  it('belongs to the secret whose listing saw it last: it moves, and only its new owner\'s listing can delete it', async () => {
    const first = await addSecret('first-key');
    const second = await addSecret('second-key');
    const [shared, onlyFirst] = generateHosts('aliyun', 2, { seed: 31, regions: ['cn-hangzhou'] });
    first.account.hosts.set(shared.id, shared);
    first.account.hosts.set(onlyFirst.id, onlyFirst);
    second.account.hosts.set(shared.id, shared);

    expect((await sync(first.id)).body).toMatchObject({ status: 'succeeded', created: 2 });
    expect(await ownerOf(shared.id)).toEqual({ secret_id: first.id, state: 'active' });

    // Unchanged, but listed by another secret: it moves, as an update naming the old owner.
    const moved = await sync(second.id);
    expect(moved.body).toMatchObject({ status: 'succeeded', created: 0, updated: 1, deleted: 0 });
    expect(moved.body.details).toEqual([{ instance_id: shared.id, name: shared.name, action: 'updated', success: true, message: `moved from secret ${first.id}` }]);
    expect(await ownerOf(shared.id)).toEqual({ secret_id: second.id, state: 'active' });
    const [change] = await t.app.get(DataSource).query(
      `SELECT change_type, changed_fields FROM resource_changes WHERE instance_id = $1 ORDER BY revision DESC LIMIT 1`,
      [shared.id],
    );
    expect(change).toEqual({ change_type: 'updated', changed_fields: { secret_id: { old: first.id, new: second.id } } });

    // The first key no longer sees it: its complete listing cannot delete what it no longer owns.
    first.account.hosts.delete(shared.id);
    expect((await sync(first.id)).body).toMatchObject({ status: 'succeeded', deleted: 0, updated: 0 });
    expect(await ownerOf(shared.id)).toEqual({ secret_id: second.id, state: 'active' });
    // A re-sync by its owner writes nothing.
    expect((await sync(second.id)).body).toMatchObject({ status: 'succeeded', created: 0, updated: 0, unchanged: 1, deleted: 0 });

    // Gone from the cloud: its owner's listing deletes it.
    second.account.hosts.delete(shared.id);
    expect((await sync(second.id)).body).toMatchObject({ status: 'succeeded', deleted: 1 });
    expect(await ownerOf(shared.id)).toEqual({ secret_id: second.id, state: 'deleted' });
    expect(await ownerOf(onlyFirst.id)).toEqual({ secret_id: first.id, state: 'active' });
  });
});
