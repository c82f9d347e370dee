import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AdvisoryLocks } from '../database/advisory-locks';
import { advanceCursor, readCursor } from './publish-cursors';

/** The right to publish to one sink; its cursor is read and moved through it. */
export interface PublisherLease {
  readCursor(): Promise<string>;
  /** Fails with LeaseLostError when the lease's session is gone (another replica may hold it by now). */
  confirm(): Promise<void>;
  /** Fails with LeaseLostError when the lease's session is gone: the caller must stop publishing. */
  advance(revision: string): Promise<void>;
  release(): Promise<void>;
}

export class LeaseLostError extends Error {
  constructor(sink: string, cause: unknown) {
    super(`lost the publishing lease of ${sink}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'LeaseLostError';
  }
}

/**
 * One publisher per sink across replicas: the sink's advisory lock. On
 * PostgreSQL the cursor is written through the lock's own session, so a
 * publisher whose session died (and so lost the lock to another replica)
 * fails its next cursor write and stops instead of publishing beside the new
 * owner. On the embedded database, through the one shared connection.
 */
@Injectable()
export class PublisherLeases {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly locks: AdvisoryLocks,
  ) {}

  async tryAcquire(sink: string): Promise<PublisherLease | null> {
    const lock = await this.locks.tryAcquire(`publish:${sink}`);
    if (!lock) return null;
    const db = lock.session ?? this.dataSource;
    return {
      readCursor: () => readCursor(db, sink),
      confirm: async () => {
        if (!lock.session) return; // embedded: the lock lives in this process
        try {
          await lock.session.query('SELECT 1');
        } catch (error) {
          throw new LeaseLostError(sink, error);
        }
      },
      advance: async (revision) => {
        try {
          await advanceCursor(db, sink, revision);
        } catch (error) {
          throw new LeaseLostError(sink, error);
        }
      },
      release: () => lock.release(),
    };
  }
}
