import { adminQuery } from '../../test/support/test-database';
import { databaseUrl } from '../../test/support/template-database';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A fresh, empty database of the benchmark's own on the real server; dropped by `drop`. */
export async function freshDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(SERVER, `CREATE DATABASE ${name}`);
  return { url: databaseUrl(SERVER, name), drop: () => adminQuery(SERVER, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
