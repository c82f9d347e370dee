import { MigrationInterface, QueryRunner } from 'typeorm';

/** A cron schedule per secret (null: the global default; 'off': none), and the last slot enqueued for it. */
export class SyncSchedules1763900000002 implements MigrationInterface {
  name = 'SyncSchedules1763900000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE secrets ADD COLUMN sync_schedule varchar(128), ADD COLUMN sync_timezone varchar(64), ADD COLUMN last_slot_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE secrets DROP COLUMN sync_schedule, DROP COLUMN sync_timezone, DROP COLUMN last_slot_at`);
  }
}
