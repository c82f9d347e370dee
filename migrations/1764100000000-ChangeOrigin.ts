import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A change records what made it: a full sync (its job) or a vendor event
 * (delta sync or a vSphere update; its inbox event when there is one).
 */
export class ChangeOrigin1764100000000 implements MigrationInterface {
  name = 'ChangeOrigin1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE resource_changes
        ADD COLUMN trigger varchar(8) NOT NULL DEFAULT 'sync' CHECK (trigger IN ('sync', 'event')),
        ADD COLUMN event_id uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE resource_changes DROP COLUMN event_id, DROP COLUMN trigger`);
  }
}
