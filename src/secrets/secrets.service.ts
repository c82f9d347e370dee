import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, QueryFailedError, Repository } from 'typeorm';
import { AuditService, type AuditEvent } from '../auth/audit.service';
import { SecretCipher } from '../common/crypto/secret-cipher';
import { EnvironmentVariables } from '../config/environment';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { fieldError } from '../common/validation';
import type { ProviderCredentials } from '../providers/provider';
import { CreateSecretDto, UpdateSecretDto } from './dto/secret-fields';
import { ListSecretsQuery } from './dto/list-secrets.query';
import type { SecretView } from './dto/secret.response';
import { secretView } from './dto/secret.view';
import { RunningSyncs } from './running-syncs';
import { SecretEntity, type WatchStatus } from './secret.entity';
import { checkVendorRules } from './secret-rules';
import { SecretChanges } from './secret-changes';

@Injectable()
export class SecretsService {
  constructor(
    @InjectRepository(SecretEntity) private readonly secrets: Repository<SecretEntity>,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
    private readonly changes: SecretChanges,
    private readonly environment: EnvironmentVariables,
    private readonly runningSyncs: RunningSyncs,
  ) {}

  /** Answers the webhook secret too (clouds): the one time it is shown. */
  async create(dto: CreateSecretDto): Promise<{ secret: SecretEntity; webhookSecret: string | null }> {
    const secret = this.secrets.create({
      name: dto.name,
      description: dto.description ?? null,
      vendor: dto.vendor,
      apiKey: dto.api_key,
      allowRegions: unique(dto.allow_regions ?? []),
      address: dto.address ?? null,
      requestRate: dto.request_rate ?? 5,
      projectIds: dto.project_ids ?? null,
      tlsCa: dto.tls?.ca ?? null,
      tlsInsecure: dto.tls?.insecure ?? false,
      enabled: dto.enabled ?? true,
      syncSchedule: dto.sync_schedule ?? null,
      syncTimezone: dto.sync_timezone ?? null,
      watch: dto.watch ?? false,
      deltaSync: dto.delta_sync ?? false,
      smnTopicUrns: unique(dto.smn_topic_urns ?? []),
      smnSigningCerts: dto.smn_signing_certs ?? null,
      eventbridgeSigningCerts: dto.eventbridge_signing_certs ?? null,
    });
    secret.credentialType = checkVendorRules({ ...secret, credentialType: dto.credential_type });
    this.seal(secret, dto.api_secret);
    const webhookSecret = secret.vendor === 'vsphere' ? null : this.issueWebhookSecret(secret);
    const saved = await this.secrets.manager.transaction(async (manager) => {
      const inserted = await this.save(secret, manager);
      await this.audit.record({ action: 'secret.created', target: { kind: 'secret', id: inserted.id }, details: { name: inserted.name, vendor: inserted.vendor } }, manager);
      return inserted;
    });
    this.changes.notify(saved.id, saved);
    return { secret: saved, webhookSecret };
  }

  /** Issues a new webhook secret (the old one stops working at once); answers it, shown this once. */
  async rotateWebhookSecret(id: string): Promise<string> {
    let webhookSecret = '';
    const rotated = await this.edit(
      id,
      (secret) => {
        if (secret.vendor === 'vsphere') throw fieldError('vendor', 'vsphere secrets have no webhook');
        webhookSecret = this.issueWebhookSecret(secret);
      },
      (saved) => ({ action: 'secret.webhook_secret_rotated', target: { kind: 'secret', id }, details: { name: saved.name } }),
    );
    this.changes.notify(id, rotated);
    return webhookSecret;
  }

  /** The webhook's HMAC key, decrypted; null when none was issued. Never log or return it. */
  webhookSecretOf(secret: SecretEntity): string | null {
    if (!secret.webhookSecretCiphertext || !secret.webhookSecretIv || !secret.webhookSecretTag || !secret.webhookSecretKeyId) return null;
    return this.cipher.decrypt({
      ciphertext: secret.webhookSecretCiphertext,
      iv: secret.webhookSecretIv,
      tag: secret.webhookSecretTag,
      keyId: secret.webhookSecretKeyId,
    });
  }

