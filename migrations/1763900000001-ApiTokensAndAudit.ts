import { MigrationInterface, QueryRunner } from 'typeorm';

/** API tokens (stored as sha256 only) and the audit log of who changed secrets and tokens or triggered syncs. */
export class ApiTokensAndAudit1763900000001 implements MigrationInterface {
  name = 'ApiTokensAndAudit1763900000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(128) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        token_hash bytea NOT NULL CHECK (length(token_hash) = 32),
        prefix varchar(16) NOT NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT api_tokens_hash_unique UNIQUE (token_hash)
      )`);
    await queryRunner.query(`CREATE INDEX api_tokens_listing_idx ON api_tokens (created_at, id)`);

    await queryRunner.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_token_id uuid,
        actor_name varchar(128) NOT NULL,
        action varchar(32) NOT NULL,
        target_kind varchar(16) NOT NULL,
        target_id varchar(64) NOT NULL,
        request_id varchar(128),
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_kind, target_id, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP TABLE api_tokens`);
  }
}
