import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for browsing the inventory at a million rows (src/inventory/resource-listing.ts
 * writes the queries these serve; keep the expressions identical).
 *
 * - One (sort key, id) index per sort order. Nullable sort columns are indexed
 *   on a non-null expression (a missing value sorts after every value), so the
 *   keyset cursor is a plain row comparison that the index can seek to.
 * - (filter, name, id) for each equality filter but vendor (secret, region,
 *   zone, status, instance type / engine): a filtered page in the default
 *   order is one index range. Vendor (a quarter of the rows each) is found by
 *   the name order itself, or by the (vendor, instance_id) unique index.
 * - `q`: a trigram index for name substrings, a prefix (text_pattern_ops)
 *   index for instance ids, and a GIN over IP prefixes (see the function).
 * - Tags: GIN (jsonb_ops, for both `@>` and `?`).
 * - Stats: a small (vendor, region, status) index of active rows, read by an
 *   index-only scan instead of the whole table.
 */
const TABLES = [
  ['hosts', 'instance_type'],
  ['databases', 'engine'],
] as const;

/** Index name suffix -> definition, for a table whose own equality filter is `ownFilter`. */
function indexesOf(ownFilter: string): Record<string, string> {
  return {
    name_sort: `(name, id)`,
    created_sort: `((coalesce(vendor_created_at, 'infinity'::timestamptz)), id)`,
    updated_sort: `(last_changed_at, id)`,
    cpu_sort: `((coalesce(cpu::bigint, 2147483648)), id)`,
    memory_sort: `((coalesce(memory_mib::bigint, 2147483648)), id)`,
    region_name: `(region, name, id)`,
    status_name: `(status, name, id)`,
    secret_name: `(secret_id, name, id)`,
    zone_name: `(zone, name, id)`,
    [`${ownFilter}_name`]: `(${ownFilter}, name, id)`,
    tags: `USING gin (tags)`,
    name_trgm: `USING gin (name gin_trgm_ops)`,
    instance_id_prefix: `(lower(instance_id) text_pattern_ops)`,
    ip_prefix: `USING gin (inventory_ip_prefixes(private_ips || public_ips))`,
    stats: `(vendor, region, status) WHERE state = 'active'`,
  };
}

export class InventoryIndexes1763900000000 implements MigrationInterface {
  name = 'InventoryIndexes1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    // The keys an IP-prefix search looks up, lower-cased, for each address:
    // every prefix of its first group ("1", "10"), every prefix ending at a
    // separator ("10.", "10.3.", "fd00:ab::") and the whole address. A search
    // for "10.3.1" finds "10.3." here, then tests the addresses themselves.
    // Seven keys for an IPv4 address rather than one per character: this
    // index is maintained on every write of a host.
    await queryRunner.query(`
      CREATE FUNCTION inventory_ip_prefixes(ips text[]) RETURNS text[]
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
        AS $$
        DECLARE
          keys text[] := '{}';
          ip text;
          first_group boolean;
        BEGIN
          FOREACH ip IN ARRAY ips LOOP
            CONTINUE WHEN ip IS NULL OR ip = '';
            ip := lower(ip);
            first_group := true;
            FOR n IN 1..length(ip) LOOP
              IF substr(ip, n, 1) IN ('.', ':') THEN
                keys := keys || left(ip, n);
                first_group := false;
              ELSIF first_group THEN
                keys := keys || left(ip, n);
              END IF;
            END LOOP;
            keys := keys || ip;
          END LOOP;
          RETURN keys;
        END
        $$`);

    for (const [table, ownFilter] of TABLES) {
      for (const [suffix, definition] of Object.entries(indexesOf(ownFilter))) {
        await queryRunner.query(`CREATE INDEX ${table}_${suffix}_idx ON ${table} ${definition}`);
      }
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, ownFilter] of TABLES) {
      for (const suffix of Object.keys(indexesOf(ownFilter))) await queryRunner.query(`DROP INDEX ${table}_${suffix}_idx`);
    }
    await queryRunner.query(`DROP FUNCTION inventory_ip_prefixes(text[])`);
    // pg_trgm stays: other objects may have come to depend on it.
  }
}
