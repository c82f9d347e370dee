import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDemoTemplate, copyDemoTemplate, templateKey } from '../../demo/demo-database';
import { MIGRATIONS } from '../../migrations';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { startEmbeddedDatabase } from '../../src/database/embedded-database';

/** `npm run demo`'s database: a copy of a template migrated once, keyed by the migrations, holding no credentials. */
describe("npm run demo's database template", () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'cmdb-demo-template-test-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is keyed by every migration source and the PGlite version', () => {
    const key = templateKey(['a.ts\nup()', 'b.ts\nup()'], '0.5.14');
    expect(templateKey(['a.ts\nup()', 'b.ts\nup()'], '0.5.14')).toBe(key);
    expect(templateKey(['a.ts\nup() // edited', 'b.ts\nup()'], '0.5.14')).not.toBe(key);
    expect(templateKey(['a.ts\nup()', 'b.ts\nup()', 'c.ts\nup()'], '0.5.14')).not.toBe(key);
    expect(templateKey(['a.ts\nup()', 'b.ts\nup()'], '0.6.0')).not.toBe(key);
  });

  it('is built once, then copied: each copy is migrated to the current schema and holds no secret, token or key', async () => {
    const cache = join(scratch, 'cache');
    mkdirSync(join(cache, 'pglite-0000000000000000'), { recursive: true }); // a template of older migrations
    mkdirSync(join(cache, 'building-999999999-abcd'), { recursive: true }); // left by a builder stopped half-way

    const first = join(scratch, 'first');
    mkdirSync(first);
    expect(await copyDemoTemplate(first, { cache, key: 'current' })).toBe(false);
    expect(readdirSync(first)).toEqual([]); // the server will create its own
    await buildDemoTemplate({ cache, key: 'current' });
    expect(readdirSync(cache)).toEqual(['pglite-current']); // the old one and the abandoned build removed, nothing half-built left
    const second = join(scratch, 'second');
    mkdirSync(second);
    expect(await copyDemoTemplate(second, { cache, key: 'current' })).toBe(true);
    expect(readdirSync(second)).toEqual(['pglite']); // no encryption key, no lock, no socket

    // The server's own start on the copy: nothing left to migrate, and no credentials.
    const database = await startEmbeddedDatabase({ dataDir: second });
    const dataSource = new DataSource(dataSourceOptions({ kind: 'embedded', url: database.url, poolSize: 1, close: async () => undefined }, { runMigrations: false }));
    try {
      await dataSource.initialize();
      expect(await dataSource.showMigrations()).toBe(false);
      const [{ applied }] = await dataSource.query('SELECT count(*)::int AS applied FROM migrations');
      expect(applied).toBe(MIGRATIONS.length);
      for (const table of ['secrets', 'api_tokens', 'audit_log', 'hosts']) {
        const [{ rows }] = await dataSource.query(`SELECT count(*)::int AS rows FROM ${table}`);
        expect({ table, rows }).toEqual({ table, rows: 0 });
      }
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.close();
    }
  }, 120_000);
});
