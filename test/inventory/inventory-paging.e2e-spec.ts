import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { encodeCursor } from '../../src/common/pagination';
import { SORTS } from '../../src/inventory/resource-sort';
import type { HostRecord } from '../../src/providers/provider';
import { startTestApp, TestApp } from '../support/test-app';
import { fieldsOf, hostRecord, InventorySeeder } from './inventory-fixtures';

/** The exact sort keys of a host, read from the table (timestamps with their microseconds). */
interface Keys {
  id: string;
  name: string;
  created_at: string | null;
  updated_at: string;
  cpu: number | null;
  memory_mib: number | null;
  env: string | null;
}

type Field = keyof Omit<Keys, 'id' | 'env'>;

/** The documented order, computed here rather than by the database: missing values after all others ascending, ties by id. */
function compareBy(field: Field, descending: boolean): (a: Keys, b: Keys) => number {
  const ascending = (a: Keys, b: Keys): number => {
    const x = a[field];
    const y = b[field];
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return x < y ? -1 : 1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  return descending ? (a, b) => ascending(b, a) : ascending;
}

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];

/** Hosts with repeated names and sizes, missing cpu / memory / create time, and create times that differ only in microseconds. */
function sortFixtures(region: string, count: number, offset = 0): HostRecord[] {
  return Array.from({ length: count }, (_, n) => {
    const i = n + offset;
    return hostRecord(`i-sort${region}${i}`, {
      region,
      name: `${NAMES[i % 5]}${i % 3 === 0 ? '' : i % 2}`,
      cpu: i % 7 === 0 ? null : [1, 2, 4, 8][i % 4],
      memoryMib: i % 6 === 0 ? null : [1024, 2048][i % 2],
      createdAt: i % 9 === 0 ? null : `2024-03-01T10:00:00.000${String(i % 10).padStart(3, '0')}Z`,
      tags: { env: i % 3 === 1 ? 'dev' : 'prod' },
    });
  });
}

