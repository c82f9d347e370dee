import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed's log: revisions handed out at commit through one counter,
 * and each change self-contained (the resource's API view right after it).
 *
 * A bigserial takes its value at insert time: a transaction that took
 * revision 10 can commit after one that took 11, and a reader that already
 * moved past 11 never sees 10. `change_revisions` is one row; the appending
 * transaction takes its n revisions with `UPDATE ... SET last = last + n`,
 * which holds that row's lock until it commits (and PostgreSQL releases locks
 * only after the commit is visible), so revisions are visible in the order
 * they were handed out: see src/changes/change-log.ts.
 */
export class ChangeFeed1764100000300 implements MigrationInterface {
  name = 'ChangeFeed1764100000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE change_revisions (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        last bigint NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO change_revisions (last) SELECT coalesce(max(revision), 0) FROM resource_changes`);
    // Revisions now come only from the counter: no default that could hand out one behind its back.
    await queryRunner.query(`ALTER TABLE resource_changes ALTER COLUMN revision DROP DEFAULT`);
    await queryRunner.query(`DROP SEQUENCE IF EXISTS resource_changes_revision_seq`);
    // The resource's API view after the change, as text (serialised once, for every reader), and the
    // scope columns the feed filters on. Older rows keep nulls: they predate the feed.
    await queryRunner.query(`
      ALTER TABLE resource_changes
        ADD COLUMN secret_id uuid,
        ADD COLUMN region varchar(64),
        ADD COLUMN object text`);
    // Retention prunes the oldest rows by time.
    await queryRunner.query(`CREATE INDEX resource_changes_changed_at_idx ON resource_changes (changed_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX resource_changes_changed_at_idx`);
    await queryRunner.query(`ALTER TABLE resource_changes DROP COLUMN object, DROP COLUMN region, DROP COLUMN secret_id`);
    await queryRunner.query(`CREATE SEQUENCE resource_changes_revision_seq OWNED BY resource_changes.revision`);
    await queryRunner.query(`SELECT setval('resource_changes_revision_seq', (SELECT last FROM change_revisions) + 1, false)`);
    await queryRunner.query(`ALTER TABLE resource_changes ALTER COLUMN revision SET DEFAULT nextval('resource_changes_revision_seq')`);
    await queryRunner.query(`DROP TABLE change_revisions`);
  }
}
