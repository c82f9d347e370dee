import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RunningSyncs } from '../secrets/running-syncs';

/**
 * The sync module's answer to "does this secret have a running job", for the
 * secrets module's delete. FOR UPDATE waits for a worker claiming one of the
 * rows (then sees it running) and makes later claimers skip them (SKIP LOCKED)
 * until the caller's transaction ends.
 */
@Injectable()
export class RunningSyncJobs extends RunningSyncs {
  async holdAndCheck(secretId: string, manager: EntityManager): Promise<boolean> {
    const jobs: { status: string }[] = await manager.query(
      `SELECT status FROM sync_jobs WHERE secret_id = $1 AND status IN ('queued', 'running') FOR UPDATE`,
      [secretId],
    );
    return jobs.some((job) => job.status === 'running');
  }
}
