import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EnvironmentVariables } from '../config/environment';
import type { DatabaseHandle } from '../database/database-handle';
import { DATABASE_HANDLE } from '../database/database.tokens';
import { AdvisoryLocks } from '../database/advisory-locks';
import { jobScopeKey } from './sync-scope';
import { SyncJobsService } from './sync-jobs.service';

/** How often a running job's process writes its heartbeat: a sixth of the timeout, 10 s at most. */
export function heartbeatIntervalMs(timeoutMs: number): number {
  return Math.min(10_000, Math.floor(timeoutMs / 6));
}

/**
 * A job claimed by a live replica may not hold its scope lock yet: at start-up
 * a job whose lock is free is only taken for dead when its heartbeat is older than this.
 */
const CLAIM_GRACE_MS = 2_000;

/**
 * Jobs left `running` by a process that died are marked `interrupted`:
 * - by every replica, periodically, when their heartbeat is older than
 *   CMDB_SYNC_HEARTBEAT_TIMEOUT_MS (a replica killed and never restarted);
 * - at start-up, at once, when their scope lock is free (on PostgreSQL the
 *   lock goes with a dead process's connection; the embedded database has one
 *   process, so none of its running jobs survived).
 */
@Injectable()
export class InterruptedJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InterruptedJobs.name);
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly jobs: SyncJobsService,
    private readonly locks: AdvisoryLocks,
    private readonly environment: EnvironmentVariables,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const grace = this.database.kind === 'embedded' ? 0 : CLAIM_GRACE_MS;
    for (const job of await this.jobs.findAllRunning()) {
      const lock = await this.locks.tryAcquire(jobScopeKey(job));
      if (!lock) continue;
      try {
        this.report(await this.jobs.interruptStale(grace, [job.id]), 'was left running by a stopped process');
      } finally {
        await lock.release();
      }
    }
    const timeout = this.environment.CMDB_SYNC_HEARTBEAT_TIMEOUT_MS;
    this.sweeper = setInterval(() => void this.sweep(timeout), Math.max(500, Math.floor(timeout / 2)));
    this.sweeper.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** Marks the running jobs whose heartbeat is older than the timeout. */
  async sweep(timeoutMs: number): Promise<void> {
    try {
      this.report(await this.jobs.interruptStale(timeoutMs), `had no heartbeat for ${timeoutMs} ms: its process died`);
    } catch (error) {
      this.logger.error({ err: error }, 'marking sync jobs of dead processes failed');
    }
  }

  private report(jobIds: string[], why: string): void {
    for (const jobId of jobIds) this.logger.warn(`sync job ${jobId} ${why}: marked interrupted`);
  }
}
