/** Anything that runs SQL: the data source, or the query runner that holds a sink's lease. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** The last revision the sink's broker acknowledged ('0' before its first). */
export async function readCursor(db: Queryable, sink: string): Promise<string> {
  await db.query(`INSERT INTO publish_cursors (sink) VALUES ($1) ON CONFLICT (sink) DO NOTHING`, [sink]);
  const rows = (await db.query(`SELECT revision::text AS revision FROM publish_cursors WHERE sink = $1`, [sink])) as { revision: string }[];
  return rows[0].revision;
}

/** Every sink's cursor, for the lag; sinks that never published are absent. */
export async function readCursors(db: Queryable): Promise<Map<string, string>> {
  const rows = (await db.query(`SELECT sink, revision::text AS revision FROM publish_cursors`)) as { sink: string; revision: string }[];
  return new Map(rows.map((row) => [row.sink, row.revision]));
}

/** Moves the cursor forward only: a stale writer can never move it back. */
export async function advanceCursor(db: Queryable, sink: string, revision: string): Promise<void> {
  await db.query(`UPDATE publish_cursors SET revision = $2, updated_at = now() WHERE sink = $1 AND revision < $2::bigint`, [sink, revision]);
}
