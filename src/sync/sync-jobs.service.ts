import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { decodeCursor, encodeCursor, Page, toPage } from '../common/pagination';
import type { ItemAction, ItemResult } from '../inventory/inventory-writer';
import type { ResourceType, Vendor } from '../providers/provider';
import { ListJobItemsQuery, ListSyncJobsQuery } from './dto/sync-job-queries';
import type { SyncJobView } from './dto/sync-job.response';
import { syncJobView } from './dto/sync-job.view';
import { JobError, JobStatus, JobTrigger, SyncJobEntity } from './sync-job.entity';

export interface JobScope {
  secretId: string;
  vendor: Vendor;
  resourceType: ResourceType;
  /** null for vSphere. */
  region: string | null;
}

const INTERRUPTED: JobError = {
  vendor: null,
  code: 'Interrupted',
  message: 'the process running this sync stopped before it finished; nothing was deleted',
};

/** A job's item results, one row each, in the order they were written (batch, then position). */
const JOB_ITEMS = `sync_job_item_batches b, jsonb_array_elements(b.items) WITH ORDINALITY AS e(item, position)`;

/** Sync jobs: their rows, counters, progress and per-item results. */
@Injectable()
export class SyncJobsService {
  constructor(@InjectRepository(SyncJobEntity) private readonly jobs: Repository<SyncJobEntity>) {}

  createRunning(scope: JobScope, trigger: JobTrigger): Promise<SyncJobEntity> {
    return this.jobs.save(
      this.jobs.create({
        secretId: scope.secretId,
        vendor: scope.vendor,
        resourceType: scope.resourceType,
        region: scope.region ?? '',
        trigger,
        status: 'running',
        startedAt: new Date(),
        heartbeatAt: new Date(),
      }),
    );
  }

  /** Stores one batch's item results and advances the job's counters, in the batch's transaction. */
  async recordBatch(manager: EntityManager, jobId: string, batchNo: number, items: ItemResult[], pagesDone: number): Promise<void> {
    const count: Record<ItemAction, number> = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
    for (const item of items) count[item.action]++;
    if (items.length > 0) {
      await manager.query(`INSERT INTO sync_job_item_batches (job_id, batch_no, items) VALUES ($1, $2, $3::jsonb)`, [
        jobId,
        batchNo,
        JSON.stringify(items),
      ]);
    }
    await manager.query(
      `UPDATE sync_jobs SET pages_done = pages_done + $2, items_done = items_done + $3,
              total_succeed = total_succeed + $4, total_failed = total_failed + $5,
              created = created + $6, updated = updated + $7, unchanged = unchanged + $8, deleted = deleted + $9,
              heartbeat_at = now()
        WHERE id = $1`,
      [jobId, pagesDone, items.length, items.length - count.failed, count.failed, count.created, count.updated, count.unchanged, count.deleted],
    );
  }

  /** Ends a running job; one already ended (marked interrupted by another replica) keeps its end. */
  async finish(jobId: string, status: JobStatus, error: JobError | null): Promise<SyncJobEntity> {
    await this.jobs.update({ id: jobId, status: 'running' }, { status, error, finishedAt: new Date() });
    return this.get(jobId);
  }

