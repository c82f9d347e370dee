import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter } from 'node:events';
import { DataSource } from 'typeorm';
import { ProviderRegistry } from '../../providers/provider-registry';
import type { SecretEntity } from '../../secrets/secret.entity';
import { SecretsService } from '../../secrets/secrets.service';
import { ANY_REGION } from '../../secrets/allow-region';
import type { JobTrigger } from '../sync-job.entity';

export interface QueuedScope {
  resourceType: string;
  region: string;
}

/**
 * The sync_jobs table is the queue: enqueued jobs are rows `queued`, claimed
 * with FOR UPDATE SKIP LOCKED so each runs once whatever the number of
 * replicas. A schedule slot's jobs carry a unique slot key: enqueueing the
 * same slot twice (two replicas, a restart) adds nothing.
 */
@Injectable()
export class JobQueue {
  private readonly wakeups = new EventEmitter();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly providers: ProviderRegistry,
    private readonly secrets: SecretsService,
  ) {}

  /**
   * Every scope of a secret: each allowed region (for `*`, the regions it has
   * synced before: `*` names no list to walk) times each resource type its
   * vendor has; vSphere's one scope is the whole vCenter.
   */
  async scopesOf(secret: SecretEntity): Promise<QueuedScope[]> {
    const provider = this.providers.get(secret.vendor);
    let regions: string[] = [''];
    if (provider.needsRegion) {
      regions = secret.allowRegions.filter((region) => region !== ANY_REGION);
      if (secret.allowRegions.includes(ANY_REGION)) {
        const synced: { region: string }[] = await this.dataSource.query(
          `SELECT DISTINCT region FROM sync_jobs WHERE secret_id = $1 AND region <> '' ORDER BY region`,
          [secret.id],
        );
        regions = [...new Set([...regions, ...synced.map((row) => row.region)])];
      }
    }
    return regions.flatMap((region) => provider.resourceTypes.map((resourceType) => ({ resourceType, region })));
  }

  /** Enqueues one job per scope; with a slot, only those not enqueued for that slot yet. Returns the new job ids. */
  async enqueue(secret: SecretEntity, trigger: JobTrigger, slot: Date | null): Promise<string[]> {
    const scopes = await this.scopesOf(secret);
    if (scopes.length === 0) return [];
    const rows = scopes.map((scope) => ({
      ...scope,
      slot_key: slot ? `${secret.id}|${slot.toISOString()}|${scope.resourceType}|${scope.region}` : null,
    }));
    const inserted: { id: string }[] = await this.dataSource.transaction(async (manager) => {
      const jobs = await manager.query(
        `INSERT INTO sync_jobs (secret_id, vendor, resource_type, region, trigger, status, slot_key)
         SELECT $1, $2, s."resourceType", s.region, $3, 'queued', s.slot_key
           FROM json_to_recordset($4::json) AS s("resourceType" text, region text, slot_key text)
         ON CONFLICT (slot_key) DO NOTHING
         RETURNING id`,
        [secret.id, secret.vendor, trigger, JSON.stringify(rows)],
      );
      if (slot) await this.secrets.recordSlotEnqueued(secret.id, slot, manager);
      return jobs;
    });
    if (inserted.length > 0) this.wakeups.emit('enqueued');
    return inserted.map((row) => row.id);
  }

  /** Claims the oldest queued job, or null. Concurrent claimers skip each other's rows. */
  async claim(): Promise<string | null> {
    const [rows]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE sync_jobs SET status = 'running', started_at = now(), heartbeat_at = now()
        WHERE id = (SELECT id FROM sync_jobs WHERE status = 'queued' ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1)
        RETURNING id`,
    );
    return rows[0]?.id ?? null;
  }

  onEnqueued(listener: () => void): () => void {
    this.wakeups.on('enqueued', listener);
    return () => this.wakeups.off('enqueued', listener);
  }
}
