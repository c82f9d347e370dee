import { adminQuery } from '../../test/support/test-database';
import { databaseUrl } from '../../test/support/template-database';

const SERVER = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
/** Set (as TEST_DATABASE_PREFIX is for tests) so two checkouts benchmarking on one server never drop each other's database. */
const PREFIX = process.env.BENCH_DATABASE_PREFIX;
if (PREFIX !== undefined && !/^[a-z][a-z0-9_]{0,30}$/.test(PREFIX)) throw new Error('BENCH_DATABASE_PREFIX must be a lower-case identifier of at most 31 characters');

/** A fresh, empty database of the benchmark's own on the real server; dropped by `drop`. */
export async function freshDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = PREFIX ? `${PREFIX}_${label}` : label;
  await adminQuery(SERVER, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await adminQuery(SERVER, `CREATE DATABASE ${name}`);
  return { url: databaseUrl(SERVER, name), drop: () => adminQuery(SERVER, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