  async list(query: ListSecretsQuery): Promise<Page<SecretView>> {
    // Ordered on milliseconds: the cursor carries a JS Date, which has no microseconds.
    const createdMs = `date_trunc('milliseconds', s.created_at)`;
    const builder = this.secrets.createQueryBuilder('s').orderBy(createdMs, 'ASC').addOrderBy('s.id', 'ASC').limit(query.limit + 1);
    if (query.vendor) builder.andWhere('s.vendor = :vendor', { vendor: query.vendor });
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, ['time', 'uuid']);
      builder.andWhere(`(${createdMs}, s.id) > (:createdAt::timestamptz, :id::uuid)`, { createdAt, id });
    }
    const rows = await builder.getMany();
    return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], (row) => this.view(row));
  }

  view(secret: SecretEntity): SecretView {
    return secretView(secret, this.environment.CMDB_SYNC_SCHEDULE ?? null);
  }

  async get(id: string): Promise<SecretEntity> {
    const secret = await this.secrets.findOneBy({ id });
    if (!secret) throw new NotFoundException(`secret ${id} not found`);
    return secret;
  }

  async update(id: string, dto: UpdateSecretDto): Promise<SecretEntity> {
    // Field names only: never a value, which could be a credential.
    const fields = Object.entries(dto).flatMap(([field, value]) => (value === undefined ? [] : [field]));
    const saved = await this.edit(
      id,
      (secret) => this.applyUpdate(secret, dto),
      (secret) => ({ action: 'secret.updated', target: { kind: 'secret', id }, details: { name: secret.name, fields } }),
    );
    this.changes.notify(id, saved);
    return saved;
  }

  private applyUpdate(secret: SecretEntity, dto: UpdateSecretDto): void {
    if (dto.name !== undefined) secret.name = dto.name;
    if (dto.description !== undefined) secret.description = dto.description;
    if (dto.api_key !== undefined) secret.apiKey = dto.api_key;
    if (dto.allow_regions !== undefined) secret.allowRegions = unique(dto.allow_regions);
    if (dto.address !== undefined) secret.address = dto.address;
    if (dto.request_rate !== undefined) secret.requestRate = dto.request_rate;
    if (dto.project_ids !== undefined) secret.projectIds = dto.project_ids;
    if (dto.tls !== undefined) {
      secret.tlsCa = dto.tls?.ca ?? null;
      secret.tlsInsecure = dto.tls?.insecure ?? false;
    }
    if (dto.enabled !== undefined) secret.enabled = dto.enabled;
    if (dto.sync_schedule !== undefined) secret.syncSchedule = dto.sync_schedule;
    if (dto.sync_timezone !== undefined) secret.syncTimezone = dto.sync_timezone;
    if (dto.watch !== undefined) secret.watch = dto.watch;
    if (dto.delta_sync !== undefined) secret.deltaSync = dto.delta_sync;
    if (dto.smn_topic_urns !== undefined) secret.smnTopicUrns = unique(dto.smn_topic_urns);
    if (dto.smn_signing_certs !== undefined) secret.smnSigningCerts = dto.smn_signing_certs;
    if (dto.eventbridge_signing_certs !== undefined) secret.eventbridgeSigningCerts = dto.eventbridge_signing_certs;
    checkVendorRules({ ...secret, credentialType: dto.credential_type });
    if (dto.api_secret !== undefined) this.seal(secret, dto.api_secret);
  }

  /**
   * Reads, changes and writes one secret under its row lock, so two edits at
   * once (a PATCH, a webhook secret rotation) apply one after the other:
   * save() writes back every column it read, and would undo the other's.
   * Its audit entry commits with it. The lock is the one an UPDATE takes
   * (FOR NO KEY UPDATE): jobs created for the secret meanwhile do not wait.
   */
  private edit(id: string, change: (secret: SecretEntity) => void, audited: (saved: SecretEntity) => AuditEvent): Promise<SecretEntity> {
    return this.secrets.manager.transaction(async (manager) => {
      const secret = await manager.findOne(SecretEntity, { where: { id }, lock: { mode: 'for_no_key_update' } });
      if (!secret) throw new NotFoundException(`secret ${id} not found`);
      change(secret);
      const saved = await this.save(secret, manager);
      await this.audit.record(audited(saved), manager);
      return saved;
    });
  }

  /**
   * Refused while a sync of the secret runs; what it synced stays in the inventory.
   *
   * Atomic with a job starting, in one transaction: the secret's row is locked
   * first, so a job created for it (a row referencing it) waits and then
   * fails; then the sync module locks the secret's queued and running jobs, so
   * a worker claiming one waits (and is seen running) or skips it; the row is
   * deleted with both locks held. A queued job left behind loses its secret
   * and fails when claimed.
   */
  async remove(id: string): Promise<void> {
    await this.secrets.manager.transaction(async (manager) => {
      const secret = await manager.findOne(SecretEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!secret) throw new NotFoundException(`secret ${id} not found`);
      if (await this.runningSyncs.holdAndCheck(id, manager)) {
        throw new ConflictException(`secret ${id} has a sync running: try again when it ends`);
      }
      await manager.query(`DELETE FROM secrets WHERE id = $1`, [id]);
      await this.audit.record({ action: 'secret.deleted', target: { kind: 'secret', id }, details: { name: secret.name, vendor: secret.vendor } }, manager);
    });
    this.changes.notify(id, null);
  }

  /** The secret, or null when there is none (a secret deleted meanwhile). */
  find(id: string): Promise<SecretEntity | null> {
    return this.secrets.findOneBy({ id });
  }

  all(): Promise<SecretEntity[]> {
    return this.secrets.find();
  }

  /**
   * Remembers the latest schedule slot enqueued for the secret (start-up runs
   * a slot missed since then), in the transaction that enqueued its jobs.
   */
  async recordSlotEnqueued(id: string, slot: Date, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE secrets SET last_slot_at = GREATEST(coalesce(last_slot_at, $2), $2) WHERE id = $1`, [id, slot]);
  }

  /** Secrets whose change feed some process should follow. */
  watched(): Promise<SecretEntity[]> {
    return this.secrets.findBy({ watch: true, enabled: true, vendor: 'vsphere' });
  }

  /** Written by the process that follows the secret's feed; not a change of the secret (updated_at stays). */
  async recordWatchStatus(id: string, status: WatchStatus): Promise<void> {
    await this.secrets.query(`UPDATE secrets SET watch_status = $2 WHERE id = $1`, [id, JSON.stringify(status)]);
  }

  /** Decrypted credentials for a provider. Never log or return them. */
  credentialsOf(secret: SecretEntity): ProviderCredentials {
    return {
      secretId: secret.id,
      vendor: secret.vendor,
      apiKey: secret.apiKey,
      apiSecret: this.cipher.decrypt({
        ciphertext: secret.apiSecretCiphertext,
        iv: secret.apiSecretIv,
        tag: secret.apiSecretTag,
        keyId: secret.apiSecretKeyId,
      }),
      address: secret.address,
      requestRate: secret.requestRate,
      projectIds: secret.projectIds,
      tls: { ca: secret.tlsCa, insecure: secret.tlsInsecure },
    };
  }

  private issueWebhookSecret(secret: SecretEntity): string {
    const webhookSecret = `whsec_${randomBytes(32).toString('base64url')}`;
    const sealed = this.cipher.encrypt(webhookSecret);
    secret.webhookSecretCiphertext = sealed.ciphertext;
    secret.webhookSecretIv = sealed.iv;
    secret.webhookSecretTag = sealed.tag;
    secret.webhookSecretKeyId = sealed.keyId;
    return webhookSecret;
  }

  private seal(secret: SecretEntity, apiSecret: string): void {
    const sealed = this.cipher.encrypt(apiSecret);
    secret.apiSecretCiphertext = sealed.ciphertext;
    secret.apiSecretIv = sealed.iv;
    secret.apiSecretTag = sealed.tag;
    secret.apiSecretKeyId = sealed.keyId;
  }

  private async save(secret: SecretEntity, manager: EntityManager): Promise<SecretEntity> {
    try {
      return await manager.save(secret);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string })?.code === '23505') {
        throw new ConflictException(`a secret named "${secret.name}" already exists`);
      }
      throw error;
    }
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
