import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each host and database row keeps its API view (the JSON a listing answers)
 * in a stored generated column, `api_view`. Building that JSON at read time
 * (row_to_json with six time formats per row) cost PostgreSQL ~1.9 ms of CPU
 * for a page of 100 at a million rows, six times what finding the rows costs;
 * written once per change, a page is an index range of ready-made strings.
 * PostgreSQL computes the column on every INSERT and UPDATE, whoever writes:
 * it cannot go stale.
 *
 * The functions are declared IMMUTABLE, which a generated column requires:
 * row_to_json is only STABLE because some types print according to settings
 * (DateStyle, TimeZone, extra_float_digits); these rows hold none of those:
 * times are formatted here, in UTC, by to_char with no locale-dependent field.
 *
 * The view's fields, in order: identity, the kind's columns, bookkeeping
 * (frozen here; a later change of the view is a later migration).
 */
type Field = [name: string, type: 'uuid' | 'text' | 'integer' | 'text[]' | 'jsonb' | 'time'];

const IDENTITY: Field[] = [
  ['id', 'uuid'],
  ['vendor', 'text'],
  ['secret_id', 'uuid'],
  ['instance_id', 'text'],
];
const COMMON: Field[] = [
  ['region', 'text'],
  ['zone', 'text'],
  ['name', 'text'],
  ['status', 'text'],
  ['raw_status', 'text'],
  ['charge_type', 'text'],
  ['vendor_created_at', 'time'],
  ['expire_at', 'time'],
  ['private_ips', 'text[]'],
  ['public_ips', 'text[]'],
  ['vpc_id', 'text'],
  ['subnet_id', 'text'],
  ['tags', 'jsonb'],
];
const BOOKKEEPING: Field[] = [
  ['state', 'text'],
  ['deleted_at', 'time'],
  ['first_seen_at', 'time'],
  ['last_changed_at', 'time'],
  ['query_at', 'time'],
];
const OWN: Record<'hosts' | 'databases', Field[]> = {
  hosts: [
    ['hostname', 'text'],
    ['instance_type', 'text'],
    ['cpu', 'integer'],
    ['memory_mib', 'integer'],
    ['os_name', 'text'],
    ['os_type', 'text'],
    ['image_id', 'text'],
    ['security_groups', 'text[]'],
  ],
  databases: [
    ['engine', 'text'],
    ['engine_version', 'text'],
    ['instance_class', 'text'],
    ['cpu', 'integer'],
    ['memory_mib', 'integer'],
    ['storage_gb', 'integer'],
    ['port', 'integer'],
    ['private_endpoints', 'text[]'],
    ['public_endpoints', 'text[]'],
  ],
};

const fieldsOf = (table: 'hosts' | 'databases') => [...IDENTITY, ...COMMON, ...OWN[table], ...BOOKKEEPING];
const argumentType = (type: Field[1]) => (type === 'time' ? 'timestamptz' : type);
/** As JavaScript's toISOString writes a time: UTC, milliseconds, `Z`. */
const printed = ([name, type]: Field) => (type === 'time' ? `to_char(${name}_ AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : `${name}_`);

export class StoredResourceViews1764000000000 implements MigrationInterface {
  name = 'StoredResourceViews1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['hosts', 'databases'] as const) {
      const fields = fieldsOf(table);
      // The composite type names the JSON's keys and fixes their order.
      await queryRunner.query(
        `CREATE TYPE inventory_${table}_view AS (${fields.map(([name, type]) => `${name} ${type === 'time' ? 'text' : type}`).join(', ')})`,
      );
      // plpgsql: its simple-expression path costs a few microseconds a row; a non-inlinable SQL function costs more.
      await queryRunner.query(`
        CREATE FUNCTION inventory_${table}_view(${fields.map(([name, type]) => `${name}_ ${argumentType(type)}`).join(', ')}) RETURNS text
          LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
          AS $$ BEGIN RETURN row_to_json(ROW(${fields.map(printed).join(', ')})::inventory_${table}_view)::text; END $$`);
      // Storage MAIN: kept inline and uncompressed (every page reads it); the raw payload is compressed or moved out first.
      // One statement: the rewrite that fills existing rows runs after both.
      await queryRunner.query(
        `ALTER TABLE ${table} ADD COLUMN api_view text GENERATED ALWAYS AS (inventory_${table}_view(${fields.map(([name]) => name).join(', ')})) STORED,
           ALTER COLUMN api_view SET STORAGE MAIN`,
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['hosts', 'databases'] as const) {
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN api_view`);
      await queryRunner.query(`DROP FUNCTION inventory_${table}_view`);
      await queryRunner.query(`DROP TYPE inventory_${table}_view`);
    }
  }
}
