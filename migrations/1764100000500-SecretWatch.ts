import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A vSphere secret may follow its vCenter's change feed (`watch`); the
 * process that follows it records how that goes (`watch_status`) where every
 * replica reads it.
 */
export class SecretWatch1764100000500 implements MigrationInterface {
  name = 'SecretWatch1764100000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE secrets ADD COLUMN watch boolean NOT NULL DEFAULT false, ADD COLUMN watch_status jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE secrets DROP COLUMN watch_status, DROP COLUMN watch`);
  }
}
