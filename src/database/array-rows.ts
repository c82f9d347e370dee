import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/**
 * A read answered as arrays, straight from the driver's pool. For a page of a
 * hundred rows, TypeORM's query runner and pg's row objects cost the server
 * more CPU than the query itself: keep this for the hot read paths.
 * Not for use inside a transaction: it takes a connection of its own.
 */
export async function queryArrays<Row extends unknown[]>(dataSource: DataSource, sql: string, params: unknown[]): Promise<Row[]> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  const result = await pool.query<Row>({ text: sql, values: params, rowMode: 'array' });
  return result.rows;
}

/** queryArrays inside a transaction: on the transaction's own connection. */
export async function queryArraysIn<Row extends unknown[]>(manager: EntityManager, sql: string, params: unknown[]): Promise<Row[]> {
  if (!manager.queryRunner) throw new Error('queryArraysIn needs a transaction');
  const client = (await manager.queryRunner.connect()) as PoolClient;
  const result = await client.query<Row>({ text: sql, values: params, rowMode: 'array' });
  return result.rows;
}
