import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delta sync: the inbox of verified vendor notifications (stored before they
 * are applied, unique per vendor message id), and what a secret needs to
 * receive them.
 */
export class EventInbox1764100000401 implements MigrationInterface {
  name = 'EventInbox1764100000401';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbox_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        secret_id uuid NOT NULL REFERENCES secrets(id) ON DELETE CASCADE,
        vendor varchar(16) NOT NULL,
        channel varchar(16) NOT NULL CHECK (channel IN ('huawei-smn', 'cloudevents')),
        message_key text NOT NULL,
        event_type text NOT NULL,
        resource_type varchar(8),
        region text,
        instance_id text,
        action varchar(8) CHECK (action IN ('upsert', 'delete', 'reread')),
        observed_at timestamptz,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        status varchar(8) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'stale', 'ignored', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        reason text,
        applied_at timestamptz,
        UNIQUE (secret_id, message_key)
      )`);
    await queryRunner.query(`CREATE INDEX inbox_events_pending ON inbox_events (seq) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX inbox_events_resource ON inbox_events (secret_id, instance_id, seq)`);
    await queryRunner.query(`CREATE UNIQUE INDEX inbox_events_seq ON inbox_events (seq)`);
    await queryRunner.query(`
      ALTER TABLE secrets
        ADD COLUMN delta_sync boolean NOT NULL DEFAULT false,
        ADD COLUMN smn_topic_urns text[] NOT NULL DEFAULT '{}',
        ADD COLUMN smn_signing_certs text,
        ADD COLUMN webhook_secret_ciphertext bytea,
        ADD COLUMN webhook_secret_iv bytea,
        ADD COLUMN webhook_secret_tag bytea,
        ADD COLUMN webhook_secret_key_id varchar(64)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE secrets
        DROP COLUMN webhook_secret_key_id, DROP COLUMN webhook_secret_tag, DROP COLUMN webhook_secret_iv,
        DROP COLUMN webhook_secret_ciphertext, DROP COLUMN smn_signing_certs, DROP COLUMN smn_topic_urns, DROP COLUMN delta_sync`);
    await queryRunner.query(`DROP TABLE inbox_events`);
  }
}
