import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tag filters match a text[] of terms (`tag_terms`, written with each row from
 * src/inventory/tag-terms.ts) instead of jsonb containment. PostgreSQL keeps no
 * statistics for `jsonb @> ...` and guesses 0.1% of the rows for any tag, so
 * `tag=env=prod` (a third of a million hosts) was planned as a bitmap scan of
 * every match plus a sort: 0.7-4 s a page. For a text[] column ANALYZE keeps
 * the most common elements and their frequencies: a common tag is then found
 * by walking the page's sort order, a rare one through the GIN.
 *
 * inventory_tag_terms(jsonb) is the same rule in SQL, for this backfill and
 * for bulk loads (too slow for the sync's write path: ~15 µs a row).
 */
export class TagTerms1764000000002 implements MigrationInterface {
  name = 'TagTerms1764000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION inventory_tag_terms(tags jsonb) RETURNS text[]
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$
          SELECT coalesce(array_agg(term), '{}')
            FROM jsonb_each_text(CASE WHEN jsonb_typeof(tags) = 'object' THEN tags ELSE '{}' END) AS tag(key, value),
                 LATERAL (VALUES ('k:' || key), ('p:' || length(key) || ':' || key || '=' || coalesce(value, ''))) AS terms(term)
        $$`);
    for (const table of ['hosts', 'databases']) {
      await queryRunner.query(`ALTER TABLE ${table} ADD COLUMN tag_terms text[] NOT NULL DEFAULT '{}'`);
      await queryRunner.query(`UPDATE ${table} SET tag_terms = inventory_tag_terms(tags) WHERE tags <> '{}'`);
      await queryRunner.query(`DROP INDEX ${table}_tags_idx`);
      await queryRunner.query(`CREATE INDEX ${table}_tag_terms_idx ON ${table} USING gin (tag_terms)`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['hosts', 'databases']) {
      await queryRunner.query(`DROP INDEX ${table}_tag_terms_idx`);
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN tag_terms`);
      await queryRunner.query(`CREATE INDEX ${table}_tags_idx ON ${table} USING gin (tags)`);
    }
    await queryRunner.query(`DROP FUNCTION inventory_tag_terms(jsonb)`);
  }
}
