import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import type { DatabaseHandle } from '../database/database-handle';
import { DATABASE_HANDLE } from '../database/database.tokens';
import { APPENDED_REVISION, CHANGES_CHANNEL } from './change-log';

const RECONNECT_DELAY_MS = 1_000;

/**
 * Wakes readers of the change log when changes were committed, by any
 * process. Only a wake-up: readers always read the table, so a lost or
 * repeated signal costs a read, never a change.
 *
 * PostgreSQL: LISTEN on a connection of its own; appendChanges notifies in the
 * appending transaction, and PostgreSQL delivers it after the commit, to every
 * replica. Embedded database (no LISTEN over its socket, one process): the
 * commit of a transaction that appended changes, seen by a TypeORM subscriber.
 */
@Injectable()
export class ChangeSignal implements OnApplicationBootstrap, OnApplicationShutdown, EntitySubscriberInterface {
  private readonly logger = new Logger(ChangeSignal.name);
  private readonly emitter = new EventEmitter();
  private client: Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(DATABASE_HANDLE) private readonly database: DatabaseHandle,
  ) {
    this.emitter.setMaxListeners(0);
  }

  /** Calls `listener` with the newest revision known to be committed; answers the unsubscribe. */
  subscribe(listener: (revision: number | null) => void): () => void {
    this.emitter.on('changes', listener);
    return () => this.emitter.off('changes', listener);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.database.kind === 'embedded') this.dataSource.subscribers.push(this);
    else await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    const subscribers = this.dataSource.subscribers;
    const at = subscribers.indexOf(this);
    if (at >= 0) subscribers.splice(at, 1);
    await this.client?.end().catch(() => undefined);
    this.client = null;
    this.emitter.removeAllListeners();
  }

  /** TypeORM, after any transaction of this process commits: wake readers if it appended changes. */
  afterTransactionCommit(event: TransactionCommitEvent): void {
    const revision = event.queryRunner.data[APPENDED_REVISION] as number | undefined;
    if (revision === undefined) return;
    delete event.queryRunner.data[APPENDED_REVISION];
    this.emit(revision);
  }

  private emit(revision: number | null): void {
    this.emitter.emit('changes', revision);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.database.url });
    client.on('notification', (message) => this.emit(message.payload ? Number(message.payload) : null));
    client.on('error', (error) => {
      this.logger.warn(`change notifications: ${error.message}; reconnecting`);
      this.retry(client);
    });
    client.on('end', () => this.retry(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      // Changes may have been committed while no connection listened.
      this.emit(null);
    } catch (error) {
      this.logger.warn(`change notifications: ${error instanceof Error ? error.message : String(error)}; retrying`);
      this.retry(client);
    }
  }

  private retry(client: Client): void {
    if (this.stopped || this.reconnect || (this.client !== null && this.client !== client)) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      void this.listen();
    }, RECONNECT_DELAY_MS);
  }
}