describe('GET /hosts: sort and keyset pagination', () => {
  let t: TestApp;
  let seeder: InventorySeeder;

  const keysOf = async (region: string): Promise<Map<string, Keys>> => {
    const rows: Keys[] = await t.app.get(DataSource).query(
      `SELECT id, name, cpu, memory_mib, tags->>'env' AS env,
              to_char(vendor_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS created_at,
              to_char(last_changed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS updated_at
         FROM hosts WHERE region = $1 AND state = 'active'`,
      [region],
    );
    return new Map(rows.map((row) => [row.id, row]));
  };

  /** Every page of a listing, following next_cursor; `between` runs after each page. */
  const walk = async (query: string, between: (page: number) => Promise<void> = async () => {}): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 200; page++) {
      const response: { body: { items: { id: string }[]; next_cursor: string | null } } = await t.http
        .get(`/hosts?${query}${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      ids.push(...response.body.items.map((item) => item.id));
      cursor = response.body.next_cursor;
      if (!cursor) return ids;
      await between(page);
    }
    throw new Error('the walk did not end');
  };

  beforeAll(async () => {
    t = await startTestApp();
    seeder = await InventorySeeder.start(t);
    // Four transactions: last_changed_at has four values, shared within each batch.
    const hosts = sortFixtures('cn-sort', 40);
    for (let batch = 0; batch < 4; batch++) await seeder.write(hosts.slice(batch * 10, batch * 10 + 10));
  });
  afterAll(() => t?.close());

  it.each(SORTS)('sort=%s: a walk in pages of 3 answers each host once, in the documented order', async (sort) => {
    const keys = await keysOf('cn-sort');
    const descending = sort.startsWith('-');
    const field = (descending ? sort.slice(1) : sort) as Field;
    const expected = [...keys.values()].sort(compareBy(field, descending)).map((row) => row.id);
    expect(expected).toHaveLength(40);

    const walked = await walk(`region=cn-sort&sort=${sort}&limit=3`);
    expect(walked).toEqual(expected);
    const onePage = await t.http.get(`/hosts?region=cn-sort&sort=${sort}&limit=500`).expect(200);
    expect(onePage.body.items.map((item: { id: string }) => item.id)).toEqual(expected);
  });

  it('pages exactly through create times that differ only in microseconds', async () => {
    const keys = await keysOf('cn-sort');
    const sameMillisecond = [...keys.values()].filter((row) => row.created_at?.startsWith('2024-03-01T10:00:00.000'));
    expect(new Set(sameMillisecond.map((row) => row.created_at)).size).toBe(10);
    const walked = await walk('region=cn-sort&sort=created_at&limit=2');
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked).toHaveLength(40);
  });

  it('walks a filtered, descending listing the same way', async () => {
    const keys = await keysOf('cn-sort');
    const expected = [...keys.values()].filter((row) => row.name.startsWith('bravo')).sort(compareBy('memory_mib', true)).map((row) => row.id);
    expect(await walk('region=cn-sort&q=bravo&sort=-memory_mib&limit=2')).toEqual(expected);
  });

  // In name order a tag filter picks the page's keys from the index first, then reads those rows (resource-listing.ts);
  // in the other orders it is a plain filter. Either way: the same order and cursors as without it.
  it.each(SORTS)('sort=%s with a tag filter: a walk in pages of 3 answers each tagged host once, in order', async (sort) => {
    const keys = await keysOf('cn-sort');
    const descending = sort.startsWith('-');
    const field = (descending ? sort.slice(1) : sort) as Field;
    const expected = [...keys.values()].filter((row) => row.env === 'prod').sort(compareBy(field, descending)).map((row) => row.id);
    expect(expected.length).toBeGreaterThan(20);

    const walked = await walk(`region=cn-sort&tag=env%3Dprod&sort=${sort}&limit=3`);
    expect(walked).toEqual(expected);
    const onePage = await t.http.get(`/hosts?region=cn-sort&tag=env%3Dprod&sort=${sort}&limit=500`).expect(200);
    expect(onePage.body.items.map((item: { id: string }) => item.id)).toEqual(expected);
    expect(onePage.body.items[0]).toHaveProperty('tags', { env: 'prod' });
  });

  it('answers 50 by default, up to 500 when asked', async () => {
    await seeder.write(sortFixtures('cn-many', 60));
    const first = await t.http.get('/hosts?region=cn-many').expect(200);
    expect(first.body.items).toHaveLength(50);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    const rest = await t.http.get(`/hosts?region=cn-many&cursor=${first.body.next_cursor}`).expect(200);
    expect(rest.body.items).toHaveLength(10);
    expect(rest.body.next_cursor).toBeNull();
    const all = await t.http.get('/hosts?region=cn-many&limit=500').expect(200);
    expect(all.body.items).toHaveLength(60);
  });

  it.each(['name', '-name', 'updated_at'])('sort=%s: hosts written during a walk never make it answer a host twice or skip one', async (sort) => {
    const region = `cn-walk${sort.replace(/\W/g, '')}`;
    await seeder.write(sortFixtures(region, 30));
    const before = new Set((await keysOf(region)).keys());
    const inserted: HostRecord[] = [];
    const walked = await walk(`region=${region}&sort=${sort}&limit=4`, async (page) => {
      // One sorts before every name so far, one after: one lands behind the walk's position, one ahead of it.
      const batch = [
        hostRecord(`i-new-a-${region}-${page}`, { region, name: `aaa${String(9999 - page).padStart(4, '0')}` }),
        hostRecord(`i-new-z-${region}-${page}`, { region, name: `zzz${String(page).padStart(4, '0')}` }),
      ];
      inserted.push(...batch);
      await seeder.write(batch);
    });
    expect(new Set(walked).size).toBe(walked.length);
    for (const id of before) expect(walked).toContain(id);
    // Rows added ahead of the walk's position are answered: the newest ones (updated_at), zzz names (name), aaa names (-name).
    const late = await t.app.get(DataSource).query(`SELECT id, name FROM hosts WHERE region = $1 AND instance_id LIKE 'i-new-%'`, [region]);
    const after = late.filter((row: { name: string }) => (sort === '-name' ? row.name.startsWith('aaa') : sort === 'name' ? row.name.startsWith('zzz') : true));
    expect(after.length).toBeGreaterThan(0);
    for (const row of after) expect(walked).toContain(row.id);
    expect(walked.length).toBeLessThanOrEqual(before.size + inserted.length);
  });

  it.each([
    ['a cursor of another sort order', 'sort=cpu', () => encodeCursor(['name', 'alpha', randomUUID()])],
    ['a cursor of the other direction', 'sort=-name', () => encodeCursor(['name', 'alpha', randomUUID()])],
    ['a cursor that is not base64 JSON', '', () => '%%%'],
    ['a cursor with a bad id', '', () => encodeCursor(['name', 'alpha', 'not-a-uuid'])],
    ['a cursor with a fractional cpu', 'sort=cpu', () => encodeCursor(['cpu', 1.5, randomUUID()])],
    ['a cursor with a cpu out of range', 'sort=cpu', () => encodeCursor(['cpu', 2 ** 40, randomUUID()])],
    ['a cursor with a time that is not ISO', 'sort=updated_at', () => encodeCursor(['updated_at', 'yesterday', randomUUID()])],
    ['a cursor with a NUL in a name', '', () => encodeCursor(['name', 'a\u0000', randomUUID()])],
    ['a cursor with a missing part', '', () => encodeCursor(['name', 'alpha'])],
  ])('answers 400 naming cursor for %s', async (_what, query, cursor) => {
    const response = await t.http.get(`/hosts?${query}&cursor=${encodeURIComponent(cursor())}`).expect(400);
    expect(fieldsOf(response.body)).toEqual(['cursor']);
  });

  it('accepts a cursor positioned on a missing create time', async () => {
    const response = await t.http.get(`/hosts?sort=created_at&cursor=${encodeCursor(['created_at', null, randomUUID()])}`).expect(200);
    for (const item of response.body.items) expect(item.vendor_created_at).toBeNull();
  });
});
