import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DatabaseHandle } from '../database/database-handle';
import { DATABASE_HANDLE } from '../database/database.tokens';
import { advanceCursor, readCursor } from './publish-cursors';

/** The right to publish to one sink; its cursor is read and moved through it. */
export interface PublisherLease {
  readCursor(): Promise<string>;
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
 * One publisher per sink across replicas. On PostgreSQL: a session advisory
 * lock on a connection of its own, which also writes the cursor, so a
 * publisher whose session died (and so lost the lock to another replica)
 * fails its next cursor write and stops instead of publishing beside the new
 * owner. On the embedded database one process owns the data directory: a
 * flag in memory, and the single shared connection.
 */
@Injectable()
export class PublisherLeases {
  private readonly held = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
  ) {}

  async tryAcquire(sink: string): Promise<PublisherLease | null> {
    if (this.held.has(sink)) return null;
    if (this.database.kind === 'embedded') {
      this.held.add(sink);
      return this.lease(sink, this.dataSource, async () => void this.held.delete(sink));
    }
    const session = this.dataSource.createQueryRunner();
    try {
      await session.connect();
      const [{ locked }] = await session.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [`publish:${sink}`]);
      if (!locked) {
        await session.release();
        return null;
      }
    } catch (error) {
      await session.release();
      throw error;
    }
    this.held.add(sink);
    // Releasing the connection to the pool would keep the lock: end the session's lock first.
    return this.lease(sink, session, async () => {
      try {
        await session.query(`SELECT pg_advisory_unlock_all()`);
      } finally {
        await session.release();
        this.held.delete(sink);
      }
    });
  }

  private lease(sink: string, db: DataSource | { query: DataSource['query'] }, release: () => Promise<void>): PublisherLease {
    return {
      readCursor: () => readCursor(db, sink),
      advance: async (revision) => {
        try {
          await advanceCursor(db, sink, revision);
        } catch (error) {
          throw new LeaseLostError(sink, error);
        }
      },
      release,
    };
  }
}
