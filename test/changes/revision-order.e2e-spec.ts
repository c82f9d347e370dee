import { DataSource, QueryRunner } from 'typeorm';
import { syncOrigin } from '../../src/changes/change-log';
import { ChangeSignal } from '../../src/changes/change-signal';
import { ChangesService } from '../../src/changes/changes.service';
import { InventoryWriter } from '../../src/inventory/inventory-writer';
import { RESOURCE_KINDS } from '../../src/inventory/resource-columns';
import { hostRecord, InventorySeeder } from '../inventory/inventory-fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Revisions are handed out at commit: a reader that has seen revision R never
 * later finds a committed change <= R it did not see, even when two writers'
 * transactions overlap and the one that appended first is the last asked to commit.
 */
describe('change log revisions (gap-free in commit order)', () => {
  let t: TestApp;
  let seeder: InventorySeeder;
  let changes: ChangesService;

  beforeAll(async () => {
    t = await startTestApp();
    seeder = await InventorySeeder.start(t);
    changes = t.app.get(ChangesService);
  });
  afterAll(() => t.close());

  /** One transaction that writes a host and appends its change, left open. */
  async function openWrite(instanceId: string): Promise<QueryRunner> {
    const runner = t.app.get(DataSource).createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await t.app
      .get(InventoryWriter)
      .writeBatch(runner.manager, RESOURCE_KINDS.host, seeder.secrets.aliyun, [{ record: hostRecord(instanceId), queryAt: new Date() }], syncOrigin(null));
    return runner;
  }

  async function commit(runner: QueryRunner): Promise<void> {
    await runner.commitTransaction();
    await runner.release();
  }

  it('a reader between two overlapping writers misses nothing, in either database', async () => {
    const start = await changes.latestRevision();
    const seen: number[] = [];
    const read = async () => {
      for (const change of await changes.readAfter(seen.at(-1) ?? start, 100)) seen.push(change.revision);
    };

    const first = await openWrite('i-first'); // appended: holds the next revision, not committed
    let secondCommitted = false;
    // The second writer asks to commit before the first does (the bigserial's losing order).
    const second = openWrite('i-second')
      .then(commit)
      .then(() => {
        secondCommitted = true;
      });

    if (t.database.kind === 'postgres') {
      // On PostgreSQL the reader really runs between them: it sees neither, and the second waits for the first.
      await read();
      expect(seen).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(secondCommitted).toBe(false);
    }
    // (Embedded: one connection, so the second transaction cannot even begin before the first ends.)
    const between = read();
    await commit(first);
    await second;
    await between;
    await read();

    expect(seen).toEqual([start + 1, start + 2]);
    const [a, b] = await changes.readAfter(start, 10);
    expect([a.instanceId, b.instanceId]).toEqual(['i-first', 'i-second']);
    expect(await changes.latestRevision()).toBe(start + 2);
  });

  it('each change carries the resource view right after it, its secret and region', async () => {
    const start = await changes.latestRevision();
    await seeder.write([hostRecord('i-view', { name: 'before' })]);
    await seeder.write([hostRecord('i-view', { name: 'after' })]);
    await seeder.deleteAllBut('host', 'aliyun', 'cn-hangzhou', ['i-first', 'i-second']);

    const log = (await changes.readAfter(start, 100)).filter((change) => change.instanceId === 'i-view');
    expect(log.map((change) => change.changeType)).toEqual(['created', 'updated', 'deleted']);
    const objects = log.map((change) => JSON.parse(change.object!));
    expect(objects.map((object) => [object.name, object.state])).toEqual([
      ['before', 'active'],
      ['after', 'active'],
      ['after', 'deleted'],
    ]);
    expect(log[0].secretId).toBe(seeder.secrets.aliyun);
    expect(log[0].region).toBe('cn-hangzhou');
    expect(log.every((change) => change.object && JSON.parse(change.object).id === change.resourceId)).toBe(true);
  });

  it('filters the log and wakes subscribers when changes commit', async () => {
    const start = await changes.latestRevision();
    const woken = new Promise<number | null>((resolve) => {
      const unsubscribe = t.app.get(ChangeSignal).subscribe((revision) => {
        unsubscribe();
        resolve(revision);
      });
    });
    await seeder.write([hostRecord('i-filtered', { region: 'cn-beijing' })]);
    await seeder.write([hostRecord('i-other')]);
    await woken;

    const inBeijing = await changes.readAfter(start, 10, { region: 'cn-beijing' });
    expect(inBeijing.map((change) => change.instanceId)).toEqual(['i-filtered']);
    expect(await changes.readAfter(start, 10, { vendor: 'tencent' })).toEqual([]);
    expect((await changes.readAfter(start, 10, { kind: 'host', changeType: 'created' })).length).toBe(2);
  });
});
