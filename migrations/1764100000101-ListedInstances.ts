import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The instance ids a running full sync has listed, staged per listing (its
 * job) so that its deletion sweep needs none of them in memory: a million ids
 * are an anti-join in the database, not an array in the heap. Emptied when
 * the sweep is done. Indexed by (listing, id): the sweep's anti-join probes
 * it per row of the scope, whatever the planner guesses of a table it has no
 * statistics for (a nested loop over a seq scan was quadratic: 120 s at 20k).
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
    await queryRunner.query(`CREATE INDEX listed_instances_listing_idx ON listed_instances (listing_id, instance_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE listed_instances`);
  }
}
