import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The raw vendor payload is kept as `json` (its text, validated) instead of
 * `jsonb`. Nothing queries inside it: it is stored and answered whole, and
 * building the jsonb tree was the costliest part of a sync's write (PostgreSQL
 * parses ~2 KB of Huawei server JSON into jsonb at ~50 MB/s: 4x the cost of
 * validating it). The vendor's key order is kept as a bonus.
 *
 * Where the server has lz4 (PostgreSQL 14+ built with it), the payload is
 * compressed with it rather than pglz: rows of a few KB are compressed on every
 * write. PGlite has no lz4 and keeps pglz.
 */
export class RawPayloadAsJson1764000000001 implements MigrationInterface {
  name = 'RawPayloadAsJson1764000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['hosts', 'databases']) {
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN raw DROP DEFAULT, ALTER COLUMN raw TYPE json USING raw::json, ALTER COLUMN raw SET DEFAULT '{}'`);
      await queryRunner.query(`
        DO $$ BEGIN
          ALTER TABLE ${table} ALTER COLUMN raw SET COMPRESSION lz4;
        EXCEPTION WHEN feature_not_supported THEN NULL;
        END $$`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['hosts', 'databases']) {
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN raw SET COMPRESSION default`);
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN raw DROP DEFAULT, ALTER COLUMN raw TYPE jsonb USING raw::jsonb, ALTER COLUMN raw SET DEFAULT '{}'`);
    }
  }
}
