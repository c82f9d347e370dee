import { Client } from 'pg';

/**
 * Ends the database sessions that hold the named advisory lock (taken as
 * `pg_try_advisory_lock(hashtextextended(key, 0))`) in the database at
 * `databaseUrl`, as a network cut or a DBA would. Answers how many it ended.
 */
export async function terminateLockHolders(databaseUrl: string, key: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: boolean }>(
      `WITH lock_key AS (SELECT hashtextextended($1, 0) AS k)
       SELECT pg_terminate_backend(l.pid) AS ended
         FROM pg_locks l, lock_key
        WHERE l.locktype = 'advisory' AND l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = ((k >> 32) & 4294967295)::oid AND l.objid = (k & 4294967295)::oid`,
      [key],
    );
    return rows.filter((row) => row.ended).length;
  } finally {
    await client.end();
  }
}