  /** The running process's sign of life; false when the job no longer runs (another replica ended it). */
  async beat(jobId: string): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.jobs.query(
      `UPDATE sync_jobs SET heartbeat_at = now() WHERE id = $1 AND status = 'running' RETURNING id`,
      [jobId],
    );
    return rows.length > 0;
  }

  /**
   * In a job's final transaction: locks its row (a replica marking it
   * interrupted waits, or has already) and answers whether it still runs.
   */
  async stillRunning(manager: EntityManager, jobId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM sync_jobs WHERE id = $1 AND status = 'running' FOR UPDATE`, [jobId]);
    return rows.length > 0;
  }

  /**
   * Marks `interrupted` the running jobs whose heartbeat is older than
   * `staleMs` (a job just claimed or started has a fresh one). Answers their ids.
   */
  async interruptStale(staleMs: number, only?: string[]): Promise<string[]> {
    const [rows]: [{ id: string }[], number] = await this.jobs.query(
      `UPDATE sync_jobs SET status = 'interrupted', finished_at = now(), error = $2::jsonb
        WHERE status = 'running' AND coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => $1::double precision / 1000)
          AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
        RETURNING id`,
      [staleMs, JSON.stringify(INTERRUPTED), only ?? null],
    );
    return rows.map((row) => row.id);
  }

  async get(id: string): Promise<SyncJobEntity> {
    const job = await this.jobs.findOneBy({ id });
    if (!job) throw new NotFoundException(`sync job ${id} not found`);
    return job;
  }

  findRunning(scope: JobScope): Promise<SyncJobEntity | null> {
    return this.jobs.findOne({
      where: { secretId: scope.secretId, resourceType: scope.resourceType, region: scope.region ?? '', status: 'running' },
      order: { createdAt: 'DESC' },
    });
  }

  findAllRunning(): Promise<SyncJobEntity[]> {
    return this.jobs.findBy({ status: 'running' });
  }

  async list(query: ListSyncJobsQuery): Promise<Page<SyncJobView>> {
    const createdMs = `date_trunc('milliseconds', j.created_at)`;
    const builder = this.jobs.createQueryBuilder('j').orderBy(createdMs, 'DESC').addOrderBy('j.id', 'DESC').limit(query.limit + 1);
    if (query.secret_id) builder.andWhere('j.secret_id = :secretId', { secretId: query.secret_id });
    if (query.status) builder.andWhere('j.status = :status', { status: query.status });
    if (query.trigger) builder.andWhere('j.trigger = :trigger', { trigger: query.trigger });
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, ['time', 'uuid']);
      builder.andWhere(`(${createdMs}, j.id) < (:createdAt::timestamptz, :id::uuid)`, { createdAt, id });
    }
    const rows = await builder.getMany();
    return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], syncJobView);
  }

  /** A job's item results in the order they were written, optionally of some actions only. */
  async items(jobId: string, query: ListJobItemsQuery): Promise<Page<ItemResult>> {
    await this.get(jobId);
    const [batchNo, position] = query.cursor ? (decodeCursor(query.cursor, ['number', 'number']) as number[]) : [-1, 0];
    const rows: { batch_no: number; position: string; item: ItemResult }[] = await this.jobs.query(
      `SELECT b.batch_no, e.position, e.item
         FROM ${JOB_ITEMS}
        WHERE b.job_id = $1 AND ($2::text IS NULL OR e.item->>'action' = $2)
          AND (b.batch_no, e.position) > ($3::int, $4::bigint)
        ORDER BY b.batch_no, e.position LIMIT $5`,
      [jobId, query.action ?? null, batchNo, position, query.limit + 1],
    );
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => row.item),
      next_cursor: rows.length > query.limit && last ? encodeCursor([last.batch_no, Number(last.position)]) : null,
    };
  }

  /**
   * The first `limit` items of a job whose action is one of `actions` (all
   * when null), as the text of JSON array elements: the details of a finished
   * sync. Built by PostgreSQL from the stored batches, batch by batch in order
   * until the limit: a million-item job costs what its first items cost.
   */
  async itemsJson(jobId: string, actions: ItemAction[] | null, limit: number): Promise<string> {
    if (limit === 0 || actions?.length === 0) return '';
    const [{ items }]: { items: string | null }[] = await this.jobs.query(
      `SELECT string_agg(f.item::text, ',' ORDER BY f.batch_no, f.position) AS items
         FROM (SELECT b.batch_no, e.position, e.item
                 FROM sync_job_item_batches b
                 CROSS JOIN LATERAL jsonb_array_elements(b.items) WITH ORDINALITY AS e(item, position)
                WHERE b.job_id = $1 AND ($2::text[] IS NULL OR e.item->>'action' = ANY($2::text[]))
                ORDER BY b.batch_no, e.position
                LIMIT $3) f`,
      [jobId, actions, limit],
    );
    return items ?? '';
  }
}
