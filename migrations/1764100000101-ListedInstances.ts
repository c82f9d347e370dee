import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The instance ids a running full sync has listed, staged per listing (its
 * job) so that its deletion sweep needs none of them in memory: a million ids
 * are an anti-join in the database, not an array in the heap. Emptied when
 * the sweep is done; no index (rows are only ever read whole per listing).
 */
export class ListedInstances1764100000101 implements MigrationInterface {
  name = 'ListedInstances1764100000101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE listed_instances (
        listing_id uuid NOT NULL,
        instance_id text NOT NULL,
        staged_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE listed_instances`);
  }
}
