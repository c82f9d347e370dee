import { ConflictException, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DatabaseHandle } from '../database/database-handle';
import { DATABASE_HANDLE } from '../database/database.tokens';
import { AuditService } from '../auth/audit.service';
import { EnvironmentVariables } from '../config/environment';
import { syncOrigin } from '../changes/change-log';
import { InventoryWriter, ItemResult, ListedItem } from '../inventory/inventory-writer';
import { PlannerStatistics } from '../inventory/planner-statistics';
import { RESOURCE_KINDS, ResourceKind } from '../inventory/resource-columns';
import { MetricsService } from '../metrics/metrics.service';
import { isProviderError } from '../providers/provider-error';
import { ProviderRegistry } from '../providers/provider-registry';
import type { ResourcePage, ResourceType } from '../providers/provider';
import type { SecretEntity } from '../secrets/secret.entity';
import { SecretsService } from '../secrets/secrets.service';
import { AdvisoryLocks, type HeldLock } from '../database/advisory-locks';
import { JobError, JobStatus, JobTrigger, SyncJobEntity } from './sync-job.entity';
import { heartbeatIntervalMs } from './interrupted-jobs';
import { JobScope, SyncJobsService } from './sync-jobs.service';
import { jobRegion, jobScope, jobScopeKey, scopeKey } from './sync-scope';
import { WritePipeline } from './write-pipeline';

/** Items written per transaction: large enough to amortise a statement, small enough to show progress. */
export const SYNC_BATCH_SIZE = 1000;
/**
 * Batches written at once while the listing goes on: two keep PostgreSQL busy
 * on both cores, memory stays bounded. The embedded database has one
 * connection: a second transaction would only wait for it.
 */
const WRITES_IN_FLIGHT = { postgres: 2, embedded: 1 } as const;
/** How long a refused sync looks for the running job's row to name it in the 409. */
const CONFLICT_LOOKUP_MS = 5_000;
/** How long a sync waits for a change feed's listing of its scope to be applied (it holds the answer already). */
const FEED_LISTING_WAIT_MS = 120_000;

export interface StartedSync {
  job: SyncJobEntity;
  /** Settles when the job has finished (it never rejects: failures end in the job's status). */
  done: Promise<SyncJobEntity>;
}

/** A complete listing that does not come from the provider's `list` (a change feed's first answer), and when it began. */
export interface ListingSource {
  pages: AsyncIterable<ResourcePage> | Iterable<ResourcePage>;
  startedAt: Date;
}

/**
 * Full sync of one scope (secret, resource type, region): page through the
 * vendor, write in batches, and, only when the listing was complete,
 * soft-delete what it no longer holds.
 */
