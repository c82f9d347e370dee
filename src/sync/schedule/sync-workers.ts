import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { EnvironmentVariables } from '../../config/environment';
import { FullSyncService } from '../full-sync.service';
import { SyncJobsService } from '../sync-jobs.service';
import { JobQueue } from './job-queue';

/**
 * A bounded pool of workers per process (CMDB_SYNC_CONCURRENCY): they claim
 * queued jobs, woken by an enqueue in this process or by polling (jobs that
 * another replica enqueued).
 */
@Injectable()
export class SyncWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SyncWorkers.name);
  private active = 0;
  private filling = false;
  private fillAgain = false;
  private stopped = false;
  private poll?: NodeJS.Timeout;
  private unsubscribe?: () => void;

  constructor(
    private readonly queue: JobQueue,
    private readonly jobs: SyncJobsService,
    private readonly fullSync: FullSyncService,
    private readonly environment: EnvironmentVariables,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.queue.onEnqueued(() => void this.fill());
    this.poll = setInterval(() => void this.fill(), this.environment.CMDB_SYNC_POLL_MS);
    this.poll.unref();
    void this.fill();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.poll);
    this.unsubscribe?.();
  }

  /** Claims jobs until the pool is full or the queue is empty; calls that overlap fold into one. */
  private async fill(): Promise<void> {
    if (this.filling) {
      this.fillAgain = true;
      return;
    }
    this.filling = true;
    try {
      do {
        this.fillAgain = false;
        while (!this.stopped && this.active < this.environment.CMDB_SYNC_CONCURRENCY) {
          const jobId = await this.queue.claim();
          if (!jobId) break;
          this.active++;
          void this.work(jobId).finally(() => {
            this.active--;
            void this.fill();
          });
        }
      } while (this.fillAgain && !this.stopped);
    } catch (error) {
      if (!this.stopped) this.logger.error({ err: error }, 'claiming a queued sync job failed');
    } finally {
      this.filling = false;
    }
  }

  private async work(jobId: string): Promise<void> {
    try {
      await this.fullSync.runClaimed(await this.jobs.get(jobId));
    } catch (error) {
      this.logger.error({ err: error }, `queued sync job ${jobId} failed to run`);
    }
  }
}
