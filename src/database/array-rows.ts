import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * A read answered as arrays, on the transaction's own connection. For a page
 * of a hundred rows, TypeORM's query runner and pg's row objects cost the
 * server more CPU than the query itself: keep this for the hot read paths.
 */
export async function queryArraysIn<Row extends unknown[]>(manager: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  if (!manager.queryRunner) throw new Error('queryArraysIn needs a transaction');
  const client = (await manager.queryRunner.connect()) as PoolClient;
  const result = await client.query<Row>({ text: sql, values: params, rowMode: 'array' });
  return result.rows;
}
