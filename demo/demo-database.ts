import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { isAlive } from '../src/database/data-dir-lock';

/**
 * The demo's embedded database starts from a copy of a migrated template.
 * Creating a PGlite data directory (its initdb) is most of a fresh server's
 * start-up, several seconds even on an idle machine; copying a migrated one
 * takes a fraction of a second. The template is built once, in the
 * background of the first demo run after the migrations or PGlite changed
 * (that run's server creates its own database, as fast as before), and never
 * serves a server itself, so it holds no secret, token or key of any run.
 */
const ROOT = join(__dirname, '..');
export const DEMO_TEMPLATE_CACHE = join(ROOT, 'node_modules', '.cache', 'cmdb-demo');
const PREFIX = 'pglite-';
/** Tables a used database fills with credentials: a template must hold none. */
const CREDENTIAL_TABLES = ['secrets', 'api_tokens'];

/** What a template depends on: every migration's source and the PGlite version. */
export function templateKey(migrationSources: string[], pgliteVersion: string): string {
  const hash = createHash('sha256').update(`pglite ${pgliteVersion}\n`);
  for (const source of migrationSources) hash.update(createHash('sha256').update(source).digest('hex')).update('\n');
  return hash.digest('hex').slice(0, 16);
}

/** The key of this checkout's migrations (the ones `npm run build` puts in dist) and installed PGlite. */
export function currentTemplateKey(): string {
  const folder = join(ROOT, 'migrations');
  const sources = readdirSync(folder)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => `${name}\n${readFileSync(join(folder, name), 'utf8')}`);
  const pglite = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string };
  return templateKey(sources, pglite.version);
}

export interface TemplateOptions {
  /** Where templates are kept (DEMO_TEMPLATE_CACHE). */
  cache?: string;
  /** The template's key (currentTemplateKey()). */
  key?: string;
}

const templatePath = (options: TemplateOptions) => join(options.cache ?? DEMO_TEMPLATE_CACHE, `${PREFIX}${options.key ?? currentTemplateKey()}`);

/**
 * Puts a migrated, empty embedded database into `dataDir/pglite` (where the
 * server looks for it) from the template; false when there is no template for
 * this key (the server then creates and migrates its database itself). The
 * server still runs its migrations at start: with the template current there
 * are none left to run.
 */
export async function copyDemoTemplate(dataDir: string, options: TemplateOptions = {}): Promise<boolean> {
  const template = templatePath(options);
  if (!existsSync(template)) return false;
  try {
    await cp(template, join(dataDir, 'pglite'), { recursive: true });
  } catch (error) {
    rmSync(join(dataDir, 'pglite'), { recursive: true, force: true }); // never half a database
    throw error;
  }
  return true;
}

/**
 * Builds the template for this key (and removes older ones): a fresh data dir
 * migrated beside the cache's templates, checked, then moved into place (a
 * rename: a half-built template is never used).
 */
export async function buildDemoTemplate(options: TemplateOptions = {}): Promise<void> {
  const template = templatePath(options);
  const cache = options.cache ?? DEMO_TEMPLATE_CACHE;
  // Loaded here only: a run that copies the template starts the server without waiting for them.
  const [{ DataSource }, { dataSourceOptions }, { startEmbeddedDatabase }] = await Promise.all([
    import('typeorm'),
    import('../src/database/data-source-options'),
    import('../src/database/embedded-database'),
  ]);
  mkdirSync(cache, { recursive: true });
  removeAbandonedBuilds(cache);
  const scratch = join(cache, `building-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    const database = await startEmbeddedDatabase({ dataDir: scratch });
    try {
      const dataSource = new DataSource(
        dataSourceOptions({ kind: 'embedded', url: database.url, poolSize: 1, close: async () => undefined }, { runMigrations: false }),
      );
      await dataSource.initialize();
      try {
        await dataSource.runMigrations({ transaction: 'each' });
        await checkTemplate(dataSource);
      } finally {
        await dataSource.destroy();
      }
    } finally {
      await database.close();
    }
    try {
      renameSync(join(scratch, 'pglite'), template);
    } catch (error) {
      // Another demo built the same template meanwhile: use theirs.
      if (!existsSync(template)) throw error;
    }
    for (const name of readdirSync(cache)) {
      if (name.startsWith(PREFIX) && join(cache, name) !== template) rmSync(join(cache, name), { recursive: true, force: true });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What a builder stopped half-way (Ctrl-C) left: `building-<pid>-…` of a process gone. */
function removeAbandonedBuilds(cache: string): void {
  for (const name of readdirSync(cache)) {
    const pid = Number(/^building-(\d+)-/.exec(name)?.[1]);
    if (pid && !isAlive(pid)) rmSync(join(cache, name), { recursive: true, force: true });
  }
}

/** Every migration applied, and no credentials: what a copied data dir may hold. */
async function checkTemplate(dataSource: DataSource): Promise<void> {
  const { MIGRATIONS } = await import('../migrations');
  const [{ applied }] = (await dataSource.query('SELECT count(*)::int AS applied FROM migrations')) as { applied: number }[];
  if (applied !== MIGRATIONS.length) throw new Error(`the demo database template has ${applied} of ${MIGRATIONS.length} migrations`);
  for (const table of CREDENTIAL_TABLES) {
    const [{ rows }] = (await dataSource.query(`SELECT count(*)::int AS rows FROM ${table}`)) as { rows: number }[];
    if (rows !== 0) throw new Error(`the demo database template holds ${rows} rows of ${table}`);
  }
}
