import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { ChangeLogHolds } from '../changes/change-log-holds';
import { EnvironmentVariables } from '../config/environment';
import { MetricsService } from '../metrics/metrics.service';
import { CHANGE_FEED, type ChangeFeed } from './change-feed';
import { ChangePublisher } from './change-publisher';
import { configuredSinks } from './configured-sinks';
import type { SinkStatusView } from './dto/sink-status.response';
import { readCursors } from './publish-cursors';
import { PublisherLeases } from './publisher-leases';

/**
 * Starts a publisher per configured broker and reports their lag. The lag is
 * read from the database (the log's latest revision less the sink's cursor),
 * so every replica reports the same figure, not only the one publishing.
 */
@Injectable()
export class PublishingService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Publishing');
  private readonly publishers: ChangePublisher[];
  private releaseHold: (() => void) | null = null;

  constructor(
    environment: EnvironmentVariables,
    @Inject(CHANGE_FEED) private readonly feed: ChangeFeed,
    leases: PublisherLeases,
    metrics: MetricsService,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly holds: ChangeLogHolds,
  ) {
    const published = new Counter({ name: 'cmdb_publish_changes_total', help: 'Changes a broker acknowledged, by sink', labelNames: ['sink'] as const, registers: [metrics.registry] });
    const skipped = new Counter({
      name: 'cmdb_publish_skipped_revisions_total',
      help: 'Revisions pruned from the change log before the broker acknowledged them (a sink configured on some replicas only, or added late), by sink',
      labelNames: ['sink'] as const,
      registers: [metrics.registry],
    });
    const failures = new Counter({ name: 'cmdb_publish_failures_total', help: 'Failed publishing attempts (broker down, refused or slow), by sink', labelNames: ['sink'] as const, registers: [metrics.registry] });
    const settings = {
      batchSize: environment.CMDB_PUBLISH_BATCH_SIZE,
      retryMaxMs: environment.CMDB_PUBLISH_RETRY_MAX_MS,
      takeoverMs: environment.CMDB_PUBLISH_TAKEOVER_MS,
      idlePollMs: Math.max(environment.CMDB_PUBLISH_TAKEOVER_MS, 5_000),
    };
    const events = {
      published: (sink: string, count: number) => published.inc({ sink }, count),
      failed: (sink: string) => failures.inc({ sink }),
      skipped: (sink: string, count: number) => skipped.inc({ sink }, count),
    };
    this.publishers = configuredSinks(environment).map((sink) => new ChangePublisher(sink, feed, leases, settings, this.logger, events));
    if (this.publishers.length > 0) this.registerLagGauge(metrics);
  }

  onApplicationBootstrap(): void {
    if (this.publishers.length > 0) this.releaseHold = this.holds.hold('publishing', () => this.oldestCursor());
    for (const publisher of this.publishers) publisher.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.releaseHold?.();
    await Promise.all(this.publishers.map((publisher) => publisher.stop()));
  }

  /** Null when no broker is configured. */
  async status(): Promise<Record<string, SinkStatusView> | null> {
    if (this.publishers.length === 0) return null;
    const [latest, cursors] = await Promise.all([this.feed.latestRevision(), readCursors(this.dataSource)]);
    return Object.fromEntries(
      this.publishers.map((publisher) => {
        const acknowledged = cursors.get(publisher.sink.name) ?? '0';
        return [publisher.sink.name, { lag: lagOf(latest, acknowledged), acknowledged_revision: acknowledged, ...publisher.status() }];
      }),
    );
  }

  /** The change log keeps every revision after the slowest configured broker's cursor. */
  private async oldestCursor(): Promise<number> {
    const cursors = await readCursors(this.dataSource);
    return Math.min(...this.publishers.map((publisher) => Number(cursors.get(publisher.sink.name) ?? 0)));
  }

  private registerLagGauge(metrics: MetricsService): void {
    const readStatus = () => this.status();
    new Gauge({
      name: 'cmdb_publish_lag_revisions',
      help: 'Revisions of the change log not yet acknowledged by the broker, by sink',
      labelNames: ['sink'] as const,
      registers: [metrics.registry],
      async collect() {
        // A database that does not answer leaves the last figures; /metrics still answers.
        const status = await readStatus().catch(() => null);
        for (const [sink, { lag }] of Object.entries(status ?? {})) this.set({ sink }, lag);
      },
    });
  }
}

function lagOf(latest: string, acknowledged: string): number {
  const lag = BigInt(latest) - BigInt(acknowledged);
  return lag > 0n ? Number(lag) : 0;
}
