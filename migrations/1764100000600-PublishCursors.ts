import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per broker (sink), the last revision the broker acknowledged: publishing
 * resumes after it, so a restart or a new publisher replica loses nothing.
 */
export class PublishCursors1764100000600 implements MigrationInterface {
  name = 'PublishCursors1764100000600';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE publish_cursors (
        sink varchar(32) PRIMARY KEY,
        revision bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE publish_cursors`);
  }
}
