import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { Client } from 'pg';
import { parse } from 'qs';
import { ListHostsQuery, listingOf } from '../../src/inventory/dto/list-resources.query';
import { RESOURCE_KINDS } from '../../src/inventory/resource-columns';
import { listSql } from '../../src/inventory/resource-listing';

/** The plan PostgreSQL runs for `GET /hosts?<query>`: the same DTO and SQL builder as the API. */
export async function explainHostsListing(url: string, path: string): Promise<string> {
  const query = plainToInstance(ListHostsQuery, parse(path.split('?')[1] ?? ''));
  const errors = validateSync(query, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new Error(`${path}: ${errors.map((error) => error.toString()).join('; ')}`);
  const { sql, params } = listSql(RESOURCE_KINDS.host, listingOf(query, { instance_type: query.instance_type }));
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.end();
  }
}
