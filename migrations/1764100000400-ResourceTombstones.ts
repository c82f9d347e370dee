import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A delete for a resource we never held leaves its time here, so a
 * later-arriving older create (a reordered notification) cannot bring it back.
 */
export class ResourceTombstones1764100000400 implements MigrationInterface {
  name = 'ResourceTombstones1764100000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE resource_tombstones (
        resource_kind varchar(8) NOT NULL,
        secret_id uuid NOT NULL,
        instance_id text NOT NULL,
        deleted_at timestamptz NOT NULL,
        PRIMARY KEY (resource_kind, secret_id, instance_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE resource_tombstones`);
  }
}
