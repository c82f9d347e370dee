import { MigrationInterface, QueryRunner } from 'typeorm';

/** Aliyun secrets: EventBridge's signing certificates, against which its own signature (x-eventbridge-signature-v2) is verified. */
export class EventBridgeSigningCerts1764200100000 implements MigrationInterface {
  name = 'EventBridgeSigningCerts1764200100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE secrets ADD COLUMN eventbridge_signing_certs text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE secrets DROP COLUMN eventbridge_signing_certs`);
  }
}
