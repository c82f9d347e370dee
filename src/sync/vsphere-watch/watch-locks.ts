import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, QueryRunner } from 'typeorm';
import type { DatabaseHandle } from '../../database/database-handle';
import { DATABASE_HANDLE } from '../../database/database.tokens';

/** The advisory lock that makes one process, across every replica, the follower of a secret's feed. */
export const watchLockKey = (secretId: string) => `watch:${secretId}`;

/**
 * The follower locks of this process. On PostgreSQL, session advisory locks,
 * all on ONE connection of their own for as long as any is held: they go
 * with the connection if the process dies, and following many secrets costs
 * one connection of the pool, not one each. On the embedded database one
 * process owns the data dir: a set in memory is enough.
 */
@Injectable()
export class WatchLocks {
  private readonly held = new Set<string>();
  private connection: QueryRunner | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
  ) {}

  /** Callers take and release locks one at a time (the supervisor's looks are serial). */
  async tryAcquire(secretId: string): Promise<boolean> {
    if (this.held.has(secretId)) return false;
    if (this.database.kind === 'postgres') {
      const connection = await this.open();
      const [{ locked }] = await connection.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [watchLockKey(secretId)]);
      if (!locked) {
        await this.closeIfIdle();
        return false;
      }
    }
    this.held.add(secretId);
    return true;
  }

  /**
   * Secret ids whose lock went with its connection (the connection broke, or
   * its backend was terminated): another process may follow them by now.
   * They are no longer held here.
   */
  async lost(): Promise<string[]> {
    if (!this.connection) return [];
    try {
      await this.connection.query('SELECT 1');
      return [];
    } catch {
      const lost = [...this.held];
      this.held.clear();
      const connection = this.connection;
      this.connection = null;
      await connection.release().catch(() => undefined);
      return lost;
    }
  }

  async release(secretId: string): Promise<void> {
    if (!this.held.delete(secretId) || !this.connection) return;
    try {
      await this.connection.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [watchLockKey(secretId)]);
    } finally {
      await this.closeIfIdle();
    }
  }

  private async open(): Promise<QueryRunner> {
    if (this.connection) return this.connection;
    const connection = this.dataSource.createQueryRunner();
    await connection.connect();
    this.connection = connection;
    return connection;
  }

  private async closeIfIdle(): Promise<void> {
    if (this.held.size > 0 || !this.connection) return;
    const connection = this.connection;
    this.connection = null;
    await connection.release();
  }
}
