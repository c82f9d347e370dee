import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A running job's heartbeat, written by the process running it: any replica
 * marks a job whose heartbeat is stale `interrupted` (its process died).
 */
export class SyncJobHeartbeats1764100000100 implements MigrationInterface {
  name = 'SyncJobHeartbeats1764100000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sync_jobs ADD COLUMN heartbeat_at timestamptz`);
    await queryRunner.query(`UPDATE sync_jobs SET heartbeat_at = coalesce(started_at, created_at) WHERE status = 'running'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sync_jobs DROP COLUMN heartbeat_at`);
  }
}