@Injectable()
export class FullSyncService implements OnApplicationShutdown {
  private readonly logger = new Logger(FullSyncService.name);
  private readonly running = new Map<string, AbortController>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
    private readonly providers: ProviderRegistry,
    private readonly secrets: SecretsService,
    private readonly jobs: SyncJobsService,
    private readonly locks: AdvisoryLocks,
    private readonly writer: InventoryWriter,
    private readonly metrics: MetricsService,
    private readonly audit: AuditService,
    private readonly environment: EnvironmentVariables,
  ) {}

  /** Starts a sync; 409 with the running job's id when the scope is already syncing. */
  async start(secret: SecretEntity, resourceType: ResourceType, region: string | null, trigger: JobTrigger, source?: ListingSource): Promise<StartedSync> {
    const scope: JobScope = { secretId: secret.id, vendor: secret.vendor, resourceType, region };
    const lock = await this.lockOrRefuse(scope);
    let job: SyncJobEntity;
    try {
      job = await this.jobs.createRunning(scope, trigger);
    } catch (error) {
      await lock.release();
      throw error;
    }
    const done = this.runLocked(job, secret, lock, source);
    if (trigger === 'api') {
      // After the start: a failed audit write answers an error but cannot leave a job or a lock behind.
      await this.audit.record({ action: 'sync.triggered', target: { kind: 'sync_job', id: job.id }, details: { secret_id: secret.id, resource_type: resourceType, region } });
    }
    return { job, done };
  }

  /**
   * Runs a job a worker claimed from the queue (already `running`). A scope
   * that is syncing already, or a secret gone or disabled, ends it `failed`
   * with a code that says why.
   */
  async runClaimed(job: SyncJobEntity): Promise<SyncJobEntity> {
    const secret = job.secretId ? await this.secrets.get(job.secretId).catch(() => null) : null;
    if (!secret || !secret.enabled) {
      return this.jobs.finish(job.id, 'failed', { vendor: null, code: 'SecretUnavailable', message: 'the secret was deleted or disabled before the job ran' });
    }
    const lock = (await this.locks.tryAcquire(jobScopeKey(job))) ?? (await this.lockAfterFeedListing(jobScope(job)));
    if (!lock) {
      return this.jobs.finish(job.id, 'failed', { vendor: null, code: 'ScopeBusy', message: 'another sync of this scope was running' });
    }
    return this.runLocked(job, secret, lock);
  }

  /**
   * The scope's lock, or a 409 naming the job that holds it. The holder takes
   * the lock before its job row is visible, and may finish meanwhile: look
   * again until the job shows or the lock comes free.
   */
  private async lockOrRefuse(scope: JobScope): Promise<HeldLock> {
    const key = scopeKey(scope.secretId, scope.resourceType, scope.region);
    const deadline = Date.now() + CONFLICT_LOOKUP_MS;
    for (;;) {
      const lock = await this.locks.tryAcquire(key);
      if (lock) return lock;
      let runningJob = await this.jobs.findRunning(scope);
      if (runningJob?.trigger === 'event') {
        const afterFeed = await this.lockAfterFeedListing(scope);
        if (afterFeed) return afterFeed;
        runningJob = await this.jobs.findRunning(scope); // name whichever job holds it now
      }
      if (runningJob || Date.now() > deadline) {
        throw new ConflictException({
          message: `a sync of this scope is already running${runningJob ? ` (job ${runningJob.id})` : ''}`,
          details: { job_id: runningJob?.id ?? null },
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /**
   * A change feed applies its complete listing as a job of the scope (trigger
   * `event`) from an answer it holds already, so it ends soon: a sync asked
   * for meanwhile waits for it instead of being refused, and a watcher never
   * blocks a manual or scheduled sync. Null when another kind of sync holds
   * the scope, or the wait ran out.
   */
  private async lockAfterFeedListing(scope: JobScope): Promise<HeldLock | null> {
    const key = scopeKey(scope.secretId, scope.resourceType, scope.region);
    const deadline = Date.now() + FEED_LISTING_WAIT_MS;
    while (Date.now() < deadline) {
      const lock = await this.locks.tryAcquire(key);
      if (lock) return lock;
      const holder = await this.jobs.findRunning(scope);
      if (holder && holder.trigger !== 'event') return null;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return null;
  }

  /** Runs a job whose scope lock is held, beating its heartbeat; stops it when another replica ended it. */
  private async runLocked(job: SyncJobEntity, secret: SecretEntity, lock: HeldLock, source?: ListingSource): Promise<SyncJobEntity> {
    const controller = new AbortController();
    this.running.set(job.id, controller);
    const heartbeat = setInterval(() => {
      this.jobs.beat(job.id).then(
        (running) => running || controller.abort(),
        (error: unknown) => this.logger.warn({ err: error }, `job ${job.id}: writing its heartbeat failed`),
      );
    }, heartbeatIntervalMs(this.environment.CMDB_SYNC_HEARTBEAT_TIMEOUT_MS));
    heartbeat.unref();
    try {
      return await this.run(job, secret, lock, controller.signal, source);
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }
  }

  /** On shutdown, running syncs stop at their next page and end `interrupted`; nothing half-written stays. */
  async onApplicationShutdown(): Promise<void> {
    const running = [...this.running.values()];
    for (const controller of running) controller.abort();
    const deadline = Date.now() + 10_000;
    while (this.running.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private async run(job: SyncJobEntity, secret: SecretEntity, lock: HeldLock, signal: AbortSignal, source?: ListingSource): Promise<SyncJobEntity> {
    const kind = RESOURCE_KINDS[job.resourceType];
    const region = jobRegion(job);
    let batchNo = 0;
    let buffer: ListedItem[] = [];
    let rejected: ItemResult[] = [];
    let pagesBuffered = 0;
    let pagesWritten = 0;
    // Ids listed since the last flush; staged in the database, never all held here.
    let listed: string[] = [];
    const pipeline = new WritePipeline(WRITES_IN_FLIGHT[this.database.kind]);
    const statistics = new PlannerStatistics(this.dataSource, kind);
    const flush = async () => {
      if (buffer.length === 0 && rejected.length === 0 && pagesBuffered === 0) return;
      const [items, failures, pages, number, ids] = [buffer, rejected, pagesBuffered, batchNo++, listed];
      buffer = [];
      rejected = [];
      listed = [];
      pagesBuffered = 0;
      await pipeline.push(async () => {
        await this.writer.stageListed(this.dataSource.manager, job.id, ids);
        const created = await this.writeBatch(kind, job, secret.id, items, failures, pages, number);
        pagesWritten += pages;
        // Statistics only speed the next batches up: a failure to gather them fails nothing.
        await statistics.inserted(created).catch((error: unknown) => this.logger.warn({ err: error }, `job ${job.id}: analysing ${kind.table} failed`));
      });
    };

    let listingError: unknown = null;
    const listingStartedAt = source?.startedAt ?? new Date();
    try {
      const pages = source?.pages ?? this.providers.get(secret.vendor).list(this.secrets.credentialsOf(secret), job.resourceType, { region, signal });
      for await (const page of pages) {
        for (const record of page.items) {
          buffer.push({ record, queryAt: page.queryAt });
          listed.push(record.instanceId);
        }
        for (const item of page.rejected) {
          rejected.push({ instance_id: item.instanceId, name: item.name, action: 'failed', success: false, message: item.reason });
          if (item.instanceId) listed.push(item.instanceId); // listed, though unreadable: not gone
        }
        pagesBuffered++;
        if (signal.aborted) throw new Error('interrupted');
        if (buffer.length + rejected.length >= SYNC_BATCH_SIZE) await flush();
      }
      await flush();
      await pipeline.drain();
    } catch (error) {
      listingError = error;
      // What was listed before the failure is still saved.
      await flush().catch((flushError: unknown) => this.logger.error({ err: flushError }, `job ${job.id}: saving the last batch failed`));
    }
    // No write may outlive the job's end or its scope lock.
    await pipeline.drain().catch((writeError: unknown) => {
      listingError ??= writeError;
    });

    let status: JobStatus;
    let error: JobError | null = null;
    try {
      if (signal.aborted) {
        status = 'interrupted';
        error = { vendor: null, code: 'Interrupted', message: 'the server stopped before the sync finished; nothing was deleted' };
      } else if (listingError) {
        error = toJobError(listingError);
        status = pagesWritten > 0 ? 'partial' : 'failed';
      } else {
        const number = batchNo++;
        // The job's counters before the change log: its append must be the transaction's last statement (see appendChanges).
        const ended = await this.dataSource.transaction(async (manager) => {
          if (!(await this.jobs.stillRunning(manager, job.id))) return true;
          await this.writer.deleteMissing(manager, kind, { secretId: secret.id, region }, job.id, listingStartedAt, syncOrigin(job.id), (deleted) =>
            this.jobs.recordBatch(manager, job.id, number, deleted, 0),
          );
          return false;
        });
        // Ended by another replica (its heartbeat looked dead): it keeps that end, and nothing was deleted.
        const current = await this.jobs.get(job.id);
        status = ended ? current.status : current.totalFailed > 0 ? 'partial' : 'succeeded';
      }
    } catch (finalError) {
      status = 'failed';
      error = toJobError(finalError);
    } finally {
      await this.writer.clearListed(this.dataSource.manager, job.id).catch((clearError: unknown) => this.logger.warn({ err: clearError }, `job ${job.id}: clearing its listed ids failed`));
      await lock.release().catch((releaseError: unknown) => this.logger.error({ err: releaseError }, 'releasing a scope lock failed'));
    }
    const finished = await this.jobs.finish(job.id, status, error);
    this.record(finished);
    return finished;
  }

  /** One transaction: the batch's rows, their change records, its item results and the job's counters. Answers how many rows it created. */
  private async writeBatch(
    kind: ResourceKind,
    job: SyncJobEntity,
    secretId: string,
    items: ListedItem[],
    failures: ItemResult[],
    pages: number,
    batchNo: number,
  ): Promise<number> {
    try {
      // The job's counters before the change log: its append must be the transaction's last statement (see appendChanges).
      const results = await this.dataSource.transaction((manager) =>
        this.writer.writeBatch(manager, kind, secretId, items, syncOrigin(job.id), (written) =>
          this.jobs.recordBatch(manager, job.id, batchNo, [...failures, ...written], pages),
        ),
      );
      return createdIn(results);
    } catch (error) {
      // A record the checks let through broke the statement: write one by one, so it fails alone.
      this.logger.warn({ err: error }, `job ${job.id}: batch ${batchNo} failed as a whole, writing its items one by one`);
      const results: ItemResult[] = [...failures];
      for (const item of items) {
        try {
          results.push(...(await this.dataSource.transaction((manager) => this.writer.writeBatch(manager, kind, secretId, [item], syncOrigin(job.id)))));
        } catch (itemError) {
          const reason = itemError instanceof Error ? itemError.message : String(itemError);
          results.push({ instance_id: item.record.instanceId, name: item.record.name, action: 'failed', success: false, message: `not saved: ${reason}` });
        }
      }
      await this.dataSource.transaction((manager) => this.jobs.recordBatch(manager, job.id, batchNo, results, pages));
      return createdIn(results);
    }
  }

  private record(job: SyncJobEntity): void {
    const labels = { vendor: job.vendor, resource_type: job.resourceType };
    this.metrics.syncJobs.inc({ ...labels, trigger: job.trigger, status: job.status });
    for (const action of ['created', 'updated', 'unchanged', 'deleted'] as const) {
      if (job[action] > 0) this.metrics.syncItems.inc({ ...labels, action }, job[action]);
    }
    if (job.totalFailed > 0) this.metrics.syncItems.inc({ ...labels, action: 'failed' }, job.totalFailed);
    if (job.startedAt && job.finishedAt) this.metrics.syncDuration.observe(labels, (job.finishedAt.getTime() - job.startedAt.getTime()) / 1000);
  }
}

function createdIn(results: ItemResult[]): number {
  return results.filter((result) => result.action === 'created').length;
}

/** A job keeps the vendor's code and message; nothing else of an error (which could carry anything). */
function toJobError(error: unknown): JobError {
  if (isProviderError(error)) return error.toJSON();
  return { vendor: null, code: 'InternalError', message: error instanceof Error ? error.message : String(error) };
}
