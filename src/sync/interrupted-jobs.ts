import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ScopeLocks } from './scope-locks';
import { jobScopeKey } from './sync-scope';
import { SyncJobsService } from './sync-jobs.service';

/**
 * Jobs left `running` by a process that died are marked `interrupted` at
 * start-up. A job whose scope lock is still held runs in a live process (another
 * replica) and is left alone.
 */
@Injectable()
export class InterruptedJobs implements OnApplicationBootstrap {
  private readonly logger = new Logger(InterruptedJobs.name);

  constructor(
    private readonly jobs: SyncJobsService,
    private readonly locks: ScopeLocks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const job of await this.jobs.findAllRunning()) {
      const lock = await this.locks.tryAcquire(jobScopeKey(job));
      if (!lock) continue;
      try {
        await this.jobs.finish(job.id, 'interrupted', {
          vendor: null,
          code: 'Interrupted',
          message: 'the process running this sync stopped before it finished; nothing was deleted',
        });
        this.logger.warn(`sync job ${job.id} was left running by a stopped process: marked interrupted`);
      } finally {
        await lock.release();
      }
    }
  }
}
