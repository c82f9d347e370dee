import { MigrationInterface, QueryRunner } from 'typeorm';

/** Secrets, inventory (hosts, databases), the change log and sync jobs. */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE secrets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(128) NOT NULL,
        description text,
        vendor varchar(16) NOT NULL CHECK (vendor IN ('aliyun', 'tencent', 'huawei', 'vsphere')),
        credential_type varchar(16) NOT NULL CHECK (credential_type IN ('api_key', 'password')),
        api_key text NOT NULL,
        api_secret_ciphertext bytea NOT NULL,
        api_secret_iv bytea NOT NULL,
        api_secret_tag bytea NOT NULL,
        api_secret_key_id varchar(64) NOT NULL,
        allow_regions text[] NOT NULL DEFAULT '{}',
        address text,
        request_rate integer NOT NULL DEFAULT 5 CHECK (request_rate BETWEEN 1 AND 100),
        project_ids jsonb,
        tls_ca text,
        tls_insecure boolean NOT NULL DEFAULT false,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT secrets_name_unique UNIQUE (name)
      )`);
    await queryRunner.query(`CREATE INDEX secrets_vendor_idx ON secrets (vendor, created_at, id)`);

    for (const [table, ownColumns] of [
      [
        'hosts',
        `hostname text,
         instance_type varchar(64),
         cpu integer,
         memory_mib integer,
         os_name text,
         os_type varchar(32),
         image_id varchar(128),
         security_groups text[] NOT NULL DEFAULT '{}'`,
      ],
      [
        'databases',
        `engine varchar(32),
         engine_version varchar(32),
         instance_class varchar(64),
         cpu integer,
         memory_mib integer,
         storage_gb integer,
         port integer,
         private_endpoints text[] NOT NULL DEFAULT '{}',
         public_endpoints text[] NOT NULL DEFAULT '{}'`,
      ],
    ]) {
      await queryRunner.query(`
        CREATE TABLE ${table} (
          id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          vendor varchar(16) NOT NULL,
          secret_id uuid REFERENCES secrets (id) ON DELETE SET NULL,
          region varchar(64) NOT NULL,
          zone varchar(64),
          instance_id varchar(128) NOT NULL,
          name text NOT NULL DEFAULT '',
          status varchar(16) NOT NULL,
          raw_status varchar(64) NOT NULL,
          charge_type varchar(16),
          vendor_created_at timestamptz,
          expire_at timestamptz,
          private_ips text[] NOT NULL DEFAULT '{}',
          public_ips text[] NOT NULL DEFAULT '{}',
          vpc_id varchar(128),
          subnet_id varchar(128),
          tags jsonb NOT NULL DEFAULT '{}',
          ${ownColumns},
          raw jsonb NOT NULL DEFAULT '{}',
          checksum char(64) NOT NULL,
          query_at timestamptz NOT NULL,
          state varchar(8) NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'deleted')),
          deleted_at timestamptz,
          first_seen_at timestamptz NOT NULL DEFAULT now(),
          last_changed_at timestamptz NOT NULL DEFAULT now(),
          CONSTRAINT ${table}_vendor_instance_unique UNIQUE (vendor, instance_id)
        )`);
      await queryRunner.query(`CREATE INDEX ${table}_scope_idx ON ${table} (secret_id, region) WHERE state = 'active'`);
    }

    await queryRunner.query(`
      CREATE TABLE sync_jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        secret_id uuid REFERENCES secrets (id) ON DELETE SET NULL,
        vendor varchar(16) NOT NULL,
        resource_type varchar(8) NOT NULL CHECK (resource_type IN ('host', 'rds')),
        region varchar(64) NOT NULL DEFAULT '',
        trigger varchar(16) NOT NULL CHECK (trigger IN ('api', 'schedule', 'event')),
        status varchar(16) NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'interrupted')),
        slot_key text,
        pages_done integer NOT NULL DEFAULT 0,
        items_done integer NOT NULL DEFAULT 0,
        total_succeed integer NOT NULL DEFAULT 0,
        total_failed integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        deleted integer NOT NULL DEFAULT 0,
        error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CONSTRAINT sync_jobs_slot_key_unique UNIQUE (slot_key)
      )`);
    await queryRunner.query(`CREATE INDEX sync_jobs_listing_idx ON sync_jobs (created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX sync_jobs_secret_idx ON sync_jobs (secret_id, created_at DESC)`);
    await queryRunner.query(`CREATE INDEX sync_jobs_queue_idx ON sync_jobs (created_at) WHERE status = 'queued'`);
    await queryRunner.query(`CREATE INDEX sync_jobs_running_idx ON sync_jobs (status) WHERE status = 'running'`);

    // Per-item results, stored one row per written batch: a 100k-host sync adds
    // hundreds of rows here, not 100k.
    await queryRunner.query(`
      CREATE TABLE sync_job_item_batches (
        job_id uuid NOT NULL REFERENCES sync_jobs (id) ON DELETE CASCADE,
        batch_no integer NOT NULL,
        items jsonb NOT NULL,
        PRIMARY KEY (job_id, batch_no)
      )`);

    await queryRunner.query(`
      CREATE TABLE resource_changes (
        revision bigserial PRIMARY KEY,
        resource_kind varchar(8) NOT NULL CHECK (resource_kind IN ('host', 'rds')),
        resource_id uuid NOT NULL,
        vendor varchar(16) NOT NULL,
        instance_id varchar(128) NOT NULL,
        change_type varchar(8) NOT NULL CHECK (change_type IN ('created', 'updated', 'deleted')),
        checksum char(64),
        changed_fields jsonb,
        job_id uuid,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX resource_changes_resource_idx ON resource_changes (resource_kind, resource_id, revision DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['resource_changes', 'sync_job_item_batches', 'sync_jobs', 'databases', 'hosts', 'secrets']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
