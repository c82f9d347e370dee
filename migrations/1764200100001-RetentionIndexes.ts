import { MigrationInterface, QueryRunner } from 'typeorm';

/** What the tombstone and inbox retentions delete by: their oldest rows first, found by index rather than a scan per batch. */
export class RetentionIndexes1764200100001 implements MigrationInterface {
  name = 'RetentionIndexes1764200100001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX resource_tombstones_deleted_at ON resource_tombstones (deleted_at)`);
    await queryRunner.query(`CREATE INDEX inbox_events_finished ON inbox_events (applied_at) WHERE status <> 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX inbox_events_finished`);
    await queryRunner.query(`DROP INDEX resource_tombstones_deleted_at`);
  }
}
