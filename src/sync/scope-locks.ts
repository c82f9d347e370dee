import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DatabaseHandle } from '../database/database-handle';
import { DATABASE_HANDLE } from '../database/database.tokens';

export interface ScopeLock {
  release(): Promise<void>;
}

/**
 * At most one sync of a scope at a time. On PostgreSQL, across processes: a
 * session advisory lock held on a connection of its own for the whole sync
 * (it goes with the connection if the process dies). On the embedded
 * database, one process owns the data dir, so a lock in memory is enough, and
 * the single connection must not be held for a whole sync.
 */
@Injectable()
export class ScopeLocks {
  private readonly held = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
  ) {}

  async tryAcquire(scopeKey: string): Promise<ScopeLock | null> {
    if (this.held.has(scopeKey)) return null;
    if (this.database.kind === 'embedded') {
      this.held.add(scopeKey);
      return { release: async () => void this.held.delete(scopeKey) };
    }
    this.held.add(scopeKey);
    const connection = this.dataSource.createQueryRunner();
    try {
      await connection.connect();
      const [{ locked }] = await connection.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`, [scopeKey]);
      if (!locked) {
        await connection.release();
        this.held.delete(scopeKey);
        return null;
      }
    } catch (error) {
      await connection.release();
      this.held.delete(scopeKey);
      throw error;
    }
    return {
      release: async () => {
        try {
          await connection.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [scopeKey]);
        } finally {
          await connection.release();
          this.held.delete(scopeKey);
        }
      },
    };
  }
}

export function scopeKey(secretId: string, resourceType: string, region: string | null): string {
  return `sync:${secretId}:${resourceType}:${region ?? ''}`;
}
