import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import type { DatabaseHandle } from './database-handle';
import { DATABASE_HANDLE } from './database.tokens';

export interface HeldLock {
  /**
   * The session that holds the lock (PostgreSQL), for writes that must fail
   * once the lock is lost with it; null on the embedded database.
   */
  readonly session: QueryRunner | null;
  release(): Promise<void>;
}

/**
 * Named locks that one process at a time may hold, across every replica: a
 * sync's scope, a broker's publisher. On PostgreSQL, a session advisory lock
 * on a connection of its own, held until released (it goes with the
 * connection if the process dies). On the embedded database one process owns
 * the data dir, so a set in memory is enough, and its single connection is
 * never held for long.
 */
@Injectable()
export class AdvisoryLocks {
  private readonly held = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
  ) {}

  /** The lock, or null when this or another process holds it. */
  async tryAcquire(key: string): Promise<HeldLock | null> {
    if (this.held.has(key)) return null;
    this.held.add(key);
    if (this.database.kind === 'embedded') return { session: null, release: async () => void this.held.delete(key) };
    const session = this.dataSource.createQueryRunner();
    try {
      await session.connect();
      const [{ locked }] = await session.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [key]);
      if (!locked) {
        await session.release();
        this.held.delete(key);
        return null;
      }
    } catch (error) {
      await session.release();
      this.held.delete(key);
      throw error;
    }
    return {
      session,
      release: async () => {
        try {
          await session.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
        } finally {
          await session.release();
          this.held.delete(key);
        }
      },
    };
  }
}
